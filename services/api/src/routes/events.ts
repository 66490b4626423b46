import type { Logger } from '@aws-lambda-powertools/logger';
import {
  ConflictError,
  type Delivery,
  type DeliveryMessage,
  type DeliveryQueue,
  DependencyUnavailableError,
  EVENT_COMMIT_WINDOW_MS,
  EVENT_STATUSES,
  type EventStatus,
  iso,
  isReservedType,
  type Lane,
  laneOf,
  type NewEvent,
  NotFoundError,
  newId,
  PayloadTooLargeError,
  RESERVED_TYPE_PREFIX,
  ValidationError,
  webhookMatches,
} from '@hookrelay/domain';
import { jsonResponse } from '@hookrelay/http';
import type { Deps } from '../deps.js';
import { type RouteRequest, route } from '../route-spec.js';
import {
  anyObject,
  batchEventsBody,
  createEventBody,
  EVENT_TYPE,
  eventAccepted,
  eventList,
  eventView as eventSchema,
  ID_PATTERN,
  listEventsQuery,
  RESERVED_EVENT_IDS,
  statsQuery,
} from '../schemas.js';
import { eventView } from './views.js';

export interface EventInput {
  readonly type: string;
  readonly data: unknown;
  readonly id?: string;
}

/** `{type|event, data, id?}`; without `data` the whole body is the data. */
export const normalizeEvent = (body: Record<string, unknown>): EventInput => {
  const type = (body.type ?? body.event) as string;
  const data = 'data' in body ? body.data : body;
  return { type, data, ...(typeof body.id === 'string' ? { id: body.id } : {}) };
};

const messagesFor = (
  tenantId: string,
  eventId: string,
  deliveries: readonly Pick<Delivery, 'webhook_id' | 'attempt_count'>[],
  lanes?: ReadonlyMap<string, Lane>,
  commitBy?: number,
) =>
  deliveries.map((d) => ({
    message: {
      v: 1,
      tenant_id: tenantId,
      event_id: eventId,
      webhook_id: d.webhook_id,
      attempt: d.attempt_count + 1,
      ...(commitBy !== undefined ? { commit_by: commitBy } : {}),
    } satisfies DeliveryMessage,
    delaySeconds: 0,
    // An endpoint quarantined in the slow lane gets its messages there directly.
    lane: lanes?.get(d.webhook_id) ?? 'main',
  }));

/**
 * Enqueues the first attempt of deliveries that were (re)opened. If SQS refuses, the event
 * is still safe: its sweep mark makes the sweeper enqueue it after the grace period.
 */
export const enqueueReopened = async (
  deps: Deps,
  tenantId: string,
  eventId: string,
  deliveries: readonly Delivery[],
  logger?: Logger,
  lanes?: ReadonlyMap<string, Lane>,
): Promise<boolean> => {
  if (deliveries.length === 0) return true;
  try {
    await deps.queue.send(messagesFor(tenantId, eventId, deliveries, lanes));
    return true;
  } catch (error) {
    logger?.warn('enqueue failed; the sweeper will pick the event up', {
      tenant_id: tenantId,
      event_id: eventId,
      error: error instanceof Error ? error.message : String(error),
    });
    return false;
  }
};

type Outgoing = Parameters<DeliveryQueue['send']>[0][number];

/** What accepting an event writes and sends, decided before anything is done. */
const planEvent = (
  deps: Pick<Deps, 'clock'>,
  tenantId: string,
  input: EventInput,
  webhooks: Awaited<ReturnType<Deps['webhooks']['list']>>,
) => {
  const nowMs = deps.clock.now();
  const eventId = input.id ?? newId('evt', nowMs);
  const targets = webhooks.filter((w) => webhookMatches(w, input.type)).map((w) => w.id);
  const lanes = new Map(webhooks.map((w) => [w.id, laneOf(w)] as const));
  const messages = messagesFor(
    tenantId,
    eventId,
    targets.map((webhook_id) => ({ webhook_id, attempt_count: 0 })),
    lanes,
    nowMs + EVENT_COMMIT_WINDOW_MS,
  );
  const event: NewEvent = {
    tenant_id: tenantId,
    event_id: eventId,
    type: input.type,
    data: input.data,
    created_at: iso(nowMs),
    webhook_ids: targets,
  };
  return { event, messages };
};

