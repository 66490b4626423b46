import {
  DEFAULT_LANE_POLICY,
  type DeliveryMessage,
  iso,
  type Lane,
  type LaneMove,
  laneChange,
  laneOf,
  type StoredEvent,
  type Webhook,
} from '@hookrelay/domain';
import type { SendResult } from '../http-sender.js';
import { noticeExpiringCertificate } from './certificate-notice.js';
import { noteAnswer } from './endpoint-breaker.js';
import { SQS_MAX_DELAY_MS } from './hand-back.js';
import type { Outcome } from './outcome.js';
import type { PreparedAttempt } from './prepare-attempt.js';
import { type AttemptDecision, exhaustedLetter, recordAttempt } from './record-attempt.js';
import type { AttemptReport } from './tell-tenant.js';
import { tellTenant } from './tell-tenant.js';
import type { LaneRecordPorts, WorkerNoticeDeps } from './worker-deps.js';

/** An attempt sent from a lane: its result, and the quarantine its watch made, if it made one. */
interface SentOnLane {
  readonly result: SendResult;
  readonly quarantined?: Promise<boolean> | undefined;
}

/**
 * A main-lane attempt given up unanswered after the lane's budget: the request reached the
 * endpoint, so it is in the history as an attempt (`abandoned`), and the slow lane makes the
 * next one at once, with the full timeout. It spends no step of the retry schedule (the
 * delivery's round is unchanged) and does not count toward the webhook's run of failures; the
 * stats count it as the unanswered attempt it was.
 */
const recordAbandoned = async (
  deps: LaneRecordPorts,
  msg: DeliveryMessage,
  event: StoredEvent,
  result: SendResult,
): Promise<Outcome> => {
  const { tenant_id: tenantId, event_id: eventId, webhook_id: webhookId, attempt } = msg;
  const roundAttempts = event.deliveries[webhookId]?.round_attempts ?? 0;
  const finished = deps.clock.now();
  const at = iso(finished);
  const reason = `abandoned: no answer within ${result.duration_ms} ms on the main lane; handed to the slow lane`;
  // The next attempt's message first, as for a retry: a claim that never lands leaves this
  // attempt's own message to come back and make it again.
  await deps.queue.send([
    { message: { ...msg, attempt: attempt + 1, not_before: finished }, delaySeconds: 0, lane: 'slow' },
  ]);
  await deps.events.putAttempt(tenantId, {
    event_id: eventId,
    webhook_id: webhookId,
    attempt,
    attempted_at: at,
    duration_ms: result.duration_ms,
    outcome: 'failure',
    error_kind: 'abandoned',
  });
  const claim = await deps.events.claimAttempt(
    tenantId,
    eventId,
    webhookId,
    {
      status: 'PENDING',
      attempt_count: attempt,
      round_attempts: roundAttempts,
      at,
      next_attempt_at: at,
      last_error: reason,
    },
    event,
  );
  if (claim === 'lost') return { kind: 'skipped', reason: `attempt ${attempt} recorded by another worker` };
  deps.counters?.record(tenantId, webhookId, { at, success: false, duration_ms: result.duration_ms });
  return { kind: 'forwarded', lane: 'slow', abandoned_after_ms: result.duration_ms };
};

/**
 * Moves the endpoint between lanes as the attempt says (`laneChange`), or as its watch already
 * did; lanes steer where the next attempts wait, so a failed lane write changes nothing else.
 */
const moveLane = async (
  deps: LaneRecordPorts,
  webhook: Webhook,
  sent: SentOnLane,
  finishedMs: number,
): Promise<LaneMove | undefined> => {
  const policy = deps.lanes ?? DEFAULT_LANE_POLICY;
  const { result, quarantined } = sent;
  const slow = result.error_kind === 'timeout' || result.duration_ms >= policy.slowAfterMs;
  const move = quarantined ? 'quarantine' : laneChange(webhook, { slow }, finishedMs, policy);
  await (quarantined ??
    (move
      ? deps.webhooks.markLane(webhook.tenant_id, webhook.id, move, finishedMs, policy).catch(() => false)
      : undefined));
  return move;
};

