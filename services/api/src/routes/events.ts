import type { Logger } from '@aws-lambda-powertools/logger';
import { NotFoundError, ValidationError } from '@hookrelay/domain';
import { jsonResponse } from '@hookrelay/http';
import { route } from '../route-spec.js';
import {
  anyObject,
  batchEventsBody,
  createEventBody,
  EXPORT_LIMIT,
  eventAccepted,
  eventList,
  eventView as eventSchema,
  exportEventsQuery,
  listEventsQuery,
  statsQuery,
} from '../schemas.js';
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
import { eventView } from './views.js';

export const eventRoutes = (logger: Logger) => [
  route({
    method: 'POST',
    path: '/v1/events',
    auth: 'tenant',
    tag: 'Events',
    summary: 'Send an event; it is delivered to every matching webhook (Idempotency-Key supported)',
    body: createEventBody,
    success: { status: 201, schema: eventAccepted },
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
      const result = await deps.idempotent(run)({
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
      summary: 'Send up to 100 events at once; each gets its own result',
      body: batchEventsBody,
      success: { status: 201, schema: anyObject },
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
    tag: 'Events',
    summary: 'List events, newest first, filtered by status and type',
    query: listEventsQuery,
    success: { status: 200, schema: eventList },
    handle: async (req, deps) => {
      const q = req.query;
      const created = createdRangeOf(q);
      const page = await deps.events.list(req.principal.tenant_id, {
        ...(created ? { created } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.type ? { type: q.type } : {}),
        limit: Number(q.limit ?? 50),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
      return jsonResponse(200, page);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/events/export',
    auth: 'tenant',
    tag: 'Events',
    summary: 'Export events as NDJSON, newest first, with the list filters',
    query: exportEventsQuery,
    success: { status: 200, contentType: 'application/x-ndjson' },
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
          limit: Math.min(100, limit - exported),
          ...(cursor ? { cursor } : {}),
        });
        // The list holds summaries; each event's data is read beside it, a page at a time.
        const full = await Promise.all(page.events.map((e) => deps.events.get(tenantId, e.event_id)));
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
    tag: 'Events',
    summary: 'An event with each webhook delivery and its attempts',
    success: { status: 200, schema: eventSchema },
    handle: async (req, deps) => {
      const id = req.params.id ?? '';
      const found = await deps.events.getWithAttempts(req.principal.tenant_id, id);
      if (!found) throw new NotFoundError('event', id);
      const { event, attempts } = found;
      return jsonResponse(200, eventView(event, attempts));
    },
  }),
  route({
    method: 'POST',
    path: '/v1/events/{id}/retry',
    auth: 'tenant',
    tag: 'Events',
    summary: 'Retry a FAILED event: its failed deliveries start a fresh schedule',
    success: { status: 202, schema: anyObject },
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
    tag: 'Events',
    summary:
      "Attempt the event's delivery to this webhook once more, now, whatever its state (same webhook-id)",
    success: { status: 202, schema: anyObject },
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
    tag: 'Events',
    summary: 'Cancel the deliveries of an event that have not been made yet',
    success: { status: 200, schema: anyObject },
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
    tag: 'Events',
    summary: 'Counts by status, success rate and attempt latency over a window (default 24h)',
    query: statsQuery,
    success: { status: 200, schema: anyObject },
    handle: async (req, deps) =>
      jsonResponse(
        200,
        await tenantStats(deps, {
          tenantId: req.principal.tenant_id,
          window: String(req.query.window ?? '24h'),
        }),
      ),
  }),
];
