import type { DeliveryLanes } from '@hookrelay/definitions';
import type { Clock, Lane, LanePolicy, Webhook, WebhookStore } from '@hookrelay/domain';
import { laneOf } from '@hookrelay/domain';
import type { AttemptWatch } from './send-attempt.js';

/** A lane's watch over an attempt, and the quarantine it made, if it made one. */
interface LaneWatch extends AttemptWatch {
  quarantined(): Promise<boolean> | undefined;
}

/**
 * Watches an attempt taken from a lane. An attempt to a main-lane endpoint still unanswered
 * after `slowAfterMs` moves its endpoint to the slow lane at once, not when it finally answers
 * or times out: its next messages go there. No attempt taken from the main lane holds its
 * batch longer than the lane's budget: past it, it is abandoned (and handed to the slow lane),
 * so a burst for a hanging endpoint cannot take every poller. A stage of one lane has no other
 * lane to hand it to: its attempts run to the full timeout, as the slow lane's do.
 *
 * @example await sendAttempt(deps, attempt, watchOnLane(deps, webhook, 'main', DEFAULT_LANE_POLICY));
 */
export const watchOnLane = (
  deps: { readonly webhooks: Pick<WebhookStore, 'markLane'>; readonly clock: Clock },
  webhook: Pick<Webhook, 'tenant_id' | 'id' | 'lane'>,
  lane: Lane,
  policy: LanePolicy,
  deliveryLanes: DeliveryLanes = 2,
): LaneWatch => {
  let quarantined: Promise<boolean> | undefined;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  let budget: ReturnType<typeof setTimeout> | undefined;
  const giveUp = new AbortController();
  return {
    start: () => {
      if (laneOf(webhook) === 'main') {
        watchdog = setTimeout(() => {
          quarantined = deps.webhooks
            .markLane(webhook.tenant_id, webhook.id, 'quarantine', deps.clock.now(), policy)
            .catch(() => false);
        }, policy.slowAfterMs);
      }
      if (lane === 'main' && deliveryLanes === 2) {
        budget = setTimeout(() => giveUp.abort(), Math.max(policy.mainLaneBudgetMs, policy.slowAfterMs));
      }
      return giveUp.signal;
    },
    stop: () => {
      clearTimeout(watchdog);
      clearTimeout(budget);
    },
    quarantined: () => quarantined,
  };
};
