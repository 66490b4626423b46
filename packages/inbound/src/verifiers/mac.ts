import { createHmac, timingSafeEqual } from 'node:crypto';

/** The HMAC of the parts in order, keyed with `key`. */
export const hmac = (algorithm: string, key: string | Buffer, ...parts: (string | Buffer)[]): Buffer => {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
};

/** Constant-time comparison of an expected MAC with a candidate given as text in `encoding`. */
export const macEquals = (expected: Buffer, candidate: string, encoding: 'hex' | 'base64'): boolean => {
  const valid =
    encoding === 'hex' ? /^[0-9a-fA-F]*$/.test(candidate) : /^[A-Za-z0-9+/]*={0,2}$/.test(candidate);
  if (!valid) return false;
  const given = Buffer.from(candidate, encoding);
  // Comparing against the expected value's own length keeps the time independent of the input.
  if (given.length !== expected.length) {
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(expected, given);
};
