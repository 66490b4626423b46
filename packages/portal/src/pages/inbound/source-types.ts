import type { Answer, paths } from '@hookrelay/client';

export type Source = Answer<'/v1/sources/{id}', 'get'>['source'];
export type SourceInput = paths['/v1/sources']['post']['requestBody']['content']['application/json'];
export type Provider = SourceInput['provider'];

/**
 * Every provider the API takes (`satisfies` keeps the list equal to its enum), and whether the
 * provider issues the secret (then it must be given) or one is generated.
 */
export const PROVIDERS = {
  stripe: { label: 'Stripe', issuesSecret: true },
  github: { label: 'GitHub', issuesSecret: false },
  shopify: { label: 'Shopify', issuesSecret: true },
  slack: { label: 'Slack', issuesSecret: true },
  'standard-webhooks': { label: 'Standard Webhooks', issuesSecret: false },
  generic: { label: 'Generic (X-Webhook-Signature)', issuesSecret: false },
  hmac: { label: 'Custom HMAC header', issuesSecret: false },
} as const satisfies Record<Provider, { label: string; issuesSecret: boolean }>;

export const PROVIDER_NAMES = Object.keys(PROVIDERS) as Provider[];
