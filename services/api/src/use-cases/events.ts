import {
  type Clock,
  ConflictError,
  type Delivery,
  type DeliveryMessage,
  type DeliveryQueue,
  DependencyUnavailableError,
  type EventStatus,
  type EventStore,
  iso,
  isReservedType,
  type Lane,
  MAX_ORDERING_KEY_LENGTH,
  type NewEvent,
  NotFoundError,
  newId,
  PayloadTooLargeError,
  planEvent,
  publishEvent,
  queuePlanned,
  RESERVED_TYPE_PREFIX,
  ValidationError,
  type Webhook,
  type WebhookStore,
} from '@hookrelay/domain';
import { FIELD_ALIASES, withFieldAliases } from '../aliases.js';
import type { NotedTypes } from '../event-catalog.js';
import { EVENT_TYPE, ID_PATTERN, RESERVED_EVENT_IDS } from '../schemas/common.js';

/** Where a use case reports what it kept going through (a failed enqueue the sweeper repairs). */
interface Warnings {
  warn(message: string, context: Record<string, unknown>): void;
}

interface EventPorts {
  readonly events: Pick<EventStore, 'create'>;
  readonly webhooks: Pick<WebhookStore, 'list'>;
  readonly queue: Pick<DeliveryQueue, 'send'>;
  readonly clock: Clock;
  readonly log?: Warnings;
  /** Where accepted events' types are noted (the tenant's event catalog); absent, they are not. */
  readonly catalog?: Pick<NotedTypes, 'note'>;
}

interface EventInput {
  readonly type: string;
  readonly data: unknown;
  readonly id?: string;
  readonly ordering_key?: string;
}

/**
 * `{type|event, data, id?, ordering_key?}`; without `data` the whole body is the data (and an
 * `ordering_key` in it still orders the event).
 */
export const normalizeEvent = (body: Record<string, unknown>): EventInput => {
  const type = (body.type ?? body.event) as string;
  const data = 'data' in body ? body.data : body;
  return {
    type,
    data,
    ...(typeof body.id === 'string' ? { id: body.id } : {}),
    ...(typeof body.ordering_key === 'string' ? { ordering_key: body.ordering_key } : {}),
  };
};

type Outgoing = Parameters<DeliveryQueue['send']>[0][number];

const messagesFor = (
  tenantId: string,
  eventId: string,
  deliveries: readonly Pick<Delivery, 'webhook_id' | 'attempt_count'>[],
  lanes?: ReadonlyMap<string, Lane>,
): Outgoing[] =>
  deliveries.map((d) => ({
    message: {
      v: 1,
      tenant_id: tenantId,
      event_id: eventId,
      webhook_id: d.webhook_id,
      attempt: d.attempt_count + 1,
    } satisfies DeliveryMessage,
    delaySeconds: 0,
    // An endpoint quarantined in the slow lane gets its messages there directly.
    lane: lanes?.get(d.webhook_id) ?? 'main',
  }));

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Enqueues the first attempt of deliveries that were (re)opened. If SQS refuses, the event
 * is still safe: its sweep mark makes the sweeper enqueue it after the grace period.
 */
export const enqueueReopened = async (
  ports: Pick<EventPorts, 'queue' | 'log'>,
  tenantId: string,
  eventId: string,
  deliveries: readonly Pick<Delivery, 'webhook_id' | 'attempt_count'>[],
  lanes?: ReadonlyMap<string, Lane>,
): Promise<boolean> => {
  if (deliveries.length === 0) return true;
  try {
    await ports.queue.send(messagesFor(tenantId, eventId, deliveries, lanes));
    return true;
  } catch (error) {
    ports.log?.warn('enqueue failed; the sweeper will pick the event up', {
      tenant_id: tenantId,
      event_id: eventId,
      error: errorText(error),
    });
    return false;
  }
};

