import type { EventEnvelope, Webhook } from '@hookrelay/domain';
import { sign } from '@hookrelay/signing';
import type { SendRequest } from './http-sender.js';

/**
 * The request for one attempt: the envelope as the body, signed with every valid secret in
 * the webhook's signature schemes, with its custom headers. `webhook-id` is the event id, so
 * every retry and redelivery of an event carries the same one and receivers can deduplicate
 * on it. Custom headers never replace the platform's own (the API refuses such names; the
 * signature headers are applied last all the same).
 */
export const signedRequest = (
  url: string,
  envelope: EventEnvelope,
  secrets: readonly string[],
  nowMs: number,
  options: Pick<Webhook, 'signature_schemes' | 'headers'> = {},
): SendRequest => {
  const body = JSON.stringify(envelope);
  const signatures = sign({
    msgId: envelope.id,
    timestamp: Math.floor(nowMs / 1000),
    body,
    secrets,
    ...(options.signature_schemes ? { schemes: options.signature_schemes } : {}),
  });
  return { url, body, headers: { ...(options.headers ?? {}), ...signatures } };
};
