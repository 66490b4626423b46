// Apart from the code that signs: the list is read where node:crypto is not (the portal, through
// the domain's models), as `@hookrelay/signing/schemes`.

/** Every signature scheme a webhook may choose: the one list the API, its document and the portal use. */
export const SIGNATURE_SCHEMES = ['standard', 'stripe', 'body-hmac', 'ed25519'] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];
export const DEFAULT_SIGNATURE_SCHEMES: readonly SignatureScheme[] = ['standard', 'stripe'];