/** The checks a single event's schema cannot make: reserved types and ids. */
export const refuseReserved = (input: EventInput, typeField: 'type' | 'event'): void => {
  if (isReservedType(input.type)) {
    throw new ValidationError(
      `Event types starting with "${RESERVED_TYPE_PREFIX}" are the platform's own; send another type.`,
      [{ field: typeField, message: 'is reserved' }],
    );
  }
  if (input.id !== undefined && RESERVED_EVENT_IDS.includes(input.id)) {
    throw new ValidationError(`Event id "${input.id}" is reserved: a route uses that word.`, [
      { field: 'id', message: 'is reserved' },
    ]);
  }
};

/** What accepting an event writes and sends, decided before anything is done. */
const planAccepted = (
  ports: Pick<EventPorts, 'clock'>,
  tenantId: string,
  input: EventInput,
  webhooks: readonly Webhook[],
) => {
  const nowMs = ports.clock.now();
  // Filters are matched here, once: a filter changed later does not revisit accepted events.
  return planEvent(
    tenantId,
    {
      id: input.id ?? newId('evt', nowMs),
      type: input.type,
      data: input.data,
      ...(input.ordering_key !== undefined ? { ordering_key: input.ordering_key } : {}),
    },
    webhooks,
    nowMs,
  );
};

/** The event's type in the tenant's catalog; the event is accepted whether or not that write works. */
const noteType = async (ports: Pick<EventPorts, 'catalog' | 'clock' | 'log'>, event: NewEvent) => {
  try {
    await ports.catalog?.note(
      event.tenant_id,
      {
        type: event.type,
        last_seen_at: event.created_at,
        example: { event_id: event.event_id, data: event.data },
      },
      ports.clock.now(),
    );
  } catch (error) {
    ports.log?.warn('event catalog not updated', {
      tenant_id: event.tenant_id,
      type: event.type,
      error: errorText(error),
    });
  }
};

/** What the client hears of an event it published (`created` false: the id exists). */
const accepted = async (
  ports: Pick<EventPorts, 'catalog' | 'clock' | 'log'>,
  event: NewEvent,
  created: boolean,
) => {
  if (!created) throw new ConflictError(`An event with id ${event.event_id} already exists.`, 'event_exists');
  await noteType(ports, event);
  return withFieldAliases(
    {
      event_id: event.event_id,
      type: event.type,
      status: (event.webhook_ids.length > 0 ? 'PENDING' : 'DELIVERED') as EventStatus,
      created_at: event.created_at,
      delivery_count: event.webhook_ids.length,
      ...(event.ordering_key !== undefined ? { ordering_key: event.ordering_key } : {}),
    },
    FIELD_ALIASES.eventAccepted,
  );
};

/**
 * Accepts one event, published as every producer publishes (`publishEvent`): its messages are
 * queued first, then the event is written (the write is the commit). SQS refusing means nothing
 * was accepted (503, the client tries again); a message whose event is never written is dropped
 * by the worker once its `commit_by` has passed (docs/data-model.md).
 *
 * @example createEvent({ events, webhooks, queue, clock }, { tenantId: 'acme', event: { type: 'order.paid', data } })
 */
export const createEvent = async (
  ports: EventPorts,
  input: { readonly tenantId: string; readonly event: EventInput },
) => {
  const plan = planAccepted(ports, input.tenantId, input.event, await ports.webhooks.list(input.tenantId));
  return accepted(ports, plan.event, await publishEvent(ports, plan));
};

/** A batch item's own check: the same rules a single event gets, reported per item. */
const duplicateIn = (eventId: string, first: number) => ({
  code: 'duplicate_id',
  message: `The id ${eventId} is also item ${first} of this batch; a batch sends each event once.`,
});

const batchItemProblem = (item: Record<string, unknown>, maxBytes: number) => {
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
  const key = item.ordering_key;
  if (
    key !== undefined &&
    (typeof key !== 'string' || key.length < 1 || key.length > MAX_ORDERING_KEY_LENGTH)
  ) {
    return {
      code: 'validation_error',
      message: `ordering_key must be a string of 1 to ${MAX_ORDERING_KEY_LENGTH} characters`,
    };
  }
  if (Buffer.byteLength(JSON.stringify(item)) > maxBytes) {
    return { code: 'payload_too_large', message: new PayloadTooLargeError(maxBytes).message };
  }
  return undefined;
};

