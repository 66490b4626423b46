import {
  type BreakerPolicy,
  breakerState,
  DEFAULT_BREAKER_POLICY,
  type DeliveryMessage,
  type Lane,
  type Webhook,
  type WebhookStore,
} from '@hookrelay/domain';
import type { SendResult } from '../http-sender.js';
import { type HandBackPorts, handBack, SQS_MAX_DELAY_MS } from './hand-back.js';
import type { Outcome } from './outcome.js';

/** What the breaker's hold before an attempt needs: the probe's lease, its policy, the hand-back. */
export type BreakerPorts = HandBackPorts & {
  readonly webhooks: Pick<WebhookStore, 'takeProbe'>;
  /** When an endpoint that stops answering is held back, and for how long (DEFAULT_BREAKER_POLICY if absent). */
  readonly breaker?: BreakerPolicy;
  readonly random?: () => number;
};

/**
 * Hands a delivery back, unattempted and uncounted, while its endpoint's breaker holds it: it
 * comes back when the breaker may let it through (spread over a fifth more, so that a backlog
 * does not come back at once), at most SQS's 15 minutes later. A new message, so the wait
 * spends none of the queue's receives that exist for poison messages.
 */
const park = async (
  deps: BreakerPorts,
  msg: DeliveryMessage,
  lane: Lane,
  waitMs: number,
  unattempted: boolean,
): Promise<Outcome> => {
  const delayMs = Math.min(
    SQS_MAX_DELAY_MS,
    Math.max(1_000, waitMs) * (1 + 0.2 * (deps.random ?? Math.random)()),
  );
  await handBack(deps, msg, lane, { delayMs, delaySeconds: Math.ceil(delayMs / 1000), unattempted });
  return { kind: 'parked', delayMs };
};

/**
 * An endpoint that stopped answering is held back by every instance at once: its breaker is on
 * the webhook item the attempt read. While open, deliveries wait unattempted (`parked`); once
 * the period is over, one probe at a time goes ahead (`probing`), and the first answer closes it.
 *
 * @example const passed = await passBreaker(deps, msg, 'main', webhook, true, Date.now());
 */
export const passBreaker = async (
  deps: BreakerPorts,
  msg: DeliveryMessage,
  lane: Lane,
  webhook: Pick<Webhook, 'unanswered' | 'parked_until' | 'probe_until'>,
  unattempted: boolean,
  nowMs: number,
): Promise<Outcome | { readonly probing: boolean }> => {
  const policy = deps.breaker ?? DEFAULT_BREAKER_POLICY;
  const breaker = breakerState(webhook, nowMs, policy);
  if (breaker.kind === 'open') return park(deps, msg, lane, breaker.untilMs - nowMs, unattempted);
  if (breaker.kind !== 'half-open') return { probing: false };
  const lease = nowMs + policy.probeLeaseMs;
  if (
    breaker.probeBusyUntilMs !== undefined ||
    !(await deps.webhooks.takeProbe(msg.tenant_id, msg.webhook_id, nowMs, lease))
  ) {
    return park(deps, msg, lane, (breaker.probeBusyUntilMs ?? lease) - nowMs, unattempted);
  }
  return { probing: true };
};

/**
 * Tells the breaker how an attempt went: it hears of every attempt that got no answer, and of
 * the first answer after them (or a probe's), so an endpoint that keeps answering costs it no
 * write. Best effort: the attempt stands either way.
 *
 * @example await noteAnswer(deps, webhook, result, prepared.probing, finishedMs);
 */
export const noteAnswer = async (
  deps: {
    readonly webhooks: Pick<WebhookStore, 'noteUnanswered' | 'noteAnswered'>;
    readonly breaker?: BreakerPolicy;
  },
  webhook: Pick<Webhook, 'tenant_id' | 'id' | 'unanswered'>,
  result: Pick<SendResult, 'status_code'>,
  probing: boolean,
  finishedMs: number,
): Promise<void> => {
  const { tenant_id: tenantId, id: webhookId } = webhook;
  if (result.status_code === undefined) {
    const policy = deps.breaker ?? DEFAULT_BREAKER_POLICY;
    await deps.webhooks.noteUnanswered(tenantId, webhookId, finishedMs, policy).catch(() => undefined);
  } else if (probing || webhook.unanswered !== undefined) {
    await deps.webhooks.noteAnswered(tenantId, webhookId).catch(() => undefined);
  }
};
