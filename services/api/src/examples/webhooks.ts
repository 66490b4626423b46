import { attemptExample } from './events.js';
import { EXAMPLE } from './ids.js';

export const createWebhookExample = {
  url: 'https://billing.acme.example/hooks/hookrelay',
  description: 'Billing service',
  events: ['invoice.paid', 'invoice.payment_failed'],
  signature_schemes: ['standard', 'stripe', 'ed25519'],
  headers: { 'X-Acme-Route': 'billing' },
  rate_limit: 50,
  filter: { data: { amount: [{ numeric: ['>', 10000] }], currency: ['eur'] } },
  auth: {
    type: 'oauth2_client_credentials',
    token_url: 'https://auth.acme.example/oauth/token',
    client_id: 'hookrelay-billing',
    client_secret: 'q8Wc1vT0pZ4mR7sK2yN5bX3dF6hJ9gL',
    scope: 'webhooks.write',
  },
};

export const patchWebhookExample = {
  events: ['invoice.paid'],
  active: false,
  filter: { data: { currency: ['eur', 'gbp'] } },
};

const view = {
  id: EXAMPLE.webhookId,
  url: createWebhookExample.url,
  description: createWebhookExample.description,
  events: createWebhookExample.events,
  active: true,
  created_at: EXAMPLE.createdAt,
  updated_at: EXAMPLE.createdAt,
  delivery_success_count: 1204,
  delivery_failure_count: 7,
  last_triggered_at: EXAMPLE.deliveredAt,
  lane: 'main',
  signature_schemes: createWebhookExample.signature_schemes,
  headers: { 'X-Acme-Route': '****ling' },
  rate_limit: 50,
  public_keys: ['whpk_TyhzbhECvixdQHFx9W89AOFednxes3rWD+o+RzlmB9E='],
  filter: createWebhookExample.filter,
  auth: {
    type: 'oauth2_client_credentials',
    token_url: createWebhookExample.auth.token_url,
    client_id: createWebhookExample.auth.client_id,
    client_secret: '****',
    scope: createWebhookExample.auth.scope,
    client_authentication: 'client_secret_basic',
  },
};
export const webhookViewExample = view;

export const webhookCreatedExample = {
  webhook: { ...view, delivery_success_count: 0, delivery_failure_count: 0, secret: EXAMPLE.secret },
  message: 'Store the secret now: it is not shown again.',
};
export const webhookEnvelopeExample = { webhook: view };
export const webhookListExample = { webhooks: [view], count: 1 };

export const rotatedSecretExample = {
  webhook_id: EXAMPLE.webhookId,
  secret: 'whsec_Zb3v7Qy1x0ZkV8nJ2pL5tR9wS4mC6dFh',
  public_key: 'whpk_UgrRK/hQni0Wppegkt4+rsHi/ZV7ZKgvYCvd9iG8nUY=',
  previous_secret_expires_at: '2026-12-01T09:15:02.481Z',
};

export const testDeliveryExample = {
  success: true,
  status_code: 200,
  response: '{"received":true}',
  duration_ms: 97,
};

export const attemptListExample = {
  attempts: [attemptExample],
  deliveries: [attemptExample],
  next_cursor: null,
  has_more: false,
};

export const recoverExample = { since: '2026-11-29T00:00:00Z', until: '2026-11-30T00:00:00Z' };
export const recoverResultExample = { webhook_id: EXAMPLE.webhookId, recovered: 7 };

export const verificationResultExample = {
  webhook_id: EXAMPLE.webhookId,
  verification_status: 'verified',
  verified: true,
  status_code: 200,
  response: '{"challenge":"tP0tXlZ2m7cY1r8QJqf5oKp3WvN9bHs4eD6gA2uLxE0"}',
  duration_ms: 84,
};
