import { DEFAULT_SWEEP_GRACE_MS } from '@hookrelay/definitions';
import {
  awaitsVerification,
  type Delivery,
  type DeliveryMessage,
  EVENT_COMMIT_WINDOW_MS,
  type EventStore,
  iso,
  type Lane,
  laneOf,
  type StoredEvent,
  type Webhook,
  type WebhookStore,
} from '@hookrelay/domain';
import { passBreaker } from './endpoint-breaker.js';
import { comeBackShortly, SQS_MAX_DELAY_MS } from './hand-back.js';
import type { Outcome } from './outcome.js';
import { holdForRateLimit } from './rate-limit-hold.js';
import type { PreparePorts } from './worker-deps.js';

/** What an attempt on a lane goes ahead with, once every check before it has passed. */
export interface PreparedAttempt {
  readonly nowMs: number;
  readonly event: StoredEvent;
  readonly delivery: Delivery;
  readonly webhook: Webhook;
  /** The attempt is its endpoint's breaker probe. */
  readonly probing: boolean;
}

/**
 * A message whose event is not written yet: the API sends messages just before it writes the
 * event, so the event is usually there within milliseconds. The worker looks again after
 * each of these pauses (350 ms in all) before it hands the message back for a second, the
 * shortest delay SQS has.
 */
const COMMIT_LOOKS_MS = [50, 100, 200] as const;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Reads the webhook a delivery is for. One deleted, disabled or unverified (it has not answered
 * its ownership challenge: its URL changed since the message was queued) gets nothing: the
 * delivery is cancelled, and no attempt is made, so none is counted: the delivery's count keeps
 * matching its attempts.
 *
 * @example const endpoint = await activeEndpoint(deps, msg, Date.now()); // { webhook } | { cancelled: 'webhook disabled' }
 */
export const activeEndpoint = async (
  deps: { readonly webhooks: Pick<WebhookStore, 'get'>; readonly events: Pick<EventStore, 'cancel'> },
  msg: DeliveryMessage,
  nowMs: number,
): Promise<{ readonly webhook: Webhook } | { readonly cancelled: string }> => {
  const { tenant_id: tenantId, event_id: eventId, webhook_id: webhookId } = msg;
  const webhook = await deps.webhooks.get(tenantId, webhookId);
  if (webhook?.active && !awaitsVerification(webhook)) return { webhook };
  const reason = !webhook ? 'webhook deleted' : webhook.active ? 'webhook unverified' : 'webhook disabled';
  await deps.events.cancel(tenantId, eventId, iso(nowMs), [webhookId], reason);
  return { cancelled: reason };
};

/**
 * The delivery a lane's message asks to attempt, if it is still this attempt's to make: a
 * message whose event is not written yet waits for it, or comes back while the producer may
 * still write it; one already handled (a redelivery) is skipped.
 */
const findDelivery = async (
  deps: PreparePorts,
  msg: DeliveryMessage,
  lane: Lane,
  now: number,
): Promise<Outcome | { readonly event: StoredEvent; readonly delivery: Delivery }> => {
  const { tenant_id: tenantId, event_id: eventId, webhook_id: webhookId } = msg;
  let event = await deps.events.get(tenantId, eventId);
  for (const pause of COMMIT_LOOKS_MS) {
    if (event || msg.commit_by === undefined || now >= msg.commit_by) break;
    await sleep(pause);
    event = await deps.events.get(tenantId, eventId);
  }
  if (!event && msg.commit_by !== undefined && now < msg.commit_by) {
    // Sent before its event was written: the write may still be on its way. Until the
    // producer's deadline the message comes back; after it, the event was never accepted.
    return comeBackShortly(deps, msg, lane);
  }
  const delivery = event?.deliveries[webhookId];
  if (!event || !delivery) return { kind: 'skipped', reason: 'no such delivery' };
  if (
    delivery.status === 'PENDING' &&
    delivery.attempt_count < msg.attempt - 1 &&
    msg.not_before !== undefined &&
    now < msg.not_before + EVENT_COMMIT_WINDOW_MS
  ) {
    // A retry whose message is here before the previous attempt's claim (it is sent first):
    // the claim may still be on its way. If it never lands, the previous attempt's own message
    // comes back and makes it again, and this one is dropped once the window has passed.
    return comeBackShortly(deps, msg, lane);
  }
  if (delivery.status !== 'PENDING' || delivery.attempt_count !== msg.attempt - 1) {
    // Already done (a redelivery); make sure a crash after the record did not leave the event unsettled.
    if (delivery.status !== 'PENDING' && event.status === 'PENDING')
      await deps.events.settle(tenantId, eventId, iso(now));
    return { kind: 'skipped', reason: `attempt ${msg.attempt} already handled` };
  }
  return { event, delivery };
};

/**
 * The checks before an attempt on a lane, each of which may hand the message back unattempted:
 * is it its time, is the delivery still this attempt's to make, is the endpoint still there,
 * on this lane (with two lanes), let through by its breaker and its rate limit. What passes
 * goes ahead.
 *
 * @example const prepared = await prepareAttempt(deps, msg, 'main'); // an Outcome, or what to send
 */
export const prepareAttempt = async (
  deps: PreparePorts,
  msg: DeliveryMessage,
  lane: Lane,
): Promise<Outcome | PreparedAttempt> => {
  const now = deps.clock.now();
  if (msg.not_before !== undefined && msg.not_before > now + 1000) {
    const delayMs = msg.not_before - now;
    await deps.queue.send([{ message: msg, delaySeconds: Math.min(SQS_MAX_DELAY_MS, delayMs) / 1000, lane }]);
    return { kind: 'deferred', delayMs };
  }
  const found = await findDelivery(deps, msg, lane, now);
  if ('kind' in found) return found;
  const { event, delivery } = found;
  deps.onTaken?.(lane, now - Date.parse(delivery.next_attempt_at ?? event.created_at));

  const endpoint = await activeEndpoint(deps, msg, now);
  if ('cancelled' in endpoint) return { kind: 'cancelled', reason: endpoint.cancelled };
  const { webhook } = endpoint;
  if (lane === 'main' && laneOf(webhook) === 'slow' && deps.deliveryLanes !== 1) {
    // Quarantined since this message was queued: it waits in the slow lane, unattempted. With
    // one lane it is attempted here, under the slow lane's policy.
    await deps.queue.send([{ message: msg, delaySeconds: 0, lane: 'slow' }]);
    return { kind: 'forwarded', lane: 'slow' };
  }
  const unattempted = delivery.attempt_count === 0;
  const breaker = await passBreaker(deps, msg, lane, webhook, unattempted, now);
  if ('kind' in breaker) return breaker;
  // A rate-limited message waits in the lane it came from.
  const held = await holdForRateLimit(deps, webhook, msg, now, lane, unattempted);
  if (held > 0) return { kind: 'rate_limited', delayMs: held };

  // An old event's first attempt: listed first, so that the PENDING list shows it while the
  // attempt runs, whatever the sweeper's mark (one write, for late first attempts only).
  if (
    unattempted &&
    !msg.listed &&
    now - Date.parse(event.created_at) > (deps.listBeforeAttemptAfterMs ?? DEFAULT_SWEEP_GRACE_MS - 60_000)
  ) {
    await deps.events.markWaiting(msg.tenant_id, msg.event_id).catch(() => undefined);
  }
  return { nowMs: now, event, delivery, webhook, probing: breaker.probing };
};
