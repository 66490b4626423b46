import { createHmac, timingSafeEqual } from 'node:crypto';
import { ED25519_VERSION, ed25519Signature, verifyEd25519Signature } from './ed25519.js';
import {
  DEFAULT_SIGNATURE_SCHEMES,
  SIGNATURE_SCHEME_INFO,
  SIGNATURE_SCHEMES,
  type SignatureScheme,
} from './schemes.js';
import { SECRET_PREFIX } from './secret-prefix.js';

/**
 * Webhook signing for senders and receivers: Standard Webhooks headers (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature`), a Stripe-compatible `Stripe-Signature` and, for
 * webhooks that ask for it, `X-Hookrelay-Signature` (hex HMAC-SHA256 of the body alone), all
 * from one `whsec_` secret; and, for webhooks that ask for `ed25519`, Standard Webhooks' `v1a`
 * signatures in `webhook-signature`, made with a `whsk_` signing key and verified with its
 * `whpk_` public key. During a rotation pass every valid secret and key: each header then
 * carries one signature per secret, and a receiver holding either one verifies.
 *
 * @example
 * const headers = sign({ msgId: 'msg_1', timestamp: 1700000000, body, secrets: ['whsec_...'] });
 * verify({ secrets: ['whsec_...'], headers, body }); // { ok: true, scheme: 'standard' }
 * const signed = sign({ msgId, timestamp, body, secrets: [], signingKeys: ['whsk_...'], schemes: ['ed25519'] });
 * verify({ publicKeys: ['whpk_...'], headers: signed, body }); // { ok: true, scheme: 'ed25519' }
 */

export {
  ED25519_VERSION,
  ed25519Signature,
  PUBLIC_KEY_PREFIX,
  publicKeyOf,
  SIGNING_KEY_PREFIX,
  verifyEd25519Signature,
} from './ed25519.js';
export { generateSecret, generateSigningKey } from './generate-secret.js';
export {
  DEFAULT_SIGNATURE_SCHEMES,
  SIGNATURE_SCHEME_INFO,
  SIGNATURE_SCHEMES,
  type SignatureScheme,
} from './schemes.js';
export { SECRET_PREFIX } from './secret-prefix.js';

const DEFAULT_TOLERANCE_SECONDS = 300;

const standardKey = (secret: string): Buffer =>
  Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');

/** `v1,<base64 HMAC-SHA256(base64-decoded secret, "id.timestamp.body")>` */
const standardSignature = (secret: string, msgId: string, timestamp: number, body: string): string =>
  `v1,${createHmac('sha256', standardKey(secret)).update(`${msgId}.${timestamp}.${body}`).digest('base64')}`;

/** Stripe's scheme: hex HMAC-SHA256 keyed with the whole secret string over "t.body". */
const stripeSignature = (secret: string, timestamp: number, body: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

/**
 * The original design's scheme: hex HMAC-SHA256 of the raw body, keyed with the whole
 * `whsec_...` string as UTF-8 (not base64-decoded). It carries no timestamp, so a receiver
 * that relies on it alone should deduplicate on `webhook-id`.
 */
export const bodyHmacSignature = (secret: string, body: string): string =>
  createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('hex');

const BODY_HMAC_HEADER = SIGNATURE_SCHEME_INFO['body-hmac'].header;

interface SignInput {
  readonly msgId: string;
  /** Unix seconds. */
  readonly timestamp: number;
  readonly body: string;
  /** `whsec_` secrets, for the HMAC schemes (`standard`, `stripe`, `body-hmac`). */
  readonly secrets: readonly string[];
  /** `whsk_` signing keys, for `ed25519`. */
  readonly signingKeys?: readonly string[];
  /** Which signatures to add (default `["standard", "stripe"]`). */
  readonly schemes?: readonly SignatureScheme[];
}

/** `webhook-id` and `webhook-timestamp` always; one signature header per scheme asked for. */
type SignatureHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature'?: string;
  'stripe-signature'?: string;
  'x-hookrelay-signature'?: string;
};

type SchemeInput = Required<Omit<SignInput, 'schemes'>>;

/**
 * What each scheme writes into its header, from every live secret or key. Typed by the list in
 * `schemes.ts`: a scheme added there without a signer here does not compile. Schemes that share
 * a header (Standard Webhooks' `v1` and `v1a`) are joined with a space, in the list's order.
 */
const SIGNERS: Readonly<Record<SignatureScheme, (input: SchemeInput) => string>> = {
  standard: ({ secrets, msgId, timestamp, body }) =>
    secrets.map((s) => standardSignature(s, msgId, timestamp, body)).join(' '),
  stripe: ({ secrets, timestamp, body }) =>
    [`t=${timestamp}`, ...secrets.map((s) => `v1=${stripeSignature(s, timestamp, body)}`)].join(','),
  'body-hmac': ({ secrets, body }) => secrets.map((s) => bodyHmacSignature(s, body)).join(','),
  ed25519: ({ signingKeys, msgId, timestamp, body }) =>
    signingKeys.map((k) => ed25519Signature(k, msgId, timestamp, body)).join(' '),
};

