import type { Webhook } from './models.js';

/**
 * Where an endpoint's deliveries wait. Every endpoint starts on `main`; one that answers
 * slowly or not at all is moved to `slow`, a queue with a consumer of its own, so that its
 * attempts never hold a healthy endpoint's batch. It comes back once it answers quickly again.
 */
export type Lane = 'main' | 'slow';

export interface LanePolicy {
  /** An attempt still unanswered after this long moves its endpoint to the slow lane. */
  readonly slowAfterMs: number;
  /**
   * The longest a main-lane attempt may hold its batch: one still unanswered then is abandoned
   * and its message handed to the slow lane, where it is made again with the full timeout.
   */
  readonly mainLaneBudgetMs: number;
  /** A slow endpoint returns to `main` after this long without a slow attempt. */
  readonly recoverAfterMs: number;
  /** How often, at most, a slow endpoint's latest slow attempt is written down. */
  readonly renewEveryMs: number;
}

export const DEFAULT_LANE_POLICY: LanePolicy = {
  slowAfterMs: 1_000,
  mainLaneBudgetMs: 2_000,
  recoverAfterMs: 120_000,
  renewEveryMs: 30_000,
};

/** A change of lane an attempt calls for (see `laneChange`). */
export type LaneMove = 'quarantine' | 'renew' | 'recover';

export const laneOf = (webhook: Pick<Webhook, 'lane'>): Lane => webhook.lane ?? 'main';

/**
 * What an attempt says about its endpoint's lane:
 * - `quarantine`: a slow attempt on `main` moves the endpoint to `slow`;
 * - `renew`: a slow attempt on `slow` keeps it there (written at most every `renewEveryMs`);
 * - `recover`: a quick attempt on `slow`, with no slow one for `recoverAfterMs`, brings it back.
 *
 * @example
 * laneChange({ lane: undefined }, { slow: true }, Date.now()) // 'quarantine'
 */
export const laneChange = (
  webhook: Pick<Webhook, 'lane' | 'slow_seen_at'>,
  attempt: { readonly slow: boolean },
  nowMs: number,
  policy: LanePolicy = DEFAULT_LANE_POLICY,
): LaneMove | undefined => {
  const lane = laneOf(webhook);
  const seen = webhook.slow_seen_at ? Date.parse(webhook.slow_seen_at) : 0;
  if (attempt.slow) {
    if (lane === 'main') return 'quarantine';
    return nowMs - seen >= policy.renewEveryMs ? 'renew' : undefined;
  }
  if (lane === 'slow' && nowMs - seen >= policy.recoverAfterMs) return 'recover';
  return undefined;
};