/**
 * Accepts up to 100 events, each judged on its own. Every event's messages go out first, ten
 * per SQS request, each request on its own; then the events whose messages all went out are
 * written. An event SQS refused is not accepted (REJECTED, service_unavailable), nor is one whose
 * id exists. `rejected > 0` is a multi-status answer (207).
 */
export const createEvents = async (
  ports: EventPorts,
  input: {
    readonly tenantId: string;
    readonly items: readonly Record<string, unknown>[];
    readonly maxEventBytes: number;
  },
) => {
  const { tenantId } = input;
  const webhooks = await ports.webhooks.list(tenantId);
  // An event id is taken once per batch, by its first valid item: a later copy's messages would
  // be queued before its write was refused, and delivered.
  const taken = new Map<string, number>();
  const plans = input.items.map((item, index) => {
    const problem = batchItemProblem(item, input.maxEventBytes);
    if (problem) return { index, problem };
    const plan = planAccepted(ports, tenantId, normalizeEvent(item), webhooks);
    const first = taken.get(plan.event.event_id);
    if (first !== undefined) return { index, problem: duplicateIn(plan.event.event_id, first) };
    taken.set(plan.event.event_id, index);
    return { index, ...plan };
  });
  const sent = await queuePlanned(
    ports,
    plans.flatMap((p) => ('event' in p ? [p] : [])),
  );
  const results = await Promise.all(
    plans.map(async (plan) => {
      const { index } = plan;
      if (!('event' in plan)) return { index, status: 'REJECTED' as const, error: plan.problem };
      if (plan.messages.length > 0 && !sent.has(plan.event.event_id)) {
        const refused = new DependencyUnavailableError();
        return {
          index,
          status: 'REJECTED' as const,
          error: { code: refused.code, message: refused.message },
        };
      }
      try {
        return { index, ...(await accepted(ports, plan.event, await ports.events.create(plan.event))) };
      } catch (error) {
        if (error instanceof ConflictError) {
          return { index, status: 'REJECTED' as const, error: { code: error.code, message: error.message } };
        }
        throw error;
      }
    }),
  );
  const rejected = results.filter((r) => r.status === 'REJECTED').length;
  return { accepted: results.length - rejected, rejected, results };
};

interface EventStatePorts {
  readonly events: Pick<EventStore, 'get' | 'reopen' | 'cancel'>;
  readonly queue: Pick<DeliveryQueue, 'send'>;
  readonly clock: Clock;
  readonly log?: Warnings;
}

const mustGet = async (ports: Pick<EventStatePorts, 'events'>, tenantId: string, eventId: string) => {
  const event = await ports.events.get(tenantId, eventId);
  if (!event) throw new NotFoundError('event', eventId);
  return event;
};

/** A FAILED event's failed deliveries start a fresh schedule (409 for any other status). */
export const retryEvent = async (
  ports: EventStatePorts,
  input: { readonly tenantId: string; readonly eventId: string },
) => {
  const event = await mustGet(ports, input.tenantId, input.eventId);
  if (event.status !== 'FAILED') {
    throw new ConflictError(
      `Only a FAILED event can be retried; this one is ${event.status}.`,
      'invalid_state',
    );
  }
  const reopened = await ports.events.reopen(
    input.tenantId,
    event.event_id,
    'FAILED',
    iso(ports.clock.now()),
  );
  await enqueueReopened(ports, input.tenantId, event.event_id, reopened);
  return { event_id: event.event_id, status: 'PENDING' as const, retried: reopened.length };
};

/** Cancels the deliveries not made yet (409 when none is pending). */
export const cancelEvent = async (
  ports: EventStatePorts,
  input: { readonly tenantId: string; readonly eventId: string },
) => {
  const event = await mustGet(ports, input.tenantId, input.eventId);
  const cancelled = await ports.events.cancel(input.tenantId, event.event_id, iso(ports.clock.now()));
  if (cancelled.length === 0) {
    throw new ConflictError('The event has no pending deliveries to cancel.', 'invalid_state');
  }
  const after = await ports.events.get(input.tenantId, event.event_id);
  return { event_id: event.event_id, status: after?.status, cancelled: cancelled.length };
};
