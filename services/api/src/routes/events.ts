import type { Logger } from '@aws-lambda-powertools/logger';
import { NotFoundError, ValidationError } from '@hookrelay/domain';
import { jsonResponse } from '@hookrelay/http';
import {
  batchExample,
  batchResultExample,
  cancelResultExample,
  createEventExample,
  eventAcceptedExample,
  eventListExample,
  eventTypeListExample,
  eventViewExample,
  exportExample,
  resendResultExample,
  retryResultExample,
  statsExample,
} from '../examples/events.js';
import { route } from '../route-spec.js';
import {
  batchEventsBody,
  batchResult,
  cancelResult,
  createEventBody,
  EXPORT_LIMIT,
  eventAccepted,
  eventList,
  eventView as eventSchema,
  eventTypeList,
  exportEventsQuery,
  listEventsQuery,
  ndjsonExport,
  resendResult,
  retryResult,
} from '../schemas/events.js';
import { statsQuery, statsView } from '../schemas/stats.js';
import { createdRangeOf } from '../time-range.js';
import {
  cancelEvent,
  createEvent,
  createEvents,
  normalizeEvent,
  refuseReserved,
  retryEvent,
} from '../use-cases/events.js';
import { resendDelivery } from '../use-cases/resend-delivery.js';
import { tenantStats } from '../use-cases/stats.js';
import { eventView, page } from './views.js';

