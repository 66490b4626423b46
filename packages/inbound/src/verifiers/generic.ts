import { jsonObject, stringField } from './json-body.js';
import { hmac, macEquals } from './mac.js';
import { badSignature, missing, type Verifier, verified } from './verifier.js';

/**
 * The generic scheme: `X-Provider-ID` names the sender and `X-Webhook-Signature` is the hex
 * HMAC-SHA256 of the raw body. The type is the body's `type` (or `event`).
 */
export const generic: Verifier = {
  verify(rawBody, headers, secret) {
    if (!headers['x-provider-id']) return missing('X-Provider-ID');
    const signature = headers['x-webhook-signature'];
    if (!signature) return missing('X-Webhook-Signature');
    const given = signature.startsWith('sha256=') ? signature.slice(7) : signature;
    if (!macEquals(hmac('sha256', secret, rawBody), given, 'hex')) return badSignature('X-Webhook-Signature');
    const body = jsonObject(rawBody);
    return verified(undefined, stringField(body?.type) ?? stringField(body?.event));
  },
};
