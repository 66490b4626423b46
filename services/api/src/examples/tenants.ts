import { EXAMPLE } from './ids.js';
import { webhookViewExample } from './webhooks.js';

export const createTenantExample = {
  tenant_id: EXAMPLE.tenant,
  target_url: 'https://billing.acme.example/hooks/hookrelay',
  plan: 'pro',
};

const tenant = {
  tenant_id: EXAMPLE.tenant,
  status: 'active',
  plan: 'pro',
  require_endpoint_verification: false,
  default_webhook_id: EXAMPLE.webhookId,
  target_url: createTenantExample.target_url,
  created_at: EXAMPLE.createdAt,
  updated_at: EXAMPLE.createdAt,
};
export const tenantExample = tenant;

export const tenantCreatedExample = {
  ...tenant,
  api_key: 'hr_3q7Zk9V2mB8xR1tY6wP0sL4nJ5hG7fD2cA9eU1iO3uK',
  api_key_id: EXAMPLE.keyId,
  webhook: {
    id: webhookViewExample.id,
    url: webhookViewExample.url,
    events: [],
    active: true,
    created_at: EXAMPLE.createdAt,
    updated_at: EXAMPLE.createdAt,
    delivery_success_count: 0,
    delivery_failure_count: 0,
    signature_schemes: ['standard', 'stripe'],
    headers: {},
  },
  webhook_secret: EXAMPLE.secret,
};

export const patchTenantExample = { plan: 'enterprise' };
export const patchCurrentTenantExample = { target_url: 'https://hooks.acme.example/v2' };

const key = { key_id: EXAMPLE.keyId, tenant_id: EXAMPLE.tenant, created_at: EXAMPLE.createdAt, hint: 'i3uK' };
export const apiKeyIssuedExample = {
  ...key,
  key_id: 'key_01JD70A1B2C3D4E5F6G7H8J9K0',
  hint: 'Qm4x',
  api_key: 'hr_9Lp2Xc7Vb4Nm1Qw8Er5Ty3Ui6Op0As2Df7Gh4Jk9Qm4x',
};
export const apiKeyListExample = { keys: [key], count: 1 };
