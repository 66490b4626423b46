import { createHash } from 'node:crypto';
import { type Clock, iso } from './clock.js';
import { type DeliveryMessage, EVENT_COMMIT_WINDOW_MS } from './delivery-message.js';
import { targetsOf } from './event-targets.js';
import type { OperationalEventType } from './models.js';
import type { DeliveryQueue, EventStore, WebhookStore } from './ports.js';

/** The ports the platform needs to tell a tenant about its endpoints. */
export interface OperationalDeps {
  readonly events: Pick<EventStore, 'create'>;
  readonly webhooks: Pick<WebhookStore, 'list'>;
  readonly queue: Pick<DeliveryQueue, 'send'>;
  readonly clock: Clock;
}

export interface OperationalNotice {
  readonly type: OperationalEventType;
  /** The endpoint the notice is about; it never receives notices about itself. */
  readonly webhook_id: string;
  /** Names the occasion: told twice (a retried step), it is still one event. */
  readonly occasion: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** At most one `hookrelay.endpoint.failing` per webhook per hour. */
export const FAILING_NOTICE_QUIET_MS = 3_600_000;

/** The event id of an occasion: the same occasion always gives the same id. */
export const operationalEventId = (tenantId: string, notice: Pick<OperationalNotice, 'type' | 'occasion'>) =>
  `evt_hr_${createHash('sha256').update(`${tenantId}\n${notice.type}\n${notice.occasion}`).digest('hex').slice(0, 32)}`;

/**
 * Tells the tenant something about one of its endpoints with an event of a platform type,
 * delivered like any other event (stored, queued, signed, retried, logged) to the tenant's
 * webhooks that name the type (and whose filter, if any, matches it). With no such webhook nothing is written; `gate` (run only when
 * someone listens) may still decline. Returns the event id, or undefined when none was made.
 *
 * @example
 * await notifyTenant(deps, 'acme', {
 *   type: 'hookrelay.endpoint.disabled', webhook_id: 'wh_1', occasion: 'wh_1:evt_9:3',
 *   data: { webhook_id: 'wh_1', reason: 'the endpoint answered 410 Gone' },
 * });
 */
export const notifyTenant = async (
  deps: OperationalDeps,
  tenantId: string,
  notice: OperationalNotice,
  gate?: () => Promise<boolean>,
): Promise<string | undefined> => {
  const webhooks = await deps.webhooks.list(tenantId);
  const eventId = operationalEventId(tenantId, notice);
  const targets = targetsOf(webhooks, { type: notice.type, id: eventId, data: notice.data }).filter(
    (id) => id !== notice.webhook_id,
  );
  if (targets.length === 0) return undefined;
  if (gate && !(await gate())) return undefined;
  const nowMs = deps.clock.now();
  // The messages first, the event's write is the commit (as for any event): a refused send
  // makes no event, and telling is best effort. The event id is the occasion's, so a notice
  // told twice makes one event, and its second messages find the first's deliveries handled.
  try {
    await deps.queue.send(
      targets.map((webhookId) => ({
        message: {
          v: 1,
          tenant_id: tenantId,
          event_id: eventId,
          webhook_id: webhookId,
          attempt: 1,
          commit_by: nowMs + EVENT_COMMIT_WINDOW_MS,
        } satisfies DeliveryMessage,
        delaySeconds: 0,
      })),
    );
  } catch {
    return undefined;
  }
  const created = await deps.events.create({
    tenant_id: tenantId,
    event_id: eventId,
    type: notice.type,
    data: notice.data,
    created_at: iso(nowMs),
    webhook_ids: targets,
  });
  if (!created) return undefined;
  return eventId;
};
