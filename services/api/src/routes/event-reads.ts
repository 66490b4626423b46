import { type EventFilter, NotFoundError } from '@hookrelay/domain';
import { jsonResponse } from '@hookrelay/http';
import type { FromSchema } from 'json-schema-to-ts';
import type { Deps } from '../deps.js';
import {
  eventListExample,
  eventTypeListExample,
  eventViewExample,
  exportExample,
} from '../examples/events.js';
import { route } from '../route-spec.js';
import {
  EXPORT_LIMIT,
  eventList,
  eventView as eventSchema,
  eventTypeList,
  exportEventsQuery,
  listEventsQuery,
  ndjsonExport,
} from '../schemas/events.js';
import { createdRangeOf } from '../time-range.js';
import { eventView, page } from './views.js';

/** The filters the list and the export share, as the store takes them. */
const eventFilterOf = (q: FromSchema<typeof listEventsQuery>): Omit<EventFilter, 'limit' | 'cursor'> => {
  const created = createdRangeOf(q);
  return {
    ...(created ? { created } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.type ? { type: q.type } : {}),
    ...(q.webhook_id ? { webhook_id: q.webhook_id } : {}),
  };
};

/** The tenant's event with every attempt of its deliveries, or the 404 that names it. */
const eventWithAttempts = async (deps: Deps, tenantId: string, id: string) => {
  const found = await deps.events.getWithAttempts(tenantId, id);
  if (!found) throw new NotFoundError('event', id);
  return found;
};

const listEventsRoute = route({
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
    const result = await deps.events.list(req.principal.tenant_id, {
      ...eventFilterOf(q),
      limit: Number(q.limit ?? 50),
      ...(q.cursor ? { cursor: q.cursor } : {}),
    });
    return jsonResponse(200, page('events', result.events, result.next_cursor));
  },
});

const exportEventsRoute = route({
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
    const filter = eventFilterOf(req.query);
    do {
      const page = await deps.events.list(tenantId, {
        ...filter,
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
});

const readEventRoute = route({
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
    const { event, attempts } = await eventWithAttempts(deps, req.principal.tenant_id, req.params.id ?? '');
    return jsonResponse(200, eventView(event, attempts));
  },
});

const eventCatalogRoute = route({
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
});

/** What a tenant reads of its events: the list, the export, one event, the catalog of types. */
export const eventReadRoutes = [listEventsRoute, exportEventsRoute, readEventRoute, eventCatalogRoute];