export const eventRoutes = (logger: Logger) => [
  route({
    method: 'POST',
    path: '/v1/events',
    auth: 'tenant',
    tag: 'Events',
    summary: 'Send an event',
    description:
      'Stores the event and queues one delivery per matching active webhook (a webhook with no events list ' +
      'gets every type). Receivers get {id, type, timestamp, data}, signed. With an Idempotency-Key, the ' +
      'same key and body answer the first response again; another body with that key is a 422.',
    body: createEventBody,
    bodyExample: createEventExample,
    success: {
      status: 201,
      description: 'Accepted: stored, deliveries queued (status DELIVERED when no webhook matches).',
      schema: eventAccepted,
      example: eventAcceptedExample,
    },
    errors: {
      409: { code: 'event_exists', message: `An event with id ${createEventExample.id} already exists.` },
      422: {
        code: 'idempotency_key_reused',
        message: 'This Idempotency-Key was already used with a different request body.',
      },
    },
    handle: async (req, deps) => {
      const tenantId = req.principal.tenant_id;
      const event = normalizeEvent(req.body);
      refuseReserved(event, req.body.type !== undefined ? 'type' : 'event');
      // Powertools answers a replay from its record without calling `run`: that is how a
      // replay is told from a first response.
      let ran = false;
      const run = async () => {
        ran = true;
        return createEvent({ ...deps, log: logger }, { tenantId, event });
      };
      const key = req.headers['idempotency-key'];
      if (key === undefined) return jsonResponse(201, await run());
      if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
        throw new ValidationError('Idempotency-Key must be 1 to 255 printable characters.', [
          { field: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' },
        ]);
      }
      const result = await deps.idempotent(
        run,
        req.context,
      )({
        tenant_id: tenantId,
        idempotency_key: key,
        route: 'POST /v1/events',
        body: req.body,
      });
      return jsonResponse(201, result, { 'idempotent-replayed': ran ? 'false' : 'true' });
    },
  }),
  ...(['/v1/events/batch', '/v1/events/bulk'] as const).map((path) =>
    route({
      method: 'POST',
      path,
      auth: 'tenant',
      tag: 'Events',
      summary: path.endsWith('bulk')
        ? 'Send up to 100 events (alias of /v1/events/batch)'
        : 'Send up to 100 events',
      description:
        'Each event is checked and stored on its own, with the rules of POST /v1/events; results come back ' +
        'in the order sent. 201 when all were accepted, 207 when some were rejected (nothing is stored for ' +
        "a rejected one). An id is sent once per batch: an item repeating an earlier item's id is rejected " +
        '(duplicate_id) and nothing of it is queued.',
      body: batchEventsBody,
      bodyExample: batchExample,
      success: {
        status: 201,
        description: 'Every event accepted.',
        schema: batchResult,
        example: {
          ...batchResultExample,
          accepted: 1,
          rejected: 0,
          results: batchResultExample.results.slice(0, 1),
        },
      },
      alsoSucceeds: [
        {
          status: 207,
          description: 'Some events rejected: each result says which and why; the others were accepted.',
          example: batchResultExample,
        },
      ],
      handle: async (req, deps) => {
        const result = await createEvents(
          { ...deps, log: logger },
          {
            tenantId: req.principal.tenant_id,
            items: req.body.events,
            maxEventBytes: deps.maxEventBytes,
          },
        );
        return jsonResponse(result.rejected === 0 ? 201 : 207, result);
      },
    }),
  ),
  route({
    method: 'GET',
    path: '/v1/events',
    auth: 'tenant',
    portal: 'read',
    tag: 'Events',
    summary: 'List events',
    description: 'Your events, newest first, filtered by status and type, a page at a time.',
    query: listEventsQuery,
    success: { status: 200, description: 'A page of events.', schema: eventList, example: eventListExample },
    handle: async (req, deps) => {
      const q = req.query;
      const created = createdRangeOf(q);
      const result = await deps.events.list(req.principal.tenant_id, {
        ...(created ? { created } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.type ? { type: q.type } : {}),
        ...(q.webhook_id ? { webhook_id: q.webhook_id } : {}),
        limit: Number(q.limit ?? 50),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
      return jsonResponse(200, page('events', result.events, result.next_cursor));
    },
  }),
  route({
    method: 'GET',
    path: '/v1/events/export',
    auth: 'tenant',
    portal: 'read',
    tag: 'Events',
    summary: 'Export events as NDJSON',
    description:
      'Your events as newline-delimited JSON, newest first, with the filters of the list: one event per ' +
      'line, with its data. With more to come than `limit`, the last line is a truncation marker.',
    query: exportEventsQuery,
    success: {
      status: 200,
      description: 'One JSON event per line.',
      contentType: 'application/x-ndjson',
      schema: ndjsonExport,
      example: exportExample,
    },
    handle: async (req, deps) => {
      const tenantId = req.principal.tenant_id;
      const limit = Number(req.query.limit ?? EXPORT_LIMIT);
      const lines: string[] = [];
      let exported = 0;
      let cursor = req.query.cursor;
      const created = createdRangeOf(req.query);
      do {
        const page = await deps.events.list(tenantId, {
          ...(created ? { created } : {}),
          ...(req.query.status ? { status: req.query.status } : {}),
          ...(req.query.type ? { type: req.query.type } : {}),
          ...(req.query.webhook_id ? { webhook_id: req.query.webhook_id } : {}),
          limit: Math.min(100, limit - exported),
          ...(cursor ? { cursor } : {}),
        });
        // The list holds summaries; their events' data is read beside them, a page (up to 100)
        // in one BatchGetItem.
        const full = await deps.events.getMany(tenantId, page.events);
        page.events.forEach((summary, i) => {
          lines.push(JSON.stringify({ ...summary, data: full[i]?.data ?? null }));
        });
        exported += page.events.length;
        cursor = page.next_cursor ?? undefined;
      } while (cursor && exported < limit);
      // Stopped at the limit with more to come: the last line says so, and where to resume.
      const truncated = cursor !== undefined;
      if (truncated) lines.push(JSON.stringify({ truncated: true, exported, limit, next_cursor: cursor }));
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/x-ndjson', 'x-export-truncated': String(truncated) },
        body: lines.length ? `${lines.join('\n')}\n` : '',
      };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/events/{id}',
    auth: 'tenant',
    portal: 'read',
    tag: 'Events',
    summary: 'Read an event',
    description: 'The event with its data and, per matching webhook, the delivery state and every attempt.',
    success: {
      status: 200,
      description: 'The event and its deliveries.',
      schema: eventSchema,
      example: eventViewExample,
    },
    handle: async (req, deps) => {
      const id = req.params.id ?? '';
      const found = await deps.events.getWithAttempts(req.principal.tenant_id, id);
      if (!found) throw new NotFoundError('event', id);
      const { event, attempts } = found;
      return jsonResponse(200, eventView(event, attempts));
    },
  }),
  route({
    method: 'GET',
    path: '/v1/event-types',
    auth: 'tenant',
    portal: 'read',
    tag: 'Events',
    summary: 'The event catalog',
    description:
      'Every event type the tenant has sent within the retention, each with a recent event of it as an ' +
      'example: what a webhook can subscribe to, and what its payloads look like.',
    success: {
      status: 200,
      description: 'The types, by name.',
      schema: eventTypeList,
      example: eventTypeListExample,
    },
    handle: async (req, deps) => {
      const types = await deps.catalog.list(req.principal.tenant_id);
      return jsonResponse(200, { event_types: types.sort((a, b) => a.type.localeCompare(b.type)) });
    },
  }),
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
  }),
  route({
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
  }),
  route({
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
  }),
  route({
    method: 'GET',
    path: '/v1/stats',
    auth: 'tenant',
    portal: 'read',
    tag: 'Events',
    summary: 'Delivery statistics',
    description:
      'Counts by status, success rate, deliveries ended and attempt latency over a window (default 24h), ' +
      'complete however many attempts it holds; the same per bucket over time, and the endpoints failing now.',
    query: statsQuery,
    success: { status: 200, description: 'The statistics.', schema: statsView, example: statsExample },
    errors: { 404: { code: 'not_found', message: 'No webhook with id wh_01JD6YQ2B8N5C4R7T0VXKMZ3PA.' } },
    handle: async (req, deps) =>
      jsonResponse(
        200,
        await tenantStats(deps, {
          tenantId: req.principal.tenant_id,
          window: String(req.query.window ?? '24h'),
          ...(typeof req.query.webhook_id === 'string' ? { webhookId: req.query.webhook_id } : {}),
        }),
      ),
  }),
];
