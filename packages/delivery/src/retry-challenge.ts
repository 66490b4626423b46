import { awaitsVerification, type ChallengeMessage, type WebhookStore } from '@hookrelay/domain';
import { type ChallengePorts, challengeEndpoint } from './ownership-challenge.js';

export type RetryChallengeDeps = ChallengePorts & { readonly webhooks: Pick<WebhookStore, 'get' | 'update'> };

/**
 * Makes the challenge a message asks for, if it still stands: the webhook exists, still awaits
 * verification at the URL the message names, and expects this very challenge (its
 * `next_challenge_at` is the message's; a later challenge, made by hand or by a newer message,
 * replaced it). An unanswered one queues the next retry while the schedule lasts.
 *
 * @example await retryChallenge({ webhooks, secrets, sender, clock, challenges, challengeRetriesMs }, message)
 */
export const retryChallenge = async (
  deps: RetryChallengeDeps,
  message: ChallengeMessage,
): Promise<'verified' | 'unanswered' | 'stale'> => {
  const webhook = await deps.webhooks.get(message.tenant_id, message.webhook_id);
  if (
    !webhook ||
    !awaitsVerification(webhook) ||
    webhook.url !== message.url ||
    webhook.next_challenge_at !== message.due_at
  ) {
    return 'stale';
  }
  const { outcome } = await challengeEndpoint(deps, webhook, message.round);
  return outcome.verified ? 'verified' : 'unanswered';
};
