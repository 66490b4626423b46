import type { EventEnvelope, SigningSecret, Webhook } from '@hookrelay/domain';
import { sign } from '@hookrelay/signing';
import type { SendRequest } from './http-sender.js';

/**
 * The request for one attempt: the envelope as the body, signed with every valid secret (and,
 * for `ed25519`, every valid secret's signing key) in the webhook's signature schemes, with its
 * custom headers, and (for a webhook that authenticates with OAuth2 or a client certificate) whose
 * endpoint it is, for an `AuthenticatingSender`. `webhook-id` is the event id, so
 * every retry and redelivery of an event carries the same one and receivers can deduplicate
 * on it. Custom headers never replace the platform's own (the API refuses such names; the
 * signature headers are applied last all the same).
 */
export const signedRequest = (
  url: string,
  envelope: EventEnvelope,
  secrets: readonly SigningSecret[],
  nowMs: number,
  options: Pick<Webhook, 'signature_schemes' | 'headers'> &
    Partial<Pick<Webhook, 'tenant_id' | 'id' | 'auth' | 'tls_client_certificate'>> = {},
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
  const { tenant_id: tenantId, id, auth, tls_client_certificate: certificate } = options;
  // An endpoint that authenticates beyond the signatures: the sender adds the token or certificate.
  const endpoint =
    tenantId !== undefined && id !== undefined && (auth || certificate)
      ? {
          endpoint: {
            tenant_id: tenantId,
            webhook_id: id,
            ...(auth ? { auth } : {}),
            ...(certificate ? { tls_client_certificate: certificate } : {}),
          },
        }
      : {};
  return { url, body, headers: { ...(options.headers ?? {}), ...signatures }, ...endpoint };
};
