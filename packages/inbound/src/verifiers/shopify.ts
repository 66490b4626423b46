import { hmac, macEquals } from './mac.js';
import { badSignature, missing, type Verifier, verified } from './verifier.js';

const HEADER = 'X-Shopify-Hmac-Sha256';

/**
 * Shopify: `X-Shopify-Hmac-Sha256` = base64 HMAC-SHA256 of the raw body keyed with the app's
 * client secret; the topic (`orders/create`) is `X-Shopify-Topic` and the delivery id
 * `X-Shopify-Webhook-Id`.
 */
export const shopify: Verifier = {
  verify(rawBody, headers, secret) {
    const header = headers['x-shopify-hmac-sha256'];
    if (!header) return missing(HEADER);
    if (!macEquals(hmac('sha256', secret, rawBody), header.trim(), 'base64')) return badSignature(HEADER);
    return verified(
      headers['x-shopify-webhook-id'] ?? headers['x-shopify-event-id'],
      headers['x-shopify-topic'],
      'X-Shopify-Topic',
    );
  },
};
