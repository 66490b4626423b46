import { createHash, timingSafeEqual } from 'node:crypto';

export const API_KEY_PREFIX = 'hr_';

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** Compares two keys in constant time (by their hashes, so lengths never leak). */
export const sameKey = (a: string, b: string): boolean =>
  timingSafeEqual(Buffer.from(hashApiKey(a), 'hex'), Buffer.from(hashApiKey(b), 'hex'));
