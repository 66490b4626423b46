import { jsonObject, stringField } from './json-body.js';
import { hmac, macEquals } from './mac.js';
import {
  badSignature,
  checkTimestamp,
  type Headers,
  malformed,
  missing,
  type Verifier,
  verified,
} from './verifier.js';

/** The secret's key bytes: base64 after the `whsec_` prefix. */
const keyOf = (secret: string): Buffer | undefined => {
  const text = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  const key = Buffer.from(text, 'base64');
  return key.length > 0 ? key : undefined;
};

/** `webhook-*` headers, or Svix's `svix-*` ones when those are what came. */
const headerSet = (headers: Headers) => {
  const prefix = headers['webhook-signature'] === undefined && headers['svix-signature'] ? 'svix' : 'webhook';
  return {
    prefix,
    id: headers[`${prefix}-id`],
    timestamp: headers[`${prefix}-timestamp`],
    signature: headers[`${prefix}-signature`],
  };
};

/**
 * Standard Webhooks (and Svix): `webhook-id`, `webhook-timestamp` and `webhook-signature:
 * v1,<base64 HMAC-SHA256 of "id.timestamp.body">` (space-separated, one per secret), keyed with
 * the base64 part of a `whsec_` secret; 300 s tolerance. `svix-*` headers are the same scheme.
 */
export const standardWebhooks: Verifier = {
  verify(rawBody, headers, secret, now) {
    const h = headerSet(headers);
    if (!h.id) return missing(`${h.prefix}-id`);
    if (!h.timestamp) return missing(`${h.prefix}-timestamp`);
    if (!h.signature) return missing(`${h.prefix}-signature`);
    const stale = checkTimestamp(`${h.prefix}-timestamp`, h.timestamp, now);
    if (stale) return stale;
    const key = keyOf(secret);
    if (!key) return badSignature(`${h.prefix}-signature`);
    const candidates = h.signature
      .split(' ')
      .filter((s) => s.startsWith('v1,'))
      .map((s) => s.slice(3));
    if (candidates.length === 0) return malformed(`${h.prefix}-signature`, 'no v1,<base64> signature');
    const expected = hmac('sha256', key, `${h.id}.${h.timestamp}.`, rawBody);
    if (!candidates.some((c) => macEquals(expected, c, 'base64')))
      return badSignature(`${h.prefix}-signature`);
    return verified(h.id, stringField(jsonObject(rawBody)?.type));
  },
};
