import {
  type ApiKeySummary,
  ConflictError,
  generateApiKey,
  hashApiKey,
  iso,
  maskUrl,
  NotFoundError,
  newId,
  type Tenant,
  ValidationError,
  type Webhook,
} from '@hookrelay/domain';
import { jsonResponse } from '@hookrelay/http';
import type { FromSchema } from 'json-schema-to-ts';
import type { Deps } from '../deps.js';
import { assertCallableDestination } from '../destinations.js';
import {
  apiKeyIssuedExample,
  apiKeyListExample,
  createTenantExample,
  patchCurrentTenantExample,
  patchTenantExample,
  tenantCreatedExample,
  tenantExample,
} from '../examples/tenants.js';
import { type RouteRequest, route } from '../route-spec.js';
import { RESERVED_TENANT_IDS } from '../schemas/common.js';
import {
  apiKeyList,
  apiKeyView,
  createTenantBody,
  patchTenantBody,
  tenantView as tenantSchema,
} from '../schemas/tenants.js';
import { requireVerification } from '../use-cases/required-verification.js';
import { createWebhook } from '../use-cases/webhooks.js';
import { tenantView, webhookView } from './views.js';

type CreateTenant = FromSchema<typeof createTenantBody>;
type PatchTenant = FromSchema<typeof patchTenantBody>;

const loadTenant = async (deps: Deps, tenantId: string): Promise<{ tenant: Tenant; target?: Webhook }> => {
  const tenant = await deps.tenants.get(tenantId);
  if (!tenant) throw new NotFoundError('tenant', tenantId);
  const target = tenant.default_webhook_id
    ? await deps.webhooks.get(tenantId, tenant.default_webhook_id)
    : undefined;
  return { tenant, ...(target ? { target } : {}) };
};

/** A new key for the tenant: the key itself is returned once and stored only as its hash. */
const issueKey = async (deps: Deps, tenantId: string) => {
  const apiKey = generateApiKey();
  const record = {
    key_id: newId('key', deps.clock.now()),
    key_hash: hashApiKey(apiKey),
    tenant_id: tenantId,
    created_at: iso(deps.clock.now()),
    hint: apiKey.slice(-4),
  };
  await deps.keys.putKey(record);
  return { apiKey, keyId: record.key_id, summary: keySummary(record) };
};

const keySummary = (key: ApiKeySummary) => ({
  key_id: key.key_id,
  tenant_id: key.tenant_id,
  created_at: key.created_at,
  ...(key.hint ? { hint: key.hint } : {}),
});

const patchTenant = async (deps: Deps, tenantId: string, patch: PatchTenant) => {
  const { tenant, target } = await loadTenant(deps, tenantId);
  const now = iso(deps.clock.now());
  let updated = tenant;
  let webhook = target;
  let createdSecret: string | undefined;
  if (patch.target_url !== undefined) {
    if (patch.target_url !== target?.url)
      assertCallableDestination(deps.destinations, 'target_url', patch.target_url);
    if (target) webhook = await deps.webhooks.update(tenantId, target.id, { url: patch.target_url }, now);
    else {
      const created = await createWebhook(deps, { tenantId, body: { url: patch.target_url } });
      webhook = created.webhook;
      createdSecret = created.secret;
      updated = await deps.tenants.update(tenantId, { default_webhook_id: webhook.id }, now);
    }
  }
  if (patch.status !== undefined || patch.plan !== undefined) {
    updated = await deps.tenants.update(
      tenantId,
      {
        ...(patch.status ? { status: patch.status } : {}),
        ...(patch.plan ? { plan: patch.plan } : {}),
      },
      now,
    );
    await deps.keys.putTenantAccess(tenantId, updated.status, updated.plan);
  }
  let unverified: readonly Webhook[] | undefined;
  if (patch.require_endpoint_verification !== undefined) {
    const required = await requireVerification(deps, tenantId, patch.require_endpoint_verification);
    updated = required.tenant;
    if (patch.require_endpoint_verification) unverified = required.unverified;
  }
  return jsonResponse(200, {
    ...tenantView(updated, webhook),
    ...(unverified ? { unverified_webhook_ids: unverified.map((w) => w.id) } : {}),
    ...(createdSecret && webhook ? { webhook: webhookView(webhook), webhook_secret: createdSecret } : {}),
  });
};

