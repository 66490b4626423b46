import type { Webhook } from './models.js';

/**
 * The circuit breaker every worker instance shares: its state is on the webhook item the worker
 * reads before each attempt anyway, so an endpoint that stops answering is held back by all
 * instances at once, however many there are (docs/delivery.md, "An endpoint that stops
 * answering"). Nothing is read or written for it while the endpoint answers.
 */
export interface BreakerPolicy {
  /** Attempts in a row without an HTTP answer (timeouts, refused or reset connections) that open it. */
  readonly openAfter: number;
  /** How long it stays open the first time; doubled each time a probe goes unanswered. */
  readonly firstOpenMs: number;
  /** The longest it stays open at once (SQS's longest delay). */
  readonly maxOpenMs: number;
  /** How long a probe holds the half-open breaker: longer than any attempt's timeout. */
  readonly probeLeaseMs: number;
}

export const DEFAULT_BREAKER_POLICY: BreakerPolicy = {
  openAfter: 5,
  firstOpenMs: 30_000,
  maxOpenMs: 900_000,
  probeLeaseMs: 60_000,
};

type BreakerState =
  /** The endpoint answers (or has not failed often enough): attempts go ahead. */
  | { readonly kind: 'closed' }
  /** Deliveries wait, unattempted, until `untilMs`. */
  | { readonly kind: 'open'; readonly untilMs: number }
  /** One attempt, the probe, may go ahead; `probeBusyUntilMs` while another instance holds it. */
  | { readonly kind: 'half-open'; readonly probeBusyUntilMs?: number };

/**
 * What the webhook's breaker says about an attempt at `nowMs`.
 *
 * @example
 * breakerState({ unanswered: 5, parked_until: '2026-01-01T00:00:30Z' }, Date.parse('2026-01-01T00:00:00Z'))
 * // { kind: 'open', untilMs: 1767225630000 }
 */
export const breakerState = (
  webhook: Pick<Webhook, 'unanswered' | 'parked_until' | 'probe_until'>,
  nowMs: number,
  policy: BreakerPolicy = DEFAULT_BREAKER_POLICY,
): BreakerState => {
  if ((webhook.unanswered ?? 0) < policy.openAfter || webhook.parked_until === undefined) {
    return { kind: 'closed' };
  }
  const untilMs = Date.parse(webhook.parked_until);
  if (nowMs < untilMs) return { kind: 'open', untilMs };
  const probeMs = webhook.probe_until ? Date.parse(webhook.probe_until) : undefined;
  return probeMs !== undefined && probeMs > nowMs
    ? { kind: 'half-open', probeBusyUntilMs: probeMs }
    : { kind: 'half-open' };
};

/**
 * How long the breaker opens for after `unanswered` attempts in a row went unanswered: the
 * first period at `openAfter`, doubling with each unanswered probe, at most `maxOpenMs`.
 *
 * @example
 * openPeriodMs(5) // 30_000
 * openPeriodMs(7) // 120_000
 */
export const openPeriodMs = (unanswered: number, policy: BreakerPolicy = DEFAULT_BREAKER_POLICY): number =>
  Math.min(
    policy.maxOpenMs,
    policy.firstOpenMs * 2 ** Math.max(0, Math.min(30, unanswered - policy.openAfter)),
  );
