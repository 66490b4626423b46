import { ValidationError } from './errors.js';

/** Immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const DEFAULT_RETRY_SCHEDULE = '0,5s,5m,30m,2h,5h,10h,10h';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a schedule such as `0,5s,5m,30m,2h` into delays in milliseconds: entry i is the
 * wait before attempt i+1, so the schedule's length is the number of attempts.
 *
 * @example
 * parseRetrySchedule('0,5s,1m') // [0, 5000, 60000]
 */
export const parseRetrySchedule = (text: string): number[] => {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (parts.length === 0) throw new ValidationError('A retry schedule needs at least one entry.');
  return parts.map((part) => {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(part);
    if (!match)
      throw new ValidationError(
        `Cannot read retry schedule entry "${part}" (use e.g. 0, 500ms, 5s, 5m, 2h).`,
      );
    const value = Number(match[1]);
    const unit = match[2] ?? 's';
    return Math.round(value * (UNIT_MS[unit] ?? 1000));
  });
};

const JITTER = 0.2;

/** A delay with ±20 % jitter, so retries of many deliveries do not arrive in lockstep. */
export const withJitter = (delayMs: number, random: () => number = Math.random): number =>
  Math.max(0, Math.round(delayMs * (1 + JITTER * (2 * random() - 1))));

/** Longest wait a `Retry-After` header may impose on the next attempt. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

type NextStep = { readonly kind: 'retry'; readonly delayMs: number } | { readonly kind: 'exhausted' };

/**
 * What follows a failed attempt: `roundAttempts` attempts of this schedule are done; the
 * next waits its schedule entry (jittered), or at least what `Retry-After` asked, clamped.
 */
export const nextStep = (
  schedule: readonly number[],
  roundAttempts: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): NextStep => {
  const base = schedule[roundAttempts];
  if (base === undefined) return { kind: 'exhausted' };
  const jittered = withJitter(base, random);
  const asked = retryAfterMs === undefined ? 0 : Math.min(Math.max(retryAfterMs, 0), MAX_RETRY_AFTER_MS);
  return { kind: 'retry', delayMs: Math.max(jittered, asked) };
};

/** After this long failing without a single success, a webhook is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * 86_400_000;