/** `POST /v1/tenants`: the tenant, its first key and, with target_url, its default webhook. */
const createTenant = async (req: RouteRequest<CreateTenant>, deps: Deps) => {
  const { body } = req;
  if (body.target_url) assertCallableDestination(deps.destinations, 'target_url', body.target_url);
  if (RESERVED_TENANT_IDS.includes(body.tenant_id)) {
    throw new ValidationError(`tenant_id "${body.tenant_id}" is reserved: a route uses that word.`, [
      { field: 'tenant_id', message: 'is reserved' },
    ]);
  }
  const now = iso(deps.clock.now());
  const tenant: Tenant = {
    tenant_id: body.tenant_id,
    status: 'active',
    plan: body.plan ?? 'free',
    created_at: now,
    updated_at: now,
  };
  if (!(await deps.tenants.create(tenant))) {
    throw new ConflictError(`A tenant with id ${body.tenant_id} already exists.`, 'tenant_exists');
  }
  await deps.keys.putTenantAccess(tenant.tenant_id, tenant.status, tenant.plan);
  const { apiKey, keyId } = await issueKey(deps, tenant.tenant_id);
  let created: Tenant = tenant;
  let extra = {};
  if (body.target_url) {
    const { webhook, secret } = await createWebhook(deps, {
      tenantId: tenant.tenant_id,
      body: { url: body.target_url },
    });
    created = await deps.tenants.update(tenant.tenant_id, { default_webhook_id: webhook.id }, now);
    extra = { target_url: maskUrl(webhook.url), webhook: webhookView(webhook), webhook_secret: secret };
  }
  return jsonResponse(201, { ...tenantView(created), api_key: apiKey, api_key_id: keyId, ...extra });
};

/** The tenant with its default webhook, as the API shows it. */
const showTenant = async (deps: Deps, tenantId: string) => {
  const { tenant, target } = await loadTenant(deps, tenantId);
  return jsonResponse(200, tenantView(tenant, target));
};

/** The tenant the path names (`/v1/tenants/{id}/...`), or the 404 that names it. */
const tenantOfPath = async (req: RouteRequest, deps: Deps): Promise<Tenant> =>
  (await loadTenant(deps, req.params.id ?? '')).tenant;

const issueTenantKey = async (req: RouteRequest, deps: Deps) => {
  const { apiKey, summary } = await issueKey(deps, (await tenantOfPath(req, deps)).tenant_id);
  return jsonResponse(201, { ...summary, api_key: apiKey });
};

const listTenantKeys = async (req: RouteRequest, deps: Deps) => {
  const keys = await deps.keys.listKeys((await tenantOfPath(req, deps)).tenant_id);
  return jsonResponse(200, { keys: keys.map(keySummary), count: keys.length });
};

const revokeTenantKey = async (req: RouteRequest, deps: Deps) => {
  const tenant = await tenantOfPath(req, deps);
  const keyId = req.params.key_id ?? '';
  if (!(await deps.keys.revokeKey(tenant.tenant_id, keyId))) throw new NotFoundError('api key', keyId);
  return { statusCode: 204, headers: {}, body: '' };
};

