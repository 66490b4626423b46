import { hmac, macEquals } from './mac.js';
import { badSignature, malformed, missing, type Verifier, verified } from './verifier.js';

const HEADER = 'X-Hub-Signature-256';

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`; the event type is
 * `X-GitHub-Event` and the delivery id `X-GitHub-Delivery` (the same on redelivery).
 */
export const github: Verifier = {
  verify(rawBody, headers, secret) {
    const header = headers['x-hub-signature-256'];
    if (!header) return missing(HEADER);
    if (!header.startsWith('sha256=')) return malformed(HEADER, 'expected sha256=<hex>');
    const expected = hmac('sha256', secret, rawBody);
    if (!macEquals(expected, header.slice('sha256='.length), 'hex')) return badSignature(HEADER);
    return verified(headers['x-github-delivery'], headers['x-github-event'], 'X-GitHub-Event');
  },
};