/** Writes a planned event, whose messages are already queued: the write is the commit. */
const commitEvent = async (deps: Pick<Deps, 'events'>, event: NewEvent) => {
  const created = await deps.events.create(event);
  if (!created) throw new ConflictError(`An event with id ${event.event_id} already exists.`, 'event_exists');
  return {
    event_id: event.event_id,
    type: event.type,
    status: (event.webhook_ids.length > 0 ? 'PENDING' : 'DELIVERED') as EventStatus,
    created_at: event.created_at,
    deliveries: event.webhook_ids.length,
  };
};

/**
 * Accepts one event: its messages are queued first, then the event is written. SQS refusing
 * means nothing was accepted (503, the client tries again); a message whose event is never
 * written is dropped by the worker once its `commit_by` has passed (docs/data-model.md).
 */
export const createEvent = async (
  deps: Deps,
  tenantId: string,
  input: EventInput,
  webhooks: Awaited<ReturnType<Deps['webhooks']['list']>>,
  logger?: Logger,
) => {
  const { event, messages } = planEvent(deps, tenantId, input, webhooks);
  if (messages.length > 0) {
    try {
      await deps.queue.send(messages);
    } catch (error) {
      logger?.warn('enqueue failed; the event is refused', {
        tenant_id: tenantId,
        event_id: event.event_id,
        error: error instanceof Error ? error.message : String(error),
      });
      throw new DependencyUnavailableError();
    }
  }
  return commitEvent(deps, event);
};

/**
 * Sends messages ten per request, each request on its own; returns the ids of the events whose
 * every message went out (an event with a refused message is not accepted).
 */
