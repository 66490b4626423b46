import { jsonObject, stringField } from './json-body.js';
import { hmac, macEquals } from './mac.js';
import { badSignature, checkTimestamp, malformed, missing, type Verifier, verified } from './verifier.js';

const HEADER = 'Stripe-Signature';

/**
 * Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...]`, each v1 the hex HMAC-SHA256 of
 * `<t>.<raw body>` keyed with the endpoint secret (`whsec_...`, used as is); 300 s tolerance.
 * The event id and type are the body's `id` and `type`.
 */
export const stripe: Verifier = {
  verify(rawBody, headers, secret, now) {
    const header = headers['stripe-signature'];
    if (!header) return missing(HEADER);
    let timestamp: string | undefined;
    const signatures: string[] = [];
    for (const part of header.split(',')) {
      const at = part.indexOf('=');
      const key = part.slice(0, at).trim();
      const value = part.slice(at + 1).trim();
      if (key === 't') timestamp = value;
      else if (key === 'v1') signatures.push(value);
    }
    if (!timestamp) return malformed(HEADER, 'no t= timestamp');
    if (signatures.length === 0) return malformed(HEADER, 'no v1= signature');
    const stale = checkTimestamp(HEADER, timestamp, now);
    if (stale) return stale;
    const expected = hmac('sha256', secret, `${timestamp}.`, rawBody);
    if (!signatures.some((s) => macEquals(expected, s, 'hex'))) return badSignature(HEADER);
    const body = jsonObject(rawBody);
    return verified(stringField(body?.id), stringField(body?.type));
  },
};
