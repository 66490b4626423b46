import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const API_KEY_PREFIX = 'hr_';

/** A new tenant key: `hr_` and 32 random bytes (base64url). Shown once, stored as a hash. */
export const generateApiKey = (): string => `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** Compares two keys in constant time (by their hashes, so lengths never leak). */
export const sameKey = (a: string, b: string): boolean =>
  timingSafeEqual(Buffer.from(hashApiKey(a), 'hex'), Buffer.from(hashApiKey(b), 'hex'));
