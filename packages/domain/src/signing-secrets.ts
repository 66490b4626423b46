import { generateSecret, generateSigningKey, publicKeyOf } from '@hookrelay/signing';
import type { SigningSecret, Webhook } from './models.js';

/**
 * A webhook's signing material: every secret comes with an ed25519 signing key, made and rotated
 * together, so that a webhook can take up the `ed25519` scheme at any time and its keys overlap
 * during a rotation exactly as its secrets do. Only public keys are ever shown after creation.
 *
 * @example
 * const material = newSigningSecret(); // { secret: 'whsec_...', signing_key: 'whsk_...' }
 * publicKeysOf([material]); // ['whpk_...']
 */
export const newSigningSecret = (): Required<Omit<SigningSecret, 'expires_at'>> => ({
  secret: generateSecret(),
  signing_key: generateSigningKey(),
});

/** The `whpk_` public keys of the secrets that have a signing key, in their order (current first). */
export const publicKeysOf = (secrets: readonly SigningSecret[]): string[] =>
  secrets.flatMap((s) => (s.signing_key ? [publicKeyOf(s.signing_key)] : []));

/** Whether the webhook's deliveries carry `v1a` (ed25519) signatures. */
export const signsWithEd25519 = (webhook: Pick<Webhook, 'signature_schemes'>): boolean =>
  (webhook.signature_schemes ?? []).includes('ed25519');
