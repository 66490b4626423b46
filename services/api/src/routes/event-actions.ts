import type { Logger } from '@aws-lambda-powertools/logger';
import { jsonResponse } from '@hookrelay/http';
import { cancelResultExample, resendResultExample, retryResultExample } from '../examples/events.js';
import { route } from '../route-spec.js';
import { cancelResult, resendResult, retryResult } from '../schemas/events.js';
import { cancelEvent, retryEvent } from '../use-cases/events.js';
import { resendDelivery } from '../use-cases/resend-delivery.js';

const retryEventRoute = (logger: Logger) =>
  route({
    method: 'POST',
    path: '/v1/events/{id}/retry',
    auth: 'tenant',
    portal: 'manage',
    tag: 'Events',
    summary: 'Retry a FAILED event',
    description:
      'Only a FAILED event: its failed deliveries start a fresh retry schedule and the first attempt goes ' +
      'out now.',
    success: {
      status: 202,
      description: 'Its failed deliveries are queued again.',
      schema: retryResult,
      example: retryResultExample,
    },
    errors: {
      409: { code: 'invalid_state', message: 'Only a FAILED event can be retried; this one is DELIVERED.' },
    },
    handle: async (req, deps) =>
      jsonResponse(
        202,
        await retryEvent(
          { ...deps, log: logger },
          { tenantId: req.principal.tenant_id, eventId: req.params.id ?? '' },
        ),
      ),
  });

const resendDeliveryRoute = route({
  method: 'POST',
  path: '/v1/events/{id}/deliveries/{webhook_id}/resend',
  auth: 'tenant',
  portal: 'manage',
  tag: 'Events',
  summary: 'Resend a delivery now',
  description:
    "One more attempt of the event's delivery to this webhook, now, whatever its state (a DELIVERED event " +
    'is sent again, a PENDING one does not wait for its next slot). Recorded like any attempt, with the ' +
    'same webhook-id header. A disabled webhook, or one that has not answered its ownership challenge, is ' +
    'a 409 (webhook_disabled, webhook_unverified).',
  success: {
    status: 202,
    description: 'The attempt is queued.',
    schema: resendResult,
    example: resendResultExample,
  },
  errors: {
    404: { code: 'not_found', message: 'No delivery of event evt_... to webhook wh_....' },
    409: {
      code: 'webhook_unverified',
      message:
        'Webhook wh_01JD6YQ2B8N5C4R7T0VXKMZ3PA has not answered its ownership challenge; verify it before resending to it.',
    },
  },
  handle: async (req, deps) =>
    jsonResponse(
      202,
      await resendDelivery(deps, {
        tenantId: req.principal.tenant_id,
        eventId: req.params.id ?? '',
        webhookId: req.params.webhook_id ?? '',
      }),
    ),
});

const cancelEventRoute = route({
  method: 'DELETE',
  path: '/v1/events/{id}',
  auth: 'tenant',
  portal: 'manage',
  tag: 'Events',
  summary: 'Cancel an event',
  description:
    'Deliveries not made yet become CANCELLED; those already delivered or failed stay as they are.',
  success: {
    status: 200,
    description: 'What was cancelled.',
    schema: cancelResult,
    example: cancelResultExample,
  },
  errors: { 409: { code: 'invalid_state', message: 'The event has no pending deliveries to cancel.' } },
  handle: async (req, deps) =>
    jsonResponse(
      200,
      await cancelEvent(deps, { tenantId: req.principal.tenant_id, eventId: req.params.id ?? '' }),
    ),
});

/** What a tenant does to an event it sent: retry it, resend one delivery now, cancel it. */
export const eventActionRoutes = (logger: Logger) => [
  retryEventRoute(logger),
  resendDeliveryRoute,
  cancelEventRoute,
];