const sendInTens = async (
  deps: Deps,
  messages: readonly Outgoing[],
  logger?: Logger,
): Promise<Set<string>> => {
  const chunks = Array.from({ length: Math.ceil(messages.length / 10) }, (_, i) =>
    messages.slice(i * 10, i * 10 + 10),
  );
  const refused = new Set<string>();
  await Promise.all(
    chunks.map(async (chunk) => {
      try {
        await deps.queue.send(chunk);
      } catch (error) {
        for (const m of chunk) refused.add(m.message.event_id);
        logger?.warn('enqueue failed; these events are refused', {
          tenant_id: chunk[0]?.message.tenant_id,
          event_ids: [...new Set(chunk.map((m) => m.message.event_id))],
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }),
  );
  return new Set(messages.map((m) => m.message.event_id).filter((id) => !refused.has(id)));
};

const mustGetEvent = async (deps: Deps, tenantId: string, eventId: string) => {
  const found = await deps.events.getWithAttempts(tenantId, eventId);
  if (!found) throw new NotFoundError('event', eventId);
  return found;
};

const windowMs = (text: string): number => {
  const n = Number(text.slice(0, -1));
  const unit = text.slice(-1);
  return n * (unit === 'm' ? 60_000 : unit === 'h' ? 3_600_000 : 86_400_000);
};

const percentile = (sorted: readonly number[], p: number): number | null =>
  sorted.length === 0
    ? null
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? null);

const EXPORT_LIMIT = 10_000;

export const eventRoutes = (logger: Logger) => [
  route({
    method: 'POST',
    path: '/v1/events',
    auth: 'tenant',
    tag: 'Events',
    summary: 'Send an event; it is delivered to every matching webhook (Idempotency-Key supported)',
    body: createEventBody,
    success: { status: 201, schema: eventAccepted },
    handle: async (req: RouteRequest, deps: Deps) => {
      const tenantId = req.principal.tenant_id;
      const input = normalizeEvent(req.body as Record<string, unknown>);
      if (isReservedType(input.type)) {
        throw new ValidationError(
          `Event types starting with "${RESERVED_TYPE_PREFIX}" are the platform's own; send another type.`,
          [{ field: req.body && 'type' in (req.body as object) ? 'type' : 'event', message: 'is reserved' }],
        );
      }
      if (input.id !== undefined && RESERVED_EVENT_IDS.includes(input.id)) {
        throw new ValidationError(`Event id "${input.id}" is reserved: a route uses that word.`, [
          { field: 'id', message: 'is reserved' },
        ]);
      }
      const run = async () => createEvent(deps, tenantId, input, await deps.webhooks.list(tenantId), logger);
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
      return jsonResponse(201, result, { 'idempotent-replayed': 'false' });
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
      handle: async (req: RouteRequest, deps: Deps) => {
        const tenantId = req.principal.tenant_id;
        const items = (req.body as { events: Record<string, unknown>[] }).events;
        const webhooks = await deps.webhooks.list(tenantId);
        // Every event's messages go out first, ten per SQS request; then the events whose
        // messages all went out are written. An event SQS refused is not accepted.
        const plans = items.map((item, index) => {
          const problem = validateBatchItem(item, deps.maxEventBytes);
          return problem
            ? { index, problem }
            : { index, ...planEvent(deps, tenantId, normalizeEvent(item), webhooks) };
        });
        const sent = await sendInTens(
          deps,
          plans.flatMap((p) => ('messages' in p ? p.messages : [])),
          logger,
        );
        const results = await Promise.all(
          plans.map(async (plan) => {
            const { index } = plan;
            if (!('event' in plan)) return { index, status: 'REJECTED', error: plan.problem };
            if (plan.messages.length > 0 && !sent.has(plan.event.event_id)) {
              const refused = new DependencyUnavailableError();
              return { index, status: 'REJECTED', error: { code: refused.code, message: refused.message } };
            }
            try {
              return { index, ...(await commitEvent(deps, plan.event)) };
            } catch (error) {
              if (error instanceof ConflictError) {
                return { index, status: 'REJECTED', error: { code: error.code, message: error.message } };
              }
              throw error;
            }
          }),
        );
        const rejected = results.filter((r) => r.status === 'REJECTED').length;
        return jsonResponse(rejected === 0 ? 201 : 207, {
          accepted: results.length - rejected,
          rejected,
          results,
        });
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
      const page = await deps.events.list(req.principal.tenant_id, {
        ...(q.status ? { status: q.status as EventStatus } : {}),
        ...(q.type ? { type: q.type as string } : {}),
        limit: Number(q.limit ?? 50),
        ...(q.cursor ? { cursor: q.cursor as string } : {}),
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
    query: {
      ...listEventsQuery,
      properties: { status: listEventsQuery.properties.status, type: listEventsQuery.properties.type },
    },
    success: { status: 200, contentType: 'application/x-ndjson' },
    handle: async (req, deps) => {
      const tenantId = req.principal.tenant_id;
      const lines: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await deps.events.list(tenantId, {
          ...(req.query.status ? { status: req.query.status as EventStatus } : {}),
          ...(req.query.type ? { type: req.query.type as string } : {}),
          limit: 100,
          ...(cursor ? { cursor } : {}),
        });
        for (const e of page.events) lines.push(JSON.stringify(e));
        cursor = page.next_cursor ?? undefined;
      } while (cursor && lines.length < EXPORT_LIMIT);
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/x-ndjson' },
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
      const { event, attempts } = await mustGetEvent(deps, req.principal.tenant_id, req.params.id ?? '');
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
    handle: async (req, deps) => {
      const tenantId = req.principal.tenant_id;
      const { event } = await mustGetEvent(deps, tenantId, req.params.id ?? '');
      if (event.status !== 'FAILED') {
        throw new ConflictError(
          `Only a FAILED event can be retried; this one is ${event.status}.`,
          'invalid_state',
        );
      }
      const reopened = await deps.events.reopen(tenantId, event.event_id, 'FAILED', iso(deps.clock.now()));
      await enqueueReopened(deps, tenantId, event.event_id, reopened, logger);
      return jsonResponse(202, { event_id: event.event_id, status: 'PENDING', retried: reopened.length });
    },
  }),
  route({
    method: 'DELETE',
    path: '/v1/events/{id}',
    auth: 'tenant',
    tag: 'Events',
    summary: 'Cancel the deliveries of an event that have not been made yet',
    success: { status: 200, schema: anyObject },
    handle: async (req, deps) => {
      const tenantId = req.principal.tenant_id;
      const { event } = await mustGetEvent(deps, tenantId, req.params.id ?? '');
      const cancelled = await deps.events.cancel(tenantId, event.event_id, iso(deps.clock.now()));
      if (cancelled.length === 0) {
        throw new ConflictError('The event has no pending deliveries to cancel.', 'invalid_state');
      }
      const after = await deps.events.get(tenantId, event.event_id);
      return jsonResponse(200, {
        event_id: event.event_id,
        status: after?.status,
        cancelled: cancelled.length,
      });
    },
  }),
  route({
    method: 'GET',
    path: '/v1/stats',
    auth: 'tenant',
    tag: 'Events',
    summary: 'Counts by status, success rate and attempt latency over a window (default 24h)',
    query: statsQuery,
    success: { status: 200, schema: anyObject },
    handle: async (req, deps) => {
      const tenantId = req.principal.tenant_id;
      const window = String(req.query.window ?? '24h');
      const since = iso(deps.clock.now() - windowMs(window));
      const counts = await deps.events.countByStatus(tenantId, since);
      const settled = counts.DELIVERED + counts.FAILED;
      const webhooks = await deps.webhooks.list(tenantId);
      const durations: number[] = [];
      for (const w of webhooks) {
        const page = await deps.events.attemptsByWebhook(tenantId, w.id, 100);
        for (const a of page.attempts) if (a.attempted_at >= since) durations.push(a.duration_ms);
      }
      durations.sort((a, b) => a - b);
      return jsonResponse(200, {
        window,
        since,
        counts: Object.fromEntries(EVENT_STATUSES.map((s) => [s, counts[s]])),
        total: Object.values(counts).reduce((a, b) => a + b, 0),
        success_rate: settled === 0 ? null : counts.DELIVERED / settled,
        attempt_latency_ms: {
          p50: percentile(durations, 50),
          p95: percentile(durations, 95),
          sample: durations.length,
        },
      });
    },
  }),
];

/** A batch item's own check: the same rules a single event gets, reported per item. */
const validateBatchItem = (item: Record<string, unknown>, maxBytes: number) => {
  const type = item.type ?? item.event;
  if (typeof type !== 'string' || !EVENT_TYPE.test(type)) {
    return {
      code: 'validation_error',
      message: 'type (or event) is required and must match ^[A-Za-z0-9._:-]{1,128}$',
    };
  }
  if (isReservedType(type)) {
    return {
      code: 'validation_error',
      message: `event types starting with "${RESERVED_TYPE_PREFIX}" are the platform's own`,
    };
  }
  if (item.id !== undefined && (typeof item.id !== 'string' || !ID_PATTERN.test(item.id))) {
    return { code: 'validation_error', message: 'id must match ^[A-Za-z0-9_.:-]{1,128}$' };
  }
  if (typeof item.id === 'string' && RESERVED_EVENT_IDS.includes(item.id)) {
    return { code: 'validation_error', message: `id "${item.id}" is reserved: a route uses that word` };
  }
  if (Buffer.byteLength(JSON.stringify(item)) > maxBytes) {
    return { code: 'payload_too_large', message: new PayloadTooLargeError(maxBytes).message };
  }
  return undefined;
};
