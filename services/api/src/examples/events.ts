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

/** One hour in 5-minute buckets: a flaky endpoint failing through the last quarter of an hour. */
const statsSeriesExample = [
  [212, 212, 0, 210, 0, 131, 402],
  [198, 197, 1, 196, 0, 128, 415],
  [205, 205, 0, 204, 0, 133, 398],
  [230, 229, 1, 228, 0, 140, 455],
  [187, 187, 0, 187, 0, 127, 380],
  [201, 201, 0, 199, 0, 129, 410],
  [219, 218, 1, 217, 0, 135, 433],
  [208, 208, 0, 207, 0, 130, 401],
  [199, 199, 0, 199, 0, 128, 388],
  [240, 214, 26, 212, 1, 146, 2_318],
  [252, 215, 37, 213, 2, 151, 2_604],
  [261, 216, 45, 214, 3, 155, 9_987],
  [38, 33, 5, 33, 0, 149, 9_987],
].map(([attempts, succeeded, failed, delivered, exhausted, p50, p95], i) => ({
  start: new Date(Date.parse('2026-11-30T08:15:00.000Z') + i * 300_000).toISOString(),
  attempts,
  succeeded,
  failed,
  delivered,
  exhausted,
  p50_ms: p50,
  p95_ms: p95,
}));

const attemptsOf = (field: 'attempts' | 'succeeded' | 'failed' | 'delivered' | 'exhausted') =>
  statsSeriesExample.reduce((sum, point) => sum + (point[field] ?? 0), 0);

export const statsExample = {
  window: '1h',
  since: '2026-11-30T08:15:00.000Z',
  until: '2026-11-30T09:15:02.481Z',
  bucket: '5m',
  covers: {
    events:
      'Events created in [since, until), counted by their status now: all of the tenant, even when ' +
      'webhook_id is given. since is now minus the window, rounded down to the bucket.',
    attempts:
      'Delivery attempts made in [since, until) to the webhooks the tenant has now (or the one ' +
      'webhook_id names; those of deleted webhooks are not counted), every one of them. complete is ' +
      'false when the window reaches back past the 30 days attempts are kept.',
    success_rate: 'attempts.succeeded / attempts.total; null when no attempt was made.',
  },
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
