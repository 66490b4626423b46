import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

/**
 * Standard Webhooks' asymmetric scheme: ed25519 over `"id.timestamp.body"`, sent as
 * `v1a,<base64 signature>` in `webhook-signature`. The platform keeps the signing key
 * (`whsk_` + base64 of the 32-byte seed); receivers hold only the public key (`whpk_` +
 * base64 of the 32-byte public key), which they may publish freely. Keys are taken with or
 * without their prefix, as the specification's reference libraries take them.
 *
 * @example
 * const key = generateSigningKey(); // in generate-secret.ts
 * const signature = ed25519Signature(key, 'msg_1', 1700000000, body); // 'v1a,...'
 * verifyEd25519Signature(publicKeyOf(key), 'msg_1', 1700000000, body, signature); // true
 */

export const SIGNING_KEY_PREFIX = 'whsk_';
export const PUBLIC_KEY_PREFIX = 'whpk_';
/** The version tag of an ed25519 entry in `webhook-signature`. */
export const ED25519_VERSION = 'v1a';

// The DER wrappers around a raw 32-byte ed25519 seed (PKCS#8) and public key (SPKI): node:crypto
// takes keys only in a container, and these prefixes are fixed for the algorithm.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const KEY_BYTES = 32;

const rawKey = (key: string, prefix: string, what: string): Buffer => {
  const raw = Buffer.from(key.startsWith(prefix) ? key.slice(prefix.length) : key, 'base64');
  if (raw.length !== KEY_BYTES) throw new Error(`an ed25519 ${what} is ${KEY_BYTES} bytes in base64`);
  return raw;
};

const privateKeyOf = (signingKey: string): KeyObject =>
  createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, rawKey(signingKey, SIGNING_KEY_PREFIX, 'signing key')]),
    format: 'der',
    type: 'pkcs8',
  });

const publicKeyObject = (publicKey: string): KeyObject =>
  createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, rawKey(publicKey, PUBLIC_KEY_PREFIX, 'public key')]),
    format: 'der',
    type: 'spki',
  });

/** The signing key's public half, `whpk_<base64>`: what receivers verify with. */
export const publicKeyOf = (signingKey: string): string => {
  const spki = createPublicKey(privateKeyOf(signingKey)).export({ format: 'der', type: 'spki' });
  return `${PUBLIC_KEY_PREFIX}${spki.subarray(spki.length - KEY_BYTES).toString('base64')}`;
};

/** `v1a,<base64 ed25519 signature of "id.timestamp.body">` */
export const ed25519Signature = (
  signingKey: string,
  msgId: string,
  timestamp: number,
  body: string,
): string =>
  `${ED25519_VERSION},${sign(null, Buffer.from(`${msgId}.${timestamp}.${body}`), privateKeyOf(signingKey)).toString('base64')}`;

/**
 * Whether one `v1a,<base64>` entry is a signature of `"id.timestamp.body"` by the key whose public
 * half is `publicKey`. A malformed key or entry is simply not a match.
 */
export const verifyEd25519Signature = (
  publicKey: string,
  msgId: string,
  timestamp: number | string,
  body: string,
  entry: string,
): boolean => {
  if (!entry.startsWith(`${ED25519_VERSION},`)) return false;
  const signature = Buffer.from(entry.slice(ED25519_VERSION.length + 1), 'base64');
  if (signature.length !== 64) return false;
  try {
    return verify(null, Buffer.from(`${msgId}.${timestamp}.${body}`), publicKeyObject(publicKey), signature);
  } catch {
    return false;
  }
};
