import { randomBytes } from 'node:crypto';
import { API_KEY_PREFIX } from './api-keys.js';

// Apart from api-keys.ts: the functions that only check keys (the authorizer, the receiver)
// then bundle no key generation, and no unused import of randomBytes is left behind.

/** A new tenant key: `hr_` and 32 random bytes (base64url). Shown once, stored as a hash. */
export const generateApiKey = (): string => `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
