// Apart from the code that signs: the list is read where node:crypto is not (the portal, through
// the domain's models), as `@hookrelay/signing/schemes`.

/** Every signature scheme a webhook may choose: the one list the API, its document and the portal use. */
export const SIGNATURE_SCHEMES = ['standard', 'stripe', 'body-hmac', 'ed25519'] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];
/**
 * Each scheme's header and its name in words. Standard Webhooks' `v1` and `v1a` share one header.
 * The platform sets these headers, so no webhook may set them as custom headers.
 */
export const SIGNATURE_SCHEME_INFO = {
  standard: { header: 'webhook-signature', label: 'Standard Webhooks (webhook-signature)' },
  stripe: { header: 'stripe-signature', label: 'Stripe (Stripe-Signature)' },
  'body-hmac': { header: 'x-hookrelay-signature', label: 'Body HMAC (X-Hookrelay-Signature, hex)' },
  ed25519: {
    header: 'webhook-signature',
    label: 'Ed25519 (webhook-signature v1a, verified with a public key)',
  },
} as const satisfies Record<SignatureScheme, { readonly header: string; readonly label: string }>;
export const DEFAULT_SIGNATURE_SCHEMES: readonly SignatureScheme[] = ['standard', 'stripe'];
