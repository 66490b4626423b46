import type { EventEnvelope, SigningSecret, Webhook } from '@hookrelay/domain';
import { sign } from '@hookrelay/signing';
import type { SendRequest } from './http-sender.js';

/**
 * The request for one attempt: the envelope as the body, signed with every valid secret (and,
 * for `ed25519`, every valid secret's signing key) in the webhook's signature schemes, with its
 * custom headers. `webhook-id` is the event id, so
 * every retry and redelivery of an event carries the same one and receivers can deduplicate
 * on it. Custom headers never replace the platform's own (the API refuses such names; the
 * signature headers are applied last all the same).
 */
export const signedRequest = (
  url: string,
  envelope: EventEnvelope,
  secrets: readonly SigningSecret[],
  nowMs: number,
  options: Pick<Webhook, 'signature_schemes' | 'headers'> = {},
): SendRequest => {
  const body = JSON.stringify(envelope);
  const signatures = sign({
    msgId: envelope.id,
    timestamp: Math.floor(nowMs / 1000),
    body,
    secrets: secrets.map((s) => s.secret),
    // A secret from before the ed25519 scheme has no key; the current one always has (the API
    // gives it one before a webhook may choose the scheme).
    signingKeys: secrets.flatMap((s) => (s.signing_key ? [s.signing_key] : [])),
    ...(options.signature_schemes ? { schemes: options.signature_schemes } : {}),
  });
  return { url, body, headers: { ...(options.headers ?? {}), ...signatures } };
};
