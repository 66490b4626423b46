import { randomBytes } from 'node:crypto';
import { SECRET_PREFIX } from './secret-prefix.js';

// Apart from signing and verifying: a function that only signs or verifies (the worker, the
// receiver) then bundles no secret generation, and no unused import of randomBytes.

/** A new secret: `whsec_` and 32 random bytes in base64. */
export const generateSecret = (): string => `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