export const tenantRoutes = [
  route({
    method: 'POST',
    path: '/v1/tenants',
    auth: 'admin',
    tag: 'Tenants',
    summary: 'Create a tenant',
    description:
      'Admin key only. Creates the tenant and its first API key and, with target_url, a default webhook. ' +
      'The key and the webhook secret are in this response only.',
    body: createTenantBody,
    bodyExample: createTenantExample,
    success: {
      status: 201,
      description: 'Created, with its API key (shown this once).',
      schema: tenantSchema,
      example: tenantCreatedExample,
    },
    errors: { 409: { code: 'tenant_exists', message: 'A tenant with id acme already exists.' } },
    handle: createTenant,
  }),
  route({
    method: 'GET',
    path: '/v1/tenants/current',
    auth: 'tenant',
    tag: 'Tenants',
    summary: 'Read your tenant',
    description: "The calling tenant's profile: status, plan and default webhook.",
    success: { status: 200, description: 'Your tenant.', schema: tenantSchema, example: tenantExample },
    handle: (req, deps) => showTenant(deps, req.principal.tenant_id),
  }),
  route({
    method: 'PATCH',
    path: '/v1/tenants/current',
    auth: 'tenant',
    tag: 'Tenants',
    summary: 'Update your tenant',
    description:
      "Sets the URL of the calling tenant's default webhook (creating it if there is none), or whether " +
      'every webhook must answer the ownership challenge (require_endpoint_verification).',
    body: {
      ...patchTenantBody,
      description: 'The default webhook target, or the requirement of the ownership challenge.',
      properties: {
        target_url: patchTenantBody.properties.target_url,
        require_endpoint_verification: patchTenantBody.properties.require_endpoint_verification,
      },
    },
    bodyExample: patchCurrentTenantExample,
    success: {
      status: 200,
      description: 'Your tenant as it is now.',
      schema: tenantSchema,
      example: { ...tenantExample, ...patchCurrentTenantExample },
    },
    handle: (req, deps) => patchTenant(deps, req.principal.tenant_id, req.body),
  }),
  route({
    method: 'GET',
    path: '/v1/tenants/{id}',
    auth: 'admin',
    tag: 'Tenants',
    summary: 'Read a tenant',
    description: 'Admin key only. The tenant with its status, plan and default webhook.',
    success: { status: 200, description: 'The tenant.', schema: tenantSchema, example: tenantExample },
    handle: (req, deps) => showTenant(deps, req.params.id ?? ''),
  }),
  route({
    method: 'PATCH',
    path: '/v1/tenants/{id}',
    auth: 'admin',
    tag: 'Tenants',
    summary: 'Update a tenant',
    description:
      "Admin key only. Changes status, plan, the default webhook's URL or require_endpoint_verification; a " +
      "disabled tenant's keys are " +
      'refused once the authorizer cache turns over (300 s).',
    body: patchTenantBody,
    bodyExample: patchTenantExample,
    success: {
      status: 200,
      description: 'The tenant as it is now.',
      schema: tenantSchema,
      example: { ...tenantExample, ...patchTenantExample },
    },
    handle: (req, deps) => patchTenant(deps, req.params.id ?? '', req.body),
  }),
  route({
    method: 'POST',
    path: '/v1/tenants/{id}/keys',
    auth: 'admin',
    tag: 'Tenants',
    summary: 'Issue an API key',
    description: 'Admin key only. Another key for the tenant, shown only in this response.',
    success: { status: 201, description: 'The new key.', schema: apiKeyView, example: apiKeyIssuedExample },
    handle: issueTenantKey,
  }),
  route({
    method: 'GET',
    path: '/v1/tenants/{id}/keys',
    auth: 'admin',
    tag: 'Tenants',
    summary: 'List API keys',
    description: "Admin key only. The tenant's live keys: ids and last four characters, never the keys.",
    success: { status: 200, description: 'The keys.', schema: apiKeyList, example: apiKeyListExample },
    handle: listTenantKeys,
  }),
  route({
    method: 'DELETE',
    path: '/v1/tenants/{id}/keys/{key_id}',
    auth: 'admin',
    tag: 'Tenants',
    summary: 'Revoke an API key',
    description: 'Admin key only. Cached authorizer answers let the key work for up to 300 s more.',
    success: { status: 204, description: 'Revoked; no body.' },
    handle: revokeTenantKey,
  }),
];