export const sign = (input: SignInput): SignatureHeaders => {
  const { msgId, timestamp, secrets, signingKeys = [], schemes } = input;
  const use = new Set(schemes ?? DEFAULT_SIGNATURE_SCHEMES);
  if (secrets.length === 0 && [...use].some((s) => s !== 'ed25519')) {
    throw new Error('sign needs at least one secret');
  }
  if (signingKeys.length === 0 && use.has('ed25519'))
    throw new Error('ed25519 needs at least one signing key');
  const material: SchemeInput = { ...input, signingKeys };
  const headers: Record<string, string> = { 'webhook-id': msgId, 'webhook-timestamp': String(timestamp) };
  for (const scheme of SIGNATURE_SCHEMES.filter((s) => use.has(s))) {
    const name = SIGNATURE_SCHEME_INFO[scheme].header;
    const value = SIGNERS[scheme](material);
    headers[name] = headers[name] === undefined ? value : `${headers[name]} ${value}`;
  }
  return headers as SignatureHeaders;
};

type VerifyFailure =
  | 'missing_headers'
  | 'bad_timestamp'
  | 'timestamp_out_of_tolerance'
  | 'no_matching_signature';

type VerifyResult =
  | { readonly ok: true; readonly scheme: SignatureScheme }
  | { readonly ok: false; readonly reason: VerifyFailure };

interface VerifyInput {
  /** `whsec_` secrets; `v1`, Stripe and body-hmac signatures are checked against them. */
  readonly secrets?: readonly string[];
  /** `whpk_` public keys; `v1a` (ed25519) signatures are checked against them. */
  readonly publicKeys?: readonly string[];
  /** Request headers; names are matched case-insensitively. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw body exactly as received. */
  readonly body: string;
  readonly toleranceSeconds?: number;
  /** Unix seconds; defaults to now. */
  readonly now?: number;
}

const header = (headers: VerifyInput['headers'], name: string): string | undefined => {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
};

const safeEqual = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

const withinTolerance = (timestamp: string, now: number, tolerance: number): VerifyFailure | undefined => {
  if (!/^\d{1,12}$/.test(timestamp)) return 'bad_timestamp';
  return Math.abs(now - Number(timestamp)) > tolerance ? 'timestamp_out_of_tolerance' : undefined;
};

/**
 * Verifies `X-Hookrelay-Signature` (the `body-hmac` scheme): one hex HMAC-SHA256 of the raw
 * body per valid secret, comma-separated; any one matching a secret verifies. There is no
 * timestamp to check.
 *
 * @example
 * verifyBodyHmac({ secrets: ['whsec_...'], headers: req.headers, body: rawBody }); // { ok: true, scheme: 'body-hmac' }
 */
export const verifyBodyHmac = (input: Omit<VerifyInput, 'toleranceSeconds' | 'now'>): VerifyResult => {
  const given = header(input.headers, BODY_HMAC_HEADER);
  if (given === undefined) return { ok: false, reason: 'missing_headers' };
  const offered = given.split(',').map((v) => v.trim().toLowerCase());
  for (const secret of input.secrets ?? []) {
    const expected = bodyHmacSignature(secret, input.body);
    if (offered.some((o) => safeEqual(o, expected))) return { ok: true, scheme: 'body-hmac' };
  }
  return { ok: false, reason: 'no_matching_signature' };
};

/**
 * Verifies a request signed by `sign`: the Standard Webhooks headers when present (a `v1`
 * entry against the secrets, a `v1a` entry against the public keys), else `Stripe-Signature`,
 * else `X-Hookrelay-Signature`. Rejects timestamps more than `toleranceSeconds` (5 min) away
 * and compares HMACs in constant time.
 */
export const verify = (input: VerifyInput): VerifyResult => {
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = input.now ?? Math.floor(Date.now() / 1000);
  const id = header(input.headers, 'webhook-id');
  const ts = header(input.headers, 'webhook-timestamp');
  const sig = header(input.headers, 'webhook-signature');
  if (id !== undefined && ts !== undefined && sig !== undefined) {
    const late = withinTolerance(ts, now, tolerance);
    if (late) return { ok: false, reason: late };
    const entries = sig.split(' ');
    const offered = entries.filter((s) => s.startsWith('v1,'));
    for (const secret of input.secrets ?? []) {
      const expected = standardSignature(secret, id, Number(ts), input.body);
      if (offered.some((o) => safeEqual(o, expected))) return { ok: true, scheme: 'standard' };
    }
    const asymmetric = entries.filter((s) => s.startsWith(`${ED25519_VERSION},`));
    for (const key of input.publicKeys ?? []) {
      if (asymmetric.some((o) => verifyEd25519Signature(key, id, ts, input.body, o))) {
        return { ok: true, scheme: 'ed25519' };
      }
    }
    return { ok: false, reason: 'no_matching_signature' };
  }
  const stripe = header(input.headers, 'stripe-signature');
  if (stripe === undefined) return verifyBodyHmac(input);
  const fields = stripe.split(',').map((kv) => kv.split('=', 2) as [string, string | undefined]);
  const t = fields.find(([k]) => k === 't')?.[1];
  if (t === undefined) return { ok: false, reason: 'bad_timestamp' };
  const late = withinTolerance(t, now, tolerance);
  if (late) return { ok: false, reason: late };
  const offered = fields.filter(([k, v]) => k === 'v1' && v !== undefined).map(([, v]) => v as string);
  for (const secret of input.secrets ?? []) {
    const expected = stripeSignature(secret, Number(t), input.body);
    if (offered.some((o) => safeEqual(o, expected))) return { ok: true, scheme: 'stripe' };
  }
  return { ok: false, reason: 'no_matching_signature' };
};