/**
 * What follows an attempt goes out before its claim: the last attempt's dead letter (before the
 * state says FAILED: if this throws, SQS redelivers and the attempt is tried again), or the next
 * attempt's message, as the API sends an event's messages before writing it: a worker killed
 * after the claim leaves no retry without its message. If the claim is then not made (lost to
 * another worker, or killed first), the message finds the attempt not recorded, or recorded by
 * the other worker, and is skipped. If this send fails, the claim leaves a sweep mark and the
 * sweeper sends it later.
 */
const queueWhatFollows = async (
  deps: LaneRecordPorts,
  msg: DeliveryMessage,
  result: SendResult,
  { update, next }: AttemptDecision,
  nextLane: Lane,
): Promise<void> => {
  if (next.kind === 'failed') {
    const { not_before: _notBefore, ...message } = msg;
    await deps.queue.deadLetter(exhaustedLetter(message, msg.attempt, result, update));
  }
  if (next.kind === 'retry') {
    await deps.queue
      .send([
        {
          message: { ...msg, attempt: msg.attempt + 1, not_before: next.notBefore },
          delaySeconds: Math.min(SQS_MAX_DELAY_MS, next.delayMs) / 1000,
          lane: nextLane,
        },
      ])
      .catch(() => undefined);
  }
};

/** Tells the tenant what the attempt meant, and that the endpoint's client certificate nears its end. */
const tellOnLane =
  (notices: WorkerNoticeDeps, webhook: Webhook, finishedMs: number) =>
  async (report: AttemptReport): Promise<void> => {
    await tellTenant(notices, report).catch(() => undefined);
    await noticeExpiringCertificate(notices, webhook, finishedMs).catch(() => undefined);
  };

/**
 * Records an attempt made from a lane: an abandoned one hands its delivery to the slow lane;
 * any other tells the breaker and the lanes what it says about the endpoint, and is recorded as
 * every line records (`recordAttempt`), its next attempt's message queued on the lane the
 * endpoint is now on.
 *
 * @example return recordOnLane(deps, msg, prepared, { result, quarantined: watch.quarantined() });
 */
export const recordOnLane = async (
  deps: LaneRecordPorts,
  msg: DeliveryMessage,
  prepared: PreparedAttempt,
  sent: SentOnLane,
): Promise<Outcome> => {
  const { event, delivery, webhook } = prepared;
  const { result } = sent;
  if (result.abandoned) {
    const policy = deps.lanes ?? DEFAULT_LANE_POLICY;
    await (sent.quarantined ??
      deps.webhooks
        .markLane(msg.tenant_id, msg.webhook_id, 'quarantine', deps.clock.now(), policy)
        .catch(() => false));
    return recordAbandoned(deps, msg, event, result);
  }
  const finished = deps.clock.now();
  await noteAnswer(deps, webhook, result, prepared.probing, finished);
  const move = await moveLane(deps, webhook, sent, finished);
  // With one lane every next attempt waits in the main queue, whatever the endpoint's lane.
  const nextLane: Lane =
    deps.deliveryLanes === 1
      ? 'main'
      : move === 'quarantine'
        ? 'slow'
        : move === 'recover'
          ? 'main'
          : laneOf(webhook);
  const attempt = msg.attempt;
  const sentAttempt = {
    tenantId: msg.tenant_id,
    event,
    webhook,
    delivery,
    attempt,
    result,
    finishedMs: finished,
  };
  const { claim, decision } = await recordAttempt(deps, sentAttempt, {
    beforeClaim: (decided) => queueWhatFollows(deps, msg, result, decided, nextLane),
    ...(deps.notices ? { tell: tellOnLane(deps.notices, webhook, finished) } : {}),
  });
  if (claim === 'lost') return { kind: 'skipped', reason: `attempt ${attempt} recorded by another worker` };
  const laneNote = move && move !== 'renew' ? { lane_change: move } : {};
  const { next } = decision;
  return next.kind === 'retry'
    ? { kind: 'retry', attempt, delayMs: next.delayMs, result, ...laneNote }
    : { kind: next.kind, attempt, result, ...laneNote };
};
