import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { SIGNING_KEY_PREFIX } from './ed25519.js';
import { SECRET_PREFIX } from './secret-prefix.js';

// Apart from signing and verifying: a function that only signs or verifies (the worker, the
// receiver) then bundles no secret generation, and no unused import of randomBytes.

/** A new secret: `whsec_` and 32 random bytes in base64. */
export const generateSecret = (): string => `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

/** A new ed25519 signing key: `whsk_` and its 32-byte seed in base64 (`publicKeyOf` gives `whpk_`). */
export const generateSigningKey = (): string => {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  // The JWK's `d` is the seed, base64url; the Standard Webhooks format is plain base64.
  return `${SIGNING_KEY_PREFIX}${Buffer.from(jwk.d ?? '', 'base64url').toString('base64')}`;
};
