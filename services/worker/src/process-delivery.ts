import type { HttpSender, SendResult } from '@hookrelay/delivery';
import { signedRequest } from '@hookrelay/delivery';
import {
  type Clock,
  type DeliveryMessage,
  type DeliveryQueue,
  type DeliveryUpdate,
  DISABLE_AFTER_FAILING_MS,
  type EventStore,
  envelopeOf,
  iso,
  nextStep,
  type SecretStore,
  type WebhookStore,
} from '@hookrelay/domain';

export interface WorkerDeps {
  readonly events: EventStore;
  readonly webhooks: Pick<WebhookStore, 'get' | 'recordOutcome'>;
  readonly secrets: SecretStore;
  readonly queue: DeliveryQueue;
  readonly sender: HttpSender;
  readonly clock: Clock;
  /** Delays before each attempt, in ms (entry 0 is the first attempt's). */
  readonly schedule: readonly number[];
  readonly random?: () => number;
}

export type Outcome =
  | { kind: 'delivered'; attempt: number; result: SendResult }
  | { kind: 'retry'; attempt: number; delayMs: number; result: SendResult }
  | { kind: 'failed'; attempt: number; result: SendResult }
  | { kind: 'cancelled'; reason: string }
  | { kind: 'deferred'; delayMs: number }
  | { kind: 'skipped'; reason: string };

const SQS_MAX_DELAY_MS = 900_000;

const describe = (result: SendResult): string =>
  result.status_code !== undefined
    ? `HTTP ${result.status_code}`
    : `${result.error_kind}: ${result.error ?? ''}`.trim();

/**
 * Makes the attempt a message asks for, records it, and schedules what follows: the next
 * attempt (as a delayed message that hops until its time when the wait exceeds what SQS
 * allows), or the end of the schedule (FAILED, copy in the DLQ). A message whose attempt
 * was already recorded is skipped, so redelivery never double-counts or regresses state.
 */
export const processDelivery = async (deps: WorkerDeps, msg: DeliveryMessage): Promise<Outcome> => {
  const now = deps.clock.now();
  if (msg.not_before !== undefined && msg.not_before > now + 1000) {
    const delayMs = msg.not_before - now;
    await deps.queue.send([{ message: msg, delaySeconds: Math.min(SQS_MAX_DELAY_MS, delayMs) / 1000 }]);
    return { kind: 'deferred', delayMs };
  }
  const { tenant_id: tenantId, event_id: eventId, webhook_id: webhookId } = msg;
  const event = await deps.events.get(tenantId, eventId);
  const delivery = event?.deliveries[webhookId];
  if (!event || !delivery) return { kind: 'skipped', reason: 'no such delivery' };
  if (delivery.status !== 'PENDING' || delivery.attempt_count !== msg.attempt - 1) {
    // Already done (a redelivery); make sure a crash after the record did not leave the event unsettled.
    if (delivery.status !== 'PENDING' && event.status === 'PENDING')
      await deps.events.settle(tenantId, eventId, iso(now));
    return { kind: 'skipped', reason: `attempt ${msg.attempt} already handled` };
  }

  const webhook = await deps.webhooks.get(tenantId, webhookId);
  if (!webhook?.active) {
    const reason = webhook ? 'webhook disabled' : 'webhook deleted';
    const claimed = await deps.events.claimAttempt(
      tenantId,
      eventId,
      webhookId,
      {
        status: 'CANCELLED',
        attempt_count: delivery.attempt_count + 1,
        round_attempts: delivery.round_attempts,
        at: iso(now),
        last_error: reason,
      },
      event,
    );
    if (claimed === 'claimed') await deps.events.settle(tenantId, eventId, iso(now));
    return { kind: 'cancelled', reason };
  }

  const secrets = await deps.secrets.get(tenantId, webhookId, now);
  const result = await deps.sender.send(
    signedRequest(
      webhook.url,
      envelopeOf(event),
      secrets.map((s) => s.secret),
      now,
    ),
  );
  const finished = deps.clock.now();
  const at = iso(finished);
  const attempt = msg.attempt;
  const round = delivery.round_attempts + 1;
  const base = {
    attempt_count: attempt,
    round_attempts: round,
    at,
    ...(result.status_code !== undefined ? { last_status_code: result.status_code } : {}),
  };

  let update: DeliveryUpdate;
  let outcome: Outcome;
  let disable: string | undefined;
  if (result.ok) {
    update = { ...base, status: 'DELIVERED' };
    outcome = { kind: 'delivered', attempt, result };
  } else {
    const failingSince = webhook.failing_since ? Date.parse(webhook.failing_since) : finished;
    if (result.status_code === 410) disable = 'the endpoint answered 410 Gone';
    else if (finished - failingSince >= DISABLE_AFTER_FAILING_MS)
      disable = 'failing for 5 days without a success';
    const step = disable
      ? ({ kind: 'exhausted' } as const)
      : nextStep(deps.schedule, round, result.retry_after_ms, deps.random);
    if (step.kind === 'retry') {
      update = {
        ...base,
        status: 'PENDING',
        next_attempt_at: iso(finished + step.delayMs),
        last_error: describe(result),
      };
      outcome = { kind: 'retry', attempt, delayMs: step.delayMs, result };
    } else {
      update = {
        ...base,
        status: 'FAILED',
        last_error: disable ? `${describe(result)}; ${disable}` : describe(result),
      };
      outcome = { kind: 'failed', attempt, result };
      // Into the DLQ before the state says FAILED: if this throws, SQS redelivers and we try again.
      const { not_before: _notBefore, ...message } = msg;
      await deps.queue.deadLetter({
        ...message,
        reason: 'exhausted',
        failed_at: at,
        attempts: attempt,
        ...(result.status_code !== undefined ? { last_status_code: result.status_code } : {}),
        ...(update.last_error ? { last_error: update.last_error } : {}),
      });
    }
  }

  // The attempt item first (its key is the attempt number, so a retried write overwrites, never
  // adds): whoever reads the delivery or the event as settled then also finds its attempt.
  await deps.events.putAttempt(tenantId, {
    event_id: eventId,
    webhook_id: webhookId,
    attempt,
    attempted_at: at,
    duration_ms: result.duration_ms,
    outcome: result.ok ? 'success' : 'failure',
    ...(result.status_code !== undefined ? { status_code: result.status_code } : {}),
    ...(result.error_kind ? { error_kind: result.error_kind } : {}),
    ...(result.response !== undefined ? { response: result.response } : {}),
  });
  const claim = await deps.events.claimAttempt(tenantId, eventId, webhookId, update, event);
  if (claim === 'lost') return { kind: 'skipped', reason: `attempt ${attempt} recorded by another worker` };
  await deps.webhooks.recordOutcome(tenantId, webhookId, {
    success: result.ok,
    at,
    ...(disable ? { disable } : {}),
  });
  if (outcome.kind === 'retry') {
    const notBefore = finished + outcome.delayMs;
    // If this send fails the delivery still carries its sweep mark; the sweeper re-enqueues it.
    await deps.queue
      .send([
        {
          message: { ...msg, attempt: attempt + 1, round, not_before: notBefore },
          delaySeconds: Math.min(SQS_MAX_DELAY_MS, outcome.delayMs) / 1000,
        },
      ])
      .catch(() => undefined);
  } else if (claim === 'claimed') {
    // Other deliveries were open when the event was read, or it changed since: settle now.
    await deps.events.settle(tenantId, eventId, at);
  }
  return outcome;
};
