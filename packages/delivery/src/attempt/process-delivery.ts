import { DEFAULT_LANE_POLICY, type DeliveryMessage, type Lane } from '@hookrelay/domain';
import { waitForSlot } from './endpoint-slots.js';
import { watchOnLane } from './lane-watch.js';
import type { Outcome } from './outcome.js';
import { prepareAttempt } from './prepare-attempt.js';
import { recordOnLane } from './record-on-lane.js';
import { sendAttempt } from './send-attempt.js';
import type { WorkerDeps } from './worker-deps.js';

/** The attempt on a lane, in three steps: prepare (every check before it), send, record. */
const attemptDelivery = async (deps: WorkerDeps, msg: DeliveryMessage, lane: Lane): Promise<Outcome> => {
  const prepared = await prepareAttempt(deps, msg, lane);
  if ('kind' in prepared) return prepared;
  const watch = watchOnLane(
    deps,
    prepared.webhook,
    lane,
    deps.lanes ?? DEFAULT_LANE_POLICY,
    deps.deliveryLanes,
  );
  const result = await sendAttempt(
    deps,
    { tenantId: msg.tenant_id, event: prepared.event, webhook: prepared.webhook, nowMs: prepared.nowMs },
    watch,
  );
  return recordOnLane(deps, msg, prepared, { result, quarantined: watch.quarantined() });
};

/**
 * Makes the attempt a message asks for, records it, and schedules what follows: the next
 * attempt (as a delayed message that hops until its time when the wait exceeds what SQS
 * allows), or the end of the schedule (FAILED, copy in the DLQ). A message whose attempt
 * was already recorded is skipped, so redelivery never double-counts or regresses state.
 *
 * Lanes (docs/delivery.md): on `main`, a message for a quarantined endpoint is forwarded to
 * `slow` unattempted, an attempt unanswered after `slowAfterMs` quarantines its endpoint, and
 * one unanswered after `mainLaneBudgetMs` is abandoned and handed to `slow`; on `slow`, an
 * endpoint has at most `endpointSlots` attempts in flight, and comes back to `main` once it
 * has answered quickly for `recoverAfterMs`. With one lane (`deliveryLanes: 1`) every message
 * comes from `main`: a quarantined endpoint's is attempted there with the full timeout, and
 * none is forwarded or abandoned (the per-process endpoint slots are the slow lane's only).
 *
 * @example const outcome = await processDelivery(deps, parseDeliveryMessage(record.body), 'main');
 */
export const processDelivery = async (
  deps: WorkerDeps,
  msg: DeliveryMessage,
  lane: Lane = 'main',
): Promise<Outcome> => {
  const slots = lane === 'slow' ? deps.endpointSlots : undefined;
  if (slots && !slots.take(msg.webhook_id)) return waitForSlot(deps, slots, msg, lane);
  const started = deps.clock.now();
  let outcome: Outcome | undefined;
  try {
    outcome = await attemptDelivery(deps, msg, lane);
    return outcome;
  } finally {
    const result = outcome && 'result' in outcome ? outcome.result : undefined;
    slots?.give(
      msg.webhook_id,
      result ? { heldMs: deps.clock.now() - started, answered: result.status_code !== undefined } : undefined,
    );
  }
};
