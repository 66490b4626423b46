import { at, count, idSchema, text, webhookRef } from './common.js';

export const statsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    window: {
      type: 'string',
      pattern: '^[1-9][0-9]{0,3}[mhd]$',
      default: '24h',
      description:
        'How far back: minutes, hours or days, e.g. 15m, 24h, 7d (default 24h). It sets the bucket: ' +
        '5 minutes up to 6h, an hour up to 7d, a day beyond.',
    },
    webhook_id: {
      ...idSchema,
      description: 'Only this webhook (wh_...): its attempts, deliveries and series.',
    },
  },
} as const;

const nullableMs = (description: string) => ({ type: ['integer', 'null'], minimum: 0, description }) as const;

const statsBucketSchema = {
  type: 'string',
  enum: ['5m', '1h', '1d'],
  description: "The series' bucket: 5 minutes (windows up to 6h), an hour (up to 7d) or a day (UTC).",
} as const;

const statsPoint = {
  type: 'object',
  required: ['start', 'attempts', 'succeeded', 'failed', 'delivered', 'exhausted', 'p50_ms', 'p95_ms'],
  description: 'One bucket of the window.',
  properties: {
    start: at('Start of the bucket (included); it ends where the next begins, the last one now.'),
    attempts: count('Attempts made in the bucket.'),
    succeeded: count('Attempts answered with a 2xx.'),
    failed: count('Attempts that failed (their delivery may have been retried).'),
    delivered: count('Deliveries that ended DELIVERED in the bucket.'),
    exhausted: count('Deliveries that ended FAILED in the bucket: their retries were spent.'),
    p50_ms: nullableMs("Median of the bucket's attempt durations, in ms; null without attempts."),
    p95_ms: nullableMs("95th percentile of the bucket's attempt durations, in ms; null without attempts."),
  },
} as const;

const failingEndpoint = {
  type: 'object',
  required: ['webhook_id', 'url', 'failures', 'last_failure_at', 'state'],
  description: 'An endpoint failing now.',
  properties: {
    webhook_id: webhookRef,
    url: text('Its URL, with any credentials in it masked.'),
    failures: count('Its failed attempts in the window.'),
    last_failure_at: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'Its latest failed attempt; null when none is known (e.g. disabled long ago).',
    },
    state: {
      type: 'string',
      enum: ['disabled', 'circuit_open', 'failing', 'degraded'],
      description:
        'disabled: the platform disabled it (a 410, or failing for days); circuit_open: it stopped ' +
        'answering, its deliveries wait for the breaker; failing: its latest attempt failed; ' +
        'degraded: attempts failed in the window, the latest succeeded.',
    },
    failing_since: at('When its current run of failed attempts began.'),
    disabled_reason: text('Why the platform disabled it.'),
  },
} as const;

export const statsView = {
  type: 'object',
  required: [
    'window',
    'since',
    'until',
    'bucket',
    'covers',
    'counts',
    'total',
    'success_rate',
    'attempts',
    'deliveries',
    'attempt_latency_ms',
    'series',
    'failing_endpoints',
  ],
  description:
    'Counts by status, success rate, deliveries ended and attempt latency over the window, the same ' +
    'per bucket, the endpoints failing now, and what each covers.',
  properties: {
    window: text('The window asked for, e.g. 24h.'),
    since: at('Start of the window (included): now minus the window, rounded down to the bucket.'),
    until: at('End of the window (excluded): when the numbers were read.'),
    webhook_id: text('The webhook the figures are narrowed to, when asked for.'),
    bucket: statsBucketSchema,
    covers: {
      type: 'object',
      description: 'In words, what each figure counts.',
      additionalProperties: text('What the figure of this name covers.'),
    },
    counts: {
      type: 'object',
      description: 'Events created in the window, by their status now.',
      additionalProperties: count('Events in this status.'),
    },
    total: count('Events created in the window.'),
    success_rate: {
      type: ['number', 'null'],
      minimum: 0,
      maximum: 1,
      description: 'Successful attempts / attempts in the window; null when no attempt was made.',
    },
    attempts: {
      type: 'object',
      required: ['total', 'succeeded', 'failed', 'complete'],
      description: 'Delivery attempts made in the window, every one of them.',
      properties: {
        total: count('Attempts made.'),
        succeeded: count('Attempts answered with a 2xx.'),
        failed: count('Attempts that failed.'),
        complete: {
          type: 'boolean',
          description: 'false when the window reaches back past the days attempts are kept.',
        },
      },
    },
    deliveries: {
      type: 'object',
      required: ['delivered', 'exhausted'],
      description: 'Deliveries that ended in the window.',
      properties: {
        delivered: count('Ended DELIVERED.'),
        exhausted: count('Ended FAILED: their retries were spent (or the endpoint answered 410).'),
      },
    },
    attempt_latency_ms: {
      type: 'object',
      description: 'Durations of the attempts of the window, within 4.5 % of the exact value.',
      properties: {
        p50: nullableMs('Median, in ms.'),
        p95: nullableMs('95th percentile, in ms.'),
        sample: count('Attempts measured: attempts.total.'),
      },
    },
    series: {
      type: 'array',
      description: 'The figures per bucket, oldest first, empty buckets included.',
      items: statsPoint,
    },
    failing_endpoints: {
      type: 'array',
      description: 'The endpoints failing now, worst state first, then most failures.',
      items: failingEndpoint,
    },
  },
} as const;
