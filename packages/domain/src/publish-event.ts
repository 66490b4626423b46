import { type Clock, iso } from './clock.js';
import { type DeliveryMessage, EVENT_COMMIT_WINDOW_MS } from './delivery-message.js';
import { DependencyUnavailableError } from './errors.js';
import { targetsOf } from './event-targets.js';
import { laneOf } from './lanes.js';
import type { Webhook } from './models.js';
import { isOrdered, orderingGroupOf } from './ordering.js';
import type { DeliveryQueue, EventStore, NewEvent, OutgoingMessage } from './ports.js';

/** What a producer publishes: the event as the tenant's webhooks will see it. */
interface EventToPublish {
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly ordering_key?: string;
}

/** An event and the messages of its first attempts, decided before anything is written or sent. */
export interface PlannedEvent {
  readonly event: NewEvent;
  readonly messages: readonly OutgoingMessage[];
}

interface PublishPorts {
  readonly events: Pick<EventStore, 'create'>;
  readonly queue: Pick<DeliveryQueue, 'send'>;
  readonly clock: Clock;
  /** Told why a send was refused (the event then is not published). */
  readonly log?: { warn(message: string, context: Record<string, unknown>): void };
}

/**
 * Where a delivery's message waits: an ordered webhook's delivery of a keyed event at the back
 * of its key's line; any other on its endpoint's lane (`slow` while quarantined).
 */
const outgoingFor = (
  webhook: Pick<Webhook, 'lane' | 'ordering'> | undefined,
  message: DeliveryMessage,
  orderingKey: string | undefined,
): OutgoingMessage =>
  webhook && orderingKey !== undefined && isOrdered(webhook, orderingKey)
    ? {
        message,
        delaySeconds: 0,
        group: orderingGroupOf(message.tenant_id, message.webhook_id, orderingKey),
      }
    : { message, delaySeconds: 0, lane: webhook ? laneOf(webhook) : 'main' };

/**
 * Plans one event: its targets (types and filters matched here, once), and for each the first
 * attempt's message on the queue it belongs in. `except` names a webhook left out (an
 * operational notice is never sent to the endpoint it is about).
 *
 * @example
 * const plan = planEvent('acme', { id: 'evt_1', type: 'order.paid', data }, webhooks, Date.now());
 */
export const planEvent = (
  tenantId: string,
  input: EventToPublish,
  webhooks: readonly Webhook[],
  nowMs: number,
  except?: string,
): PlannedEvent => {
  const targets = targetsOf(webhooks, { type: input.type, id: input.id, data: input.data }).filter(
    (id) => id !== except,
  );
  const byId = new Map(webhooks.map((w) => [w.id, w] as const));
  const messages = targets.map((webhook_id) =>
    outgoingFor(
      byId.get(webhook_id),
      {
        v: 1,
        tenant_id: tenantId,
        event_id: input.id,
        webhook_id,
        attempt: 1,
        commit_by: nowMs + EVENT_COMMIT_WINDOW_MS,
      },
      input.ordering_key,
    ),
  );
  return {
    event: {
      tenant_id: tenantId,
      event_id: input.id,
      type: input.type,
      data: input.data,
      created_at: iso(nowMs),
      webhook_ids: targets,
      ...(input.ordering_key !== undefined ? { ordering_key: input.ordering_key } : {}),
    },
    messages,
  };
};

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Publishes a planned event: its messages are queued first, then the event is written (the
 * write is the commit). A refused send throws DependencyUnavailableError and writes nothing; a
 * message whose event is never written is dropped by the worker once its `commit_by` has
 * passed. Returns false when an event with that id exists already.
 *
 * @example
 * const plan = planEvent(tenantId, event, await webhooks.list(tenantId), clock.now());
 * if (!(await publishEvent({ events, queue, clock }, plan))) throw new ConflictError(...);
 */
export const publishEvent = async (ports: PublishPorts, plan: PlannedEvent): Promise<boolean> => {
  if (plan.messages.length > 0) {
    try {
      await ports.queue.send(plan.messages);
    } catch (error) {
      ports.log?.warn('enqueue failed; the event is refused', {
        tenant_id: plan.event.tenant_id,
        event_id: plan.event.event_id,
        error: errorText(error),
      });
      throw new DependencyUnavailableError();
    }
  }
  return ports.events.create(plan.event);
};

/**
 * Queues many planned events' messages, ten per request, each request on its own; returns the
 * ids of the events whose every message went out. The caller then writes those (and only
 * those) events: an event with a refused message is not published.
 */
export const queuePlanned = async (
  ports: Pick<PublishPorts, 'queue' | 'log'>,
  plans: readonly PlannedEvent[],
): Promise<Set<string>> => {
  const refused = new Set<string>();
  const sendChunk = async (chunk: readonly OutgoingMessage[]) => {
    try {
      await ports.queue.send(chunk);
    } catch (error) {
      for (const m of chunk) refused.add(m.message.event_id);
      ports.log?.warn('enqueue failed; these events are refused', {
        event_ids: [...new Set(chunk.map((m) => m.message.event_id))],
        error: errorText(error),
      });
    }
  };
  const tens = (messages: readonly OutgoingMessage[]) =>
    Array.from({ length: Math.ceil(messages.length / 10) }, (_, i) => messages.slice(i * 10, i * 10 + 10));
  const messages = plans.flatMap((p) => p.messages);
  // Ordered messages go out one request after the other, in the plans' order: a key's line is
  // the order SQS receives them in, and the batch's order is the order it was accepted in.
  const inLine = async () => {
    for (const chunk of tens(messages.filter((m) => m.group !== undefined))) await sendChunk(chunk);
  };
  await Promise.all([inLine(), ...tens(messages.filter((m) => m.group === undefined)).map(sendChunk)]);
  return new Set(plans.map((p) => p.event.event_id).filter((id) => !refused.has(id)));
};
