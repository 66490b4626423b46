import { statsCovers } from '../use-cases/stats.js';
import { EXAMPLE } from './ids.js';

const invoice = {
  invoice_id: 'in_1042',
  customer_id: 'cus_7781',
  amount_paid: 4900,
  currency: 'eur',
  paid_at: '2026-11-30T09:15:01Z',
  lines: [{ description: 'Pro plan, December', amount: 4900, quantity: 1 }],
};

/** GET /v1/event-types: what a billing system has sent. */
export const eventTypeListExample = {
  event_types: [
    {
      type: 'invoice.paid',
      last_seen_at: '2026-11-30T09:15:02.481Z',
      example: { event_id: EXAMPLE.eventId, data: invoice },
    },
  ],
};

/** POST /v1/events: a real event, as a billing system sends it. */
export const createEventExample = { type: 'invoice.paid', id: EXAMPLE.eventId, data: invoice };

export const eventAcceptedExample = {
  event_id: EXAMPLE.eventId,
  type: 'invoice.paid',
  status: 'PENDING',
  created_at: EXAMPLE.createdAt,
  delivery_count: 2,
  deliveries: 2,
};

export const batchExample = {
  events: [
    { type: 'invoice.paid', data: invoice },
    { type: 'customer.updated', data: { customer_id: 'cus_7781', email: 'billing@acme.example' } },
  ],
};

export const batchResultExample = {
  accepted: 1,
  rejected: 1,
  results: [
    { index: 0, ...eventAcceptedExample },
    {
      index: 1,
      status: 'REJECTED',
      error: {
        code: 'validation_error',
        message: 'type (or event) is required and must match ^[A-Za-z0-9._:-]{1,128}$',
      },
    },
  ],
};

const attempt = {
  event_id: EXAMPLE.eventId,
  webhook_id: EXAMPLE.webhookId,
  attempt: 1,
  attempted_at: EXAMPLE.deliveredAt,
  status_code: 200,
  duration_ms: 142,
  outcome: 'success',
  response: '{"received":true}',
};
export const attemptExample = attempt;

export const eventViewExample = {
  event_id: EXAMPLE.eventId,
  type: 'invoice.paid',
  status: 'PENDING',
  created_at: EXAMPLE.createdAt,
  updated_at: EXAMPLE.deliveredAt,
  data: invoice,
  deliveries: [
    {
      webhook_id: EXAMPLE.webhookId,
      status: 'DELIVERED',
      attempt_count: 1,
      last_status_code: 200,
      attempts: [attempt],
    },
    {
      webhook_id: EXAMPLE.otherWebhookId,
      status: 'PENDING',
      attempt_count: 1,
      next_attempt_at: '2026-11-30T09:15:07.913Z',
      last_status_code: 503,
      last_error: 'HTTP 503',
      attempts: [
        {
          ...attempt,
          webhook_id: EXAMPLE.otherWebhookId,
          status_code: 503,
          duration_ms: 88,
          outcome: 'failure',
          error_kind: 'http',
          response: 'Service Unavailable',
        },
      ],
    },
  ],
};

export const eventListExample = {
  events: [
    {
      event_id: EXAMPLE.eventId,
      type: 'invoice.paid',
      status: 'DELIVERED',
      created_at: EXAMPLE.createdAt,
      delivery_count: 2,
    },
    {
      event_id: 'evt_01JD6Z7K2M9N8P7Q6R5S4T3V2W',
      type: 'customer.updated',
      status: 'FAILED',
      created_at: '2026-11-30T08:02:44.120Z',
      delivery_count: 1,
    },
  ],
  next_cursor: EXAMPLE.cursor,
  has_more: true,
};

export const exportExample = `${eventListExample.events.map((e) => JSON.stringify(e)).join('\n')}\n`;

export const retryResultExample = { event_id: EXAMPLE.eventId, status: 'PENDING', retried: 1 };
export const cancelResultExample = { event_id: EXAMPLE.eventId, status: 'CANCELLED', cancelled: 2 };

export const resendResultExample = {
  event_id: EXAMPLE.eventId,
  webhook_id: EXAMPLE.webhookId,
  status: 'PENDING',
  attempt: 2,
};

/**
 * One hour in 5-minute buckets, a column per figure: a flaky endpoint failing through the last
 * quarter of an hour.
 */
const statsCounts = {
  attempts: [212, 198, 205, 230, 187, 201, 219, 208, 199, 240, 252, 261, 38],
  succeeded: [212, 197, 205, 229, 187, 201, 218, 208, 199, 214, 215, 216, 33],
  failed: [0, 1, 0, 1, 0, 0, 1, 0, 0, 26, 37, 45, 5],
  delivered: [210, 196, 204, 228, 187, 199, 217, 207, 199, 212, 213, 214, 33],
  exhausted: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 0],
};
const statsLatencyMs = {
  p50: [131, 128, 133, 140, 127, 129, 135, 130, 128, 146, 151, 155, 149],
  p95: [402, 415, 398, 455, 380, 410, 433, 401, 388, 2_318, 2_604, 9_987, 9_987],
};

const statsSeriesExample = statsCounts.attempts.map((_, i) => ({
  start: new Date(Date.parse('2026-11-30T08:15:00.000Z') + i * 300_000).toISOString(),
  attempts: statsCounts.attempts[i],
  succeeded: statsCounts.succeeded[i],
  failed: statsCounts.failed[i],
  delivered: statsCounts.delivered[i],
  exhausted: statsCounts.exhausted[i],
  p50_ms: statsLatencyMs.p50[i],
  p95_ms: statsLatencyMs.p95[i],
}));

const attemptsOf = (field: keyof typeof statsCounts) => statsCounts[field].reduce((sum, n) => sum + n, 0);

/** What the answer says the figures cover, with attempts kept 30 days (three of them shown). */
const covers = statsCovers(30);

export const statsExample = {
  window: '1h',
  since: '2026-11-30T08:15:00.000Z',
  until: '2026-11-30T09:15:02.481Z',
  bucket: '5m',
  covers: { events: covers.events, attempts: covers.attempts, success_rate: covers.success_rate },
  counts: { PENDING: 9, DELIVERED: 1_204, FAILED: 6, CANCELLED: 2 },
  total: 1_221,
  success_rate: attemptsOf('succeeded') / attemptsOf('attempts'),
  attempts: {
    total: attemptsOf('attempts'),
    succeeded: attemptsOf('succeeded'),
    failed: attemptsOf('failed'),
    complete: true,
  },
  deliveries: { delivered: attemptsOf('delivered'), exhausted: attemptsOf('exhausted') },
  attempt_latency_ms: { p50: 134, p95: 611, sample: attemptsOf('attempts') },
  series: statsSeriesExample,
  failing_endpoints: [
    {
      webhook_id: EXAMPLE.webhookId,
      url: 'https://hooks.example.com/billing',
      failures: 116,
      last_failure_at: '2026-11-30T09:14:57.120Z',
      state: 'failing',
      failing_since: '2026-11-30T09:13:41.502Z',
    },
  ],
};
