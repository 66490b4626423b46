import { PLANS } from '@hookrelay/domain';
import { at, count, tenantIdSchema, text, urlSchema } from './common.js';
import { webhookView } from './webhook-view.js';

const planSchema = {
  type: 'string',
  enum: PLANS,
  description: 'Billing plan; it sets the rate limits.',
} as const;

export const createTenantBody = {
  type: 'object',
  additionalProperties: false,
  required: ['tenant_id'],
  description: 'A new tenant; with target_url it also gets a default webhook.',
  properties: {
    tenant_id: tenantIdSchema,
    target_url: {
      ...urlSchema,
      description: `Creates a default webhook on this URL. ${urlSchema.description}`,
    },
    plan: planSchema,
  },
} as const;

export const patchTenantBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  description: 'The fields to change; at least one.',
  properties: {
    status: {
      type: 'string',
      enum: ['active', 'disabled'],
      description: "disabled refuses the tenant's keys (within the authorizer cache's 300 s).",
    },
    plan: planSchema,
    target_url: {
      ...urlSchema,
      description: "The default webhook's URL (created if the tenant has none).",
    },
    require_endpoint_verification: {
      type: 'boolean',
      description:
        'true: every webhook of the tenant, made before or after, must answer the ownership challenge ' +
        '(as with verification "challenge") before it gets anything, whatever its own verification says. ' +
        'Webhooks without an answer for their current URL get nothing from then on. false: each ' +
        "webhook's own verification counts again.",
    },
  },
} as const;

export const tenantView = {
  type: 'object',
  required: ['tenant_id', 'status', 'plan', 'created_at'],
  description: 'A tenant.',
  properties: {
    tenant_id: { ...tenantIdSchema, description: 'The tenant id.' },
    status: { type: 'string', enum: ['active', 'disabled'], description: 'disabled: its keys are refused.' },
    plan: planSchema,
    require_endpoint_verification: {
      type: 'boolean',
      description:
        'true: every webhook of the tenant must answer the ownership challenge before it gets anything.',
    },
    unverified_webhook_ids: {
      type: 'array',
      items: { type: 'string' },
      description:
        'Only in the answer that turned require_endpoint_verification on: the webhooks that get nothing ' +
        'until their endpoint answers. Each is challenged at once, by the platform, and again on the retry ' +
        'schedule if it does not answer (POST /v1/webhooks/{id}/verify asks at any time).',
    },
    target_url: text("The default webhook's URL (password masked)."),
    default_webhook_id: text('The default webhook (wh_...), when there is one.'),
    created_at: at('When it was created.'),
    updated_at: at('When it last changed.'),
    api_key: text('Its first API key (hr_...); only when the tenant is created.'),
    api_key_id: text('The id of that key (key_...); only when the tenant is created.'),
    webhook: webhookView,
    webhook_secret: text("The default webhook's secret; only in the response that created that webhook."),
  },
} as const;

export const apiKeyView = {
  type: 'object',
  required: ['key_id', 'tenant_id', 'created_at'],
  description: 'An API key (never the key itself, except once when issued).',
  properties: {
    key_id: text('The key id (key_...).'),
    tenant_id: text('The tenant the key belongs to.'),
    created_at: at('When it was issued.'),
    hint: text("The key's last four characters."),
    api_key: text('The key (hr_...); only in the response that issued it.'),
  },
} as const;

export const apiKeyList = {
  type: 'object',
  required: ['keys', 'count'],
  description: "A tenant's live keys (no pages).",
  properties: {
    keys: { type: 'array', items: apiKeyView, description: 'The keys.' },
    count: count('How many there are.'),
  },
} as const;
