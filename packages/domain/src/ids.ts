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

/**
 * The creation time (epoch ms) of an id `newId` made, read from its first ten characters;
 * undefined for any other shape. A client's own id may happen to have this shape too, so the
 * time is a hint to check, not a fact.
 *
 * @example
 * timeOfId(newId('evt', 1_700_000_000_000)) // 1700000000000
 */
export const timeOfId = (id: string): number | undefined => {
  const body = id.slice(id.lastIndexOf('_') + 1);
  if (id.lastIndexOf('_') < 1 || body.length !== 26) return undefined;
  let t = 0;
  for (let i = 0; i < 26; i++) {
    const digit = ALPHABET.indexOf(body[i] ?? '');
    if (digit < 0) return undefined;
    if (i < 10) t = t * 32 + digit;
  }
  return t <= 8_640_000_000_000_000 ? t : undefined;
};
