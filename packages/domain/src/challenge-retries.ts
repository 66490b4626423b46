import { messageFields } from './delivery-message.js';
import { parseRetrySchedule } from './retry-schedule.js';

/**
 * An ownership challenge asked again later: an endpoint that did not answer one (it was down,
 * or deployed its answering code a little after the webhook was made) is challenged again a
 * few times, on a backoff, by the worker, before the webhook is left unverified with the
 * reason in its view. The message rides the main delivery queue, beside delivery messages.
 */
export interface ChallengeMessage {
  readonly v: 1;
  readonly kind: 'challenge';
  readonly tenant_id: string;
  readonly webhook_id: string;
  /** The URL challenged: a webhook moved since is challenged for its new URL, not by this message. */
  readonly url: string;
  /** The webhook's `next_challenge_at` when this was sent: a later challenge makes it stale. */
  readonly due_at: string;
  /** Which retry this is: 1 = the first after a challenge that was not answered; 0 = a first challenge. */
  readonly round: number;
}

/** Sends challenge retries, each after its delay (seconds, at most SQS's 900). */
export interface ChallengeQueue {
  sendChallenge(message: ChallengeMessage, delaySeconds: number): Promise<void>;
}

/** The waits before each retry of an unanswered challenge: a minute, 5 and 15 minutes. */
export const DEFAULT_CHALLENGE_RETRY_SCHEDULE = '1m,5m,15m';

/** The longest a retry may wait: one SQS delay. */
const MAX_CHALLENGE_WAIT_MS = 900_000;

/** Reads `CHALLENGE_RETRY_SCHEDULE` (e.g. `1m,5m,15m`); each wait at most 15 minutes. */
export const parseChallengeRetrySchedule = (text: string): number[] =>
  parseRetrySchedule(text).map((ms) => Math.min(ms, MAX_CHALLENGE_WAIT_MS));

/** Reads a queue message, or returns undefined when it is not a challenge retry. */
export const parseChallengeMessage = (body: string): ChallengeMessage | undefined => {
  const m = messageFields(body);
  if (m?.kind !== 'challenge') return undefined;
  if (typeof m.url !== 'string' || typeof m.due_at !== 'string') return undefined;
  if (typeof m.round !== 'number' || !Number.isInteger(m.round) || m.round < 0) return undefined;
  return {
    v: 1,
    kind: 'challenge',
    tenant_id: m.tenant_id,
    webhook_id: m.webhook_id,
    url: m.url,
    due_at: m.due_at,
    round: m.round,
  };
};
