import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A prefixed, time-ordered identifier (48-bit millisecond time + 80 random bits, Crockford
 * base32, like a ULID), so ids sort by creation time.
 *
 * @example
 * newId('evt') // 'evt_01JD6Z9M3QH4T2W7X9RZ5K8B1C'
 */
export const newId = (prefix: string, now: number = Date.now()): string => {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (let i = 0; i < 16; i++) rand += ALPHABET[(bytes[i] ?? 0) % 32];
  return `${prefix}_${time}${rand}`;
};
