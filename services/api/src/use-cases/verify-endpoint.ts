import { type HttpSender, signedRequest } from '@hookrelay/delivery';
import {
  answersChallenge,
  type Clock,
  ENDPOINT_VERIFICATION_TYPE,
  type ErrorKind,
  iso,
  newChallenge,
  newId,
  type SecretStore,
  type Webhook,
  type WebhookStore,
} from '@hookrelay/domain';

export interface ChallengePorts {
  readonly webhooks: Pick<WebhookStore, 'update'>;
  readonly secrets: Pick<SecretStore, 'get'>;
  readonly sender: HttpSender;
  readonly clock: Clock;
}

/** What the endpoint answered to a challenge, and whether that proved it. */
export interface ChallengeOutcome {
  readonly verified: boolean;
  readonly status_code: number | null;
  readonly response: string;
  readonly duration_ms: number;
  readonly error_kind?: ErrorKind;
}

/**
 * Sends the webhook's endpoint a signed `hookrelay.endpoint.verification` request with a new
 * random challenge, now, and writes down that the URL is verified when the endpoint echoes it.
 * The URL written down is the one challenged: if the webhook's URL changed meanwhile, the webhook
 * stays unverified. A failed challenge changes nothing (a URL verified before stays verified).
 *
 * @example const { webhook, outcome } = await challengeEndpoint({ webhooks, secrets, sender, clock }, webhook);
 */
export const challengeEndpoint = async (
  ports: ChallengePorts,
  webhook: Webhook,
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
  if (!verified) return { webhook, outcome };
  const at = iso(ports.clock.now());
  const updated = await ports.webhooks.update(
    webhook.tenant_id,
    webhook.id,
    { verified_url: webhook.url, verified_at: at },
    at,
  );
  return { webhook: updated, outcome };
};
