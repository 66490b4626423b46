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

export const statsExample = {
  window: '24h',
  since: '2026-11-29T09:15:02.481Z',
  until: '2026-11-30T09:15:02.481Z',
  covers: {
    events: 'Events created in [since, until), counted by their status now.',
    attempts:
      'Delivery attempts made in [since, until) to the webhooks the tenant has now (those of deleted ' +
      'webhooks are not counted), newest first, at most 10000; complete is false when there were more.',
    success_rate: 'attempts.succeeded / attempts.total; null when no attempt was made.',
  },
  counts: { PENDING: 3, DELIVERED: 1204, FAILED: 7, CANCELLED: 2 },
  total: 1216,
  success_rate: 0.9901,
  attempts: { total: 1318, succeeded: 1305, failed: 13, complete: true },
  attempt_latency_ms: { p50: 138, p95: 611, sample: 1318 },
};
