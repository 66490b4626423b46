import {
  answersChallenge,
  awaitsVerification,
  type ChallengeQueue,
  type Clock,
  describeResult,
  ENDPOINT_VERIFICATION_TYPE,
  type ErrorKind,
  iso,
  newChallenge,
  newId,
  type SecretStore,
  type Webhook,
  type WebhookStore,
} from '@hookrelay/domain';
import type { HttpSender, SendResult } from './http-sender.js';
import { signedRequest } from './signed-request.js';

export interface ChallengePorts {
  readonly webhooks: Pick<WebhookStore, 'update'>;
  readonly secrets: Pick<SecretStore, 'get'>;
  readonly sender: HttpSender;
  readonly clock: Clock;
  /** Where retries of an unanswered challenge wait; without it, none is made. */
  readonly challenges?: ChallengeQueue;
  /** The waits before each retry (ms); `parseChallengeRetrySchedule(DEFAULT_CHALLENGE_RETRY_SCHEDULE)`. */
  readonly challengeRetriesMs?: readonly number[];
}

/** What the endpoint answered to a challenge, and whether that proved it. */
interface ChallengeOutcome {
  readonly verified: boolean;
  readonly status_code: number | null;
  readonly response: string;
  readonly duration_ms: number;
  readonly error_kind?: ErrorKind;
}

/** Why an answer did not prove the endpoint: its failure, or a 2xx that did not echo the challenge. */
const whyNot = (result: SendResult): string =>
  result.ok ? `HTTP ${result.status_code} without the challenge echoed` : describeResult(result);

/**
 * Sends the webhook's endpoint a signed `hookrelay.endpoint.verification` request with a new
 * random challenge, now, and writes down that the URL is verified when the endpoint echoes it.
 * The URL written down is the one challenged: if the webhook's URL changed meanwhile, the webhook
 * stays unverified. A failed challenge leaves a URL verified before verified, and changes nothing
 * else then. Of a webhook still unverified, it writes down why (`challenge_error`), how many
 * challenges in a row went unanswered, and, while the retry schedule lasts, when the next one goes
 * (`next_challenge_at`, its message queued first); `round` is the retry this is (0: a first
 * challenge, which starts the schedule again).
 *
 * @example const { webhook, outcome } = await challengeEndpoint({ webhooks, secrets, sender, clock }, webhook);
 */
export const challengeEndpoint = async (
  ports: ChallengePorts,
  webhook: Webhook,
  round = 0,
): Promise<{ webhook: Webhook; outcome: ChallengeOutcome }> => {
  const now = ports.clock.now();
  const challenge = newChallenge();
  const secrets = await ports.secrets.get(webhook.tenant_id, webhook.id, now);
  const envelope = {
    id: newId('msg', now),
    type: ENDPOINT_VERIFICATION_TYPE,
    timestamp: iso(now),
    data: { webhook_id: webhook.id, challenge },
  };
  const result = await ports.sender.send(signedRequest(webhook.url, envelope, secrets, now, webhook));
  const verified = answersChallenge(result, challenge);
  const outcome: ChallengeOutcome = {
    verified,
    status_code: result.status_code ?? null,
    response: result.response ?? result.error ?? '',
    duration_ms: result.duration_ms,
    ...(result.error_kind ? { error_kind: result.error_kind } : {}),
  };
  const at = iso(ports.clock.now());
  if (verified) {
    const updated = await ports.webhooks.update(
      webhook.tenant_id,
      webhook.id,
      {
        verified_url: webhook.url,
        verified_at: at,
        challenge_error: undefined,
        challenge_failures: undefined,
        next_challenge_at: undefined,
      },
      at,
    );
    return { webhook: updated, outcome };
  }
  if (!awaitsVerification(webhook)) return { webhook, outcome };
  const next = await scheduleRetry(ports, webhook, round);
  const updated = await ports.webhooks.update(
    webhook.tenant_id,
    webhook.id,
    {
      challenge_error: whyNot(result).slice(0, 300),
      challenge_failures: round === 0 ? 1 : (webhook.challenge_failures ?? round) + 1,
      next_challenge_at: next,
    },
    at,
  );
  return { webhook: updated, outcome };
};

/** Queues the next retry if the schedule has one and it could be queued: when it goes, else undefined. */
const scheduleRetry = async (ports: ChallengePorts, webhook: Webhook, round: number) => {
  const waitMs = ports.challengeRetriesMs?.[round];
  if (waitMs === undefined || !ports.challenges) return undefined;
  const dueAt = iso(ports.clock.now() + waitMs);
  const queued = await ports.challenges
    .sendChallenge(
      {
        v: 1,
        kind: 'challenge',
        tenant_id: webhook.tenant_id,
        webhook_id: webhook.id,
        url: webhook.url,
        due_at: dueAt,
        round: round + 1,
      },
      waitMs / 1000,
    )
    .then(() => true)
    .catch(() => false);
  return queued ? dueAt : undefined;
};
