import type { EventEnvelope } from '@hookrelay/domain';
import { sign } from '@hookrelay/signing';
import type { SendRequest } from './http-sender.js';

/**
 * The request for one attempt: the envelope as the body, signed with every valid secret.
 * `webhook-id` is the event id, so every retry and redelivery of an event carries the same
 * one and receivers can deduplicate on it.
 */
export const signedRequest = (
  url: string,
  envelope: EventEnvelope,
  secrets: readonly string[],
  nowMs: number,
): SendRequest => {
  const body = JSON.stringify(envelope);
  const headers = sign({ msgId: envelope.id, timestamp: Math.floor(nowMs / 1000), body, secrets });
  return { url, body, headers: { ...headers } };
};
