import { iso } from './clock.js';
import type { ErrorKind } from './models.js';
import type { DeliveryUpdate } from './ports.js';
import { DISABLE_AFTER_FAILING_MS, nextStep } from './retry-schedule.js';

/** What an HTTP attempt came to, as far as deciding what follows goes. */
interface AttemptResult {
  readonly ok: boolean;
  readonly status_code?: number;
  readonly error_kind?: ErrorKind;
  readonly error?: string;
  /** What the endpoint asked through `Retry-After`. */
  readonly retry_after_ms?: number;
}

interface AttemptContext {
  /** The attempt just made, counted over the delivery's life (1-based). */
  readonly attempt: number;
  /** Attempts made in the current schedule before this one. */
  readonly roundAttempts: number;
  /** When the attempt finished (epoch ms). */
  readonly finishedMs: number;
  /** When the webhook's current run of failures began, if it is failing. */
  readonly failingSince?: string;
  /** Delays before each attempt, in ms. */
  readonly schedule: readonly number[];
  readonly random?: () => number;
}

/** What follows an attempt: nothing (delivered), another attempt, or the end of the schedule. */
type NextAction =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retry'; readonly delayMs: number; readonly notBefore: number }
  | { readonly kind: 'failed' };

interface AttemptDecision {
  /** How the delivery is to be recorded. */
  readonly update: DeliveryUpdate;
  readonly next: NextAction;
  /** Why the webhook is to be disabled, when this attempt disables it. */
  readonly disable?: string;
}

/** `HTTP 503`, or the transport error's kind and message. */
export const describeResult = (result: AttemptResult): string =>
  result.status_code !== undefined
    ? `HTTP ${result.status_code}`
    : `${result.error_kind}: ${result.error ?? ''}`.trim();

/**
 * The delivery rules in one place: an attempt's HTTP result becomes the delivery's update and
 * what follows. A 2xx delivers. A 410 Gone, or a failure while the webhook has failed for
 * five days without a success, disables the webhook and ends the delivery FAILED at once.
 * Any other failure waits the schedule's next delay (at least what `Retry-After` asked), or
 * ends FAILED when the schedule is used up.
 *
 * @example
 * decideAttempt({ ok: false, status_code: 503 }, { attempt: 1, roundAttempts: 0, finishedMs: 0, schedule: [0, 5000] })
 * // { update: { status: 'PENDING', next_attempt_at: '1970-01-01T00:00:05.000Z', ... }, next: { kind: 'retry', delayMs: ~5000, ... } }
 */
export const decideAttempt = (result: AttemptResult, context: AttemptContext): AttemptDecision => {
  const { attempt, finishedMs } = context;
  const base = {
    attempt_count: attempt,
    round_attempts: context.roundAttempts + 1,
    at: iso(finishedMs),
    ...(result.status_code !== undefined ? { last_status_code: result.status_code } : {}),
  };
  if (result.ok) return { update: { ...base, status: 'DELIVERED' }, next: { kind: 'delivered' } };

  const failingSince = context.failingSince ? Date.parse(context.failingSince) : finishedMs;
  const disable =
    result.status_code === 410
      ? 'the endpoint answered 410 Gone'
      : finishedMs - failingSince >= DISABLE_AFTER_FAILING_MS
        ? 'failing for 5 days without a success'
        : undefined;
  const described = describeResult(result);
  const step = disable
    ? ({ kind: 'exhausted' } as const)
    : nextStep(context.schedule, base.round_attempts, result.retry_after_ms, context.random);
  if (step.kind === 'retry') {
    const notBefore = finishedMs + step.delayMs;
    return {
      update: { ...base, status: 'PENDING', next_attempt_at: iso(notBefore), last_error: described },
      next: { kind: 'retry', delayMs: step.delayMs, notBefore },
    };
  }
  return {
    update: { ...base, status: 'FAILED', last_error: disable ? `${described}; ${disable}` : described },
    next: { kind: 'failed' },
    ...(disable ? { disable } : {}),
  };
};
