// Apart from the code that signs: the list is read where node:crypto is not (the portal, through
// the domain's models), as `@hookrelay/signing/schemes`.

/** Every signature scheme a webhook may choose: the one list the API, its document and the portal use. */
export const SIGNATURE_SCHEMES = ['standard', 'stripe', 'body-hmac', 'ed25519'] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];
/**
 * The header each scheme's signatures go in (Standard Webhooks' `v1` and `v1a` share one). The
 * platform sets these, so no webhook may set them as custom headers.
 */
export const SIGNATURE_SCHEME_HEADERS = {
  standard: 'webhook-signature',
  stripe: 'stripe-signature',
  'body-hmac': 'x-hookrelay-signature',
  ed25519: 'webhook-signature',
} as const satisfies Record<SignatureScheme, string>;
/** Each scheme in words, as the portal offers it. */
export const SIGNATURE_SCHEME_LABELS = {
  standard: 'Standard Webhooks (webhook-signature)',
  stripe: 'Stripe (Stripe-Signature)',
  'body-hmac': 'Body HMAC (X-Hookrelay-Signature, hex)',
  ed25519: 'Ed25519 (webhook-signature v1a, verified with a public key)',
} as const satisfies Record<SignatureScheme, string>;
export const DEFAULT_SIGNATURE_SCHEMES: readonly SignatureScheme[] = ['standard', 'stripe'];
