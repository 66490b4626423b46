import {
  type AttemptSample,
  type ClaimResult,
  type DeadLetter,
  type Delivery,
  type DeliveryMessage,
  type DeliveryUpdate,
  decideAttempt,
  type EventStore,
  type StoredEvent,
  type Webhook,
  type WebhookStore,
} from '@hookrelay/domain';
import type { SendResult } from '../http-sender.js';
import type { AttemptReport } from './tell-tenant.js';

/** What `decideAttempt` says follows an attempt: how to record it, what comes next, and whether it disables the webhook. */
export type AttemptDecision = ReturnType<typeof decideAttempt>;

/** An attempt made, whichever line made it: what it was for and what came back. */
interface SentAttempt {
  readonly tenantId: string;
  readonly event: StoredEvent;
  readonly webhook: Webhook;
  readonly delivery: Pick<Delivery, 'round_attempts'>;
  /** The attempt, counted over the delivery's life (1-based). */
  readonly attempt: number;
  readonly result: SendResult;
  readonly finishedMs: number;
}

/** What recording an attempt needs. */
export interface RecordPorts {
  readonly events: Pick<EventStore, 'putAttempt' | 'claimAttempt' | 'settle'>;
  readonly webhooks: Pick<WebhookStore, 'recordOutcome'>;
  /** Told of every attempt recorded (the stats' counters); without it nothing is counted. */
  readonly counters?: { record(tenantId: string, webhookId: string, sample: AttemptSample): void };
  /** Delays before each attempt, in ms (entry 0 is the first attempt's). */
  readonly schedule: readonly number[];
  readonly random?: () => number;
}

/** What each line does around the record of its attempt. */
interface RecordSteps {
  /**
   * What must be done before the claim says so: the dead letter of a last attempt, the next
   * attempt's message. If it throws, nothing is recorded and the message comes back.
   */
  readonly beforeClaim?: (decision: AttemptDecision) => Promise<void>;
  /** Tells the tenant what the attempt meant; best effort, only when this worker's claim is made. */
  readonly tell?: (report: AttemptReport) => Promise<void>;
}

/** The attempt's claim on its delivery, and what `decideAttempt` said follows. */
interface RecordedAttempt {
  readonly claim: ClaimResult;
  readonly decision: AttemptDecision;
}

/**
 * Records an attempt the same way on every line (the lanes and the ordered line): decides what
 * follows (`decideAttempt`), lets the line do what must precede the claim, writes the attempt
 * and claims it (`writeAttempt`), tells the tenant, and settles the event once the delivery is
 * final. A lost claim (another worker recorded this attempt first) does nothing more.
 *
 * @example
 * const { claim, decision } = await recordAttempt(deps, sent, { beforeClaim, tell });
 */
export const recordAttempt = async (
  deps: RecordPorts,
  sent: SentAttempt,
  steps: RecordSteps = {},
): Promise<RecordedAttempt> => {
  const { tenantId, event, webhook, attempt, result } = sent;
  const decision = decideAttempt(result, {
    attempt,
    roundAttempts: sent.delivery.round_attempts,
    finishedMs: sent.finishedMs,
    ...(webhook.failing_since ? { failingSince: webhook.failing_since } : {}),
    schedule: deps.schedule,
    ...(deps.random ? { random: deps.random } : {}),
  });
  await steps.beforeClaim?.(decision);
  const claim = await writeAttempt(deps, sent, decision);
  if (claim === 'lost') return { claim, decision };
  const { update, next, disable } = decision;
  // Telling is best effort: the attempt stands, and the delivery must not be tried again for it.
  await steps
    .tell?.({
      event,
      webhook,
      attempt,
      at: update.at,
      result,
      exhausted: update.status === 'FAILED',
      ...(update.last_error ? { lastError: update.last_error } : {}),
      ...(disable ? { disabled: disable } : {}),
    })
    .catch(() => undefined);
  if (next.kind !== 'retry' && claim === 'claimed') {
    // Every delivery is final but the claim could not settle the event (it changed since it
    // was read): settle now. While another is open (`open`), that one's claim settles it.
    await deps.events.settle(tenantId, event.event_id, update.at);
  }
  return { claim, decision };
};

/**
 * Writes an attempt: the attempt item first (its key is the attempt number, so a retried write
 * overwrites, never adds), so whoever reads the delivery as settled also finds its attempt; then
 * the claim on the delivery. Only the worker whose claim is made counts the attempt for the
 * stats (and the delivery once, when it ends) and tells the webhook its outcome.
 */
const writeAttempt = async (
  deps: RecordPorts,
  sent: SentAttempt,
  { update, disable }: AttemptDecision,
): Promise<ClaimResult> => {
  const { tenantId, event, webhook, result } = sent;
  const at = update.at;
  await deps.events.putAttempt(tenantId, {
    event_id: event.event_id,
    webhook_id: webhook.id,
    attempt: sent.attempt,
    attempted_at: at,
    duration_ms: result.duration_ms,
    outcome: result.ok ? 'success' : 'failure',
    ...(result.status_code !== undefined ? { status_code: result.status_code } : {}),
    ...(result.error_kind ? { error_kind: result.error_kind } : {}),
    ...(result.response !== undefined ? { response: result.response } : {}),
  });
  const claim = await deps.events.claimAttempt(tenantId, event.event_id, webhook.id, update, event);
  if (claim === 'lost') return claim;
  deps.counters?.record(tenantId, webhook.id, {
    at,
    success: result.ok,
    duration_ms: result.duration_ms,
    ...(update.status === 'DELIVERED' || update.status === 'FAILED' ? { ended: update.status } : {}),
  });
  await deps.webhooks.recordOutcome(tenantId, webhook.id, {
    success: result.ok,
    at,
    ...(disable ? { disable } : {}),
  });
  return claim;
};

/**
 * The dead letter of a delivery's last attempt: the message as it came, with why and when it
 * ended, for on-call to read and requeue.
 *
 * @example await queue.deadLetter(exhaustedLetter(msg, 8, result, decision.update));
 */
export const exhaustedLetter = (
  msg: DeliveryMessage,
  attempt: number,
  result: Pick<SendResult, 'status_code'>,
  update: Pick<DeliveryUpdate, 'at' | 'last_error'>,
): DeadLetter => ({
  ...msg,
  attempt,
  reason: 'exhausted',
  failed_at: update.at,
  attempts: attempt,
  ...(result.status_code !== undefined ? { last_status_code: result.status_code } : {}),
  ...(update.last_error ? { last_error: update.last_error } : {}),
});
