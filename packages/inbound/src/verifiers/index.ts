import type { InboundProvider } from '@hookrelay/definitions';
import { generic } from './generic.js';
import { github } from './github.js';
import { configurableHmac } from './hmac.js';
import { shopify } from './shopify.js';
import { slack } from './slack.js';
import { standardWebhooks } from './standard-webhooks.js';
import { stripe } from './stripe.js';
import type { Headers, HmacConfig, Verification, Verifier } from './verifier.js';

export type { Headers, HmacConfig, Verification, Verifier } from './verifier.js';
/**
 * The providers are listed once, in definitions (`INBOUND_PROVIDERS`: infra's per-provider rules
 * and queues, the API's schemas read the same list); the verifier table is typed by it, so a
 * provider without a verifier does not compile.
 */
export type Provider = InboundProvider;

/** Every provider's verifier, by the name a source is created with. */
export const verifiers: Readonly<Record<Provider, Verifier>> = {
  stripe,
  github,
  shopify,
  slack,
  'standard-webhooks': standardWebhooks,
  generic,
  hmac: configurableHmac,
};

/**
 * Verifies with each of the source's secrets (two while a rotation overlaps): the first that
 * verifies wins; otherwise the answer for the newest secret.
 *
 * @example
 * verifyWithAny('github', body, headers, [secret], Date.now())
 */
export const verifyWithAny = (
  provider: Provider,
  rawBody: Buffer,
  headers: Headers,
  secrets: readonly string[],
  now: number,
  config?: HmacConfig,
): Verification => {
  const verifier = verifiers[provider];
  let first: Verification | undefined;
  for (const secret of secrets) {
    const result = verifier.verify(rawBody, headers, secret, now, config);
    if (result.ok) return result;
    first ??= result;
    // A missing or malformed header fails the same way for every secret.
    if (result.reason === 'missing_header' || result.reason === 'malformed_header') return result;
  }
  return first ?? { ok: false, reason: 'bad_signature', message: 'The source has no secret to verify with.' };
};
