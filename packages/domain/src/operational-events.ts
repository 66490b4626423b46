import { createHash } from 'node:crypto';
import type { Clock } from './clock.js';
import type { OperationalEventType } from './models.js';
import type { DeliveryQueue, EventStore, WebhookStore } from './ports.js';
import { planEvent, publishEvent } from './publish-event.js';

/** The ports the platform needs to tell a tenant about its endpoints. */
export interface OperationalDeps {
  readonly events: Pick<EventStore, 'create'>;
  readonly webhooks: Pick<WebhookStore, 'list'>;
  readonly queue: Pick<DeliveryQueue, 'send'>;
  readonly clock: Clock;
}

interface OperationalNotice {
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
const operationalEventId = (tenantId: string, notice: Pick<OperationalNotice, 'type' | 'occasion'>) =>
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
  const plan = planEvent(
    tenantId,
    { id: eventId, type: notice.type, data: notice.data },
    webhooks,
    deps.clock.now(),
    notice.webhook_id,
  );
  if (plan.messages.length === 0) return undefined;
  if (gate && !(await gate())) return undefined;
  // Published as any event: a refused send makes no event, and telling is best effort. The
  // event id is the occasion's, so a notice told twice makes one event, and its second messages
  // find the first's deliveries handled.
  let created: boolean;
  try {
    created = await publishEvent(deps, plan);
  } catch {
    return undefined;
  }
  if (!created) return undefined;
  return eventId;
};
