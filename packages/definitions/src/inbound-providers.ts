/**
 * Every inbound provider, once: the name a source is created with, how people call it, and
 * whether the provider issues the signing secret (then the tenant must paste it) or the platform
 * makes one. Infra's per-provider rules and queues, the API's schemas and checks, the verifier
 * table (typed by it) and the portal all read this list. Plain data, so the portal can import it.
 */
export const INBOUND_PROVIDER_INFO = {
  stripe: { label: 'Stripe', issuesSecret: true },
  github: { label: 'GitHub', issuesSecret: false },
  shopify: { label: 'Shopify', issuesSecret: true },
  slack: { label: 'Slack', issuesSecret: true },
  'standard-webhooks': { label: 'Standard Webhooks', issuesSecret: false },
  generic: { label: 'Generic (X-Webhook-Signature)', issuesSecret: false },
  hmac: { label: 'Custom HMAC header', issuesSecret: false },
} as const satisfies Record<string, { readonly label: string; readonly issuesSecret: boolean }>;

export type InboundProvider = keyof typeof INBOUND_PROVIDER_INFO;

export const INBOUND_PROVIDERS = Object.keys(INBOUND_PROVIDER_INFO) as readonly InboundProvider[];

/** Whether the provider issues the secret itself: a source of it cannot be given a made-up one. */
export const providerIssuesSecret = (provider: InboundProvider): boolean =>
  INBOUND_PROVIDER_INFO[provider].issuesSecret;
