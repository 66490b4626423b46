import {
  EVENT_STATUSES,
  HEADER_NAME_PATTERN,
  HEADER_VALUE_PATTERN,
  MAX_CUSTOM_HEADERS,
  OPERATIONAL_EVENT_TYPES,
  PLANS,
  TYPE_FILTER_PATTERN,
} from '@hookrelay/domain';

// One schema per request and response: ajv validates with it, the OpenAPI document is
// built from it, and json-schema-to-ts derives the TypeScript type from it.

/** Ids a route already uses as a path word (`/v1/tenants/current`, `/v1/events/export`). */
export const RESERVED_TENANT_IDS: readonly string[] = ['current'];
export const RESERVED_EVENT_IDS: readonly string[] = ['export', 'batch', 'bulk'];

export const tenantIdSchema = {
  type: 'string',
  pattern: '^[a-z0-9][a-z0-9_-]{1,62}$',
  description: 'Lowercase letters, digits, "-" and "_"; 2 to 63 characters; not "current".',
} as const;
export const eventTypeSchema = { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' } as const;
export const idSchema = { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' } as const;
const eventIdSchema = {
  ...idSchema,
  description: 'Your own event id; not "export", "batch" or "bulk" (route words).',
} as const;
export const urlSchema = {
  type: 'string',
  maxLength: 2048,
  pattern: '^https?://[^\\s/?#]+[^\\s]*$',
  format: 'uri',
  description: 'http(s) URL with a host and a port that exists (1 to 65535), at most 2,048 characters.',
} as const;
const planSchema = { type: 'string', enum: PLANS } as const;
const timestamp = { type: 'string', format: 'date-time' } as const;
const statusSchema = { type: 'string', enum: EVENT_STATUSES } as const;

export const createTenantBody = {
  type: 'object',
  additionalProperties: false,
  required: ['tenant_id'],
  properties: { tenant_id: tenantIdSchema, target_url: urlSchema, plan: planSchema },
} as const;

export const patchTenantBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    status: { type: 'string', enum: ['active', 'disabled'] },
    plan: planSchema,
    target_url: urlSchema,
  },
} as const;

const signatureSchemesSchema = {
  type: 'array',
  minItems: 1,
  uniqueItems: true,
  items: { type: 'string', enum: ['standard', 'stripe', 'body-hmac'] },
  description:
    'Signature headers on every delivery (default ["standard", "stripe"]): "standard" = webhook-signature ' +
    '(Standard Webhooks), "stripe" = Stripe-Signature, "body-hmac" = X-Hookrelay-Signature, the hex ' +
    'HMAC-SHA256 of the raw body keyed with the whole whsec_ secret (comma-separated per valid secret).',
} as const;

const customHeadersSchema = {
  type: 'object',
  maxProperties: MAX_CUSTOM_HEADERS,
  propertyNames: { pattern: HEADER_NAME_PATTERN },
  additionalProperties: { type: 'string', pattern: HEADER_VALUE_PATTERN },
  description:
    `Headers sent on every delivery, at most ${MAX_CUSTOM_HEADERS}; values are printable ASCII up to 1,000 ` +
    'characters and are never returned in full once set (a masked value sent back keeps the stored one). ' +
    "The platform's own headers (content-type, user-agent, host, webhook-*, stripe-signature, x-hookrelay-*) " +
    'and hop-by-hop headers (connection, transfer-encoding, ...) are refused.',
} as const;

const rateLimitSchema = {
  type: ['integer', 'null'],
  minimum: 1,
  maximum: 1000,
  description:
    'Deliveries per second at most; over it a delivery waits (it is not failed and not counted as an ' +
    'attempt). null removes the limit.',
} as const;

const webhookFields = {
  url: urlSchema,
  description: { type: 'string', maxLength: 500 },
  events: {
    type: 'array',
    maxItems: 100,
    uniqueItems: true,
    items: {
      type: 'string',
      pattern: TYPE_FILTER_PATTERN.source,
      description: 'an event type, or a prefix with one trailing wildcard like order.*',
    },
    description:
      'Event types to receive, each a type or a prefix with one trailing wildcard (`order.*`); empty or ' +
      "absent = every type you send. The platform's own types " +
      `(${OPERATIONAL_EVENT_TYPES.join(', ')}) go only to webhooks that name them here (by name or a ` +
      '`hookrelay.` pattern).',
  },
  active: { type: 'boolean' },
  signature_schemes: signatureSchemesSchema,
  headers: customHeadersSchema,
  rate_limit: rateLimitSchema,
} as const;

export const createWebhookBody = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: webhookFields,
} as const;

export const patchWebhookBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: webhookFields,
} as const;

export const recoverBody = {
  type: 'object',
  additionalProperties: false,
  required: ['since'],
  properties: { since: timestamp, until: timestamp },
} as const;

/** `{type, data, id?}`; a body without `data` is the data itself, its type from `type` or `event`. */
export const createEventBody = {
  type: 'object',
  description:
    'Types starting with "hookrelay." are the platform\'s own (operational events about your endpoints) ' +
    'and are refused here.',
  properties: { type: eventTypeSchema, event: eventTypeSchema, id: eventIdSchema, data: {} },
  anyOf: [{ required: ['type'] }, { required: ['event'] }],
} as const;

export const MAX_BATCH = 100;
export const batchEventsBody = {
  type: 'object',
  additionalProperties: false,
  required: ['events'],
  properties: { events: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: { type: 'object' } } },
} as const;

const limitSchema = { type: 'integer', minimum: 1, maximum: 100, default: 50 } as const;
const cursorSchema = { type: 'string', minLength: 1, maxLength: 4096 } as const;
/** [created_after, created_before): the first included, the second not. */
const createdRange = {
  created_after: { ...timestamp, description: 'Only what was created at or after this time.' },
  created_before: { ...timestamp, description: 'Only what was created before this time.' },
} as const;

export const listEventsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: statusSchema,
    type: eventTypeSchema,
    limit: limitSchema,
    cursor: cursorSchema,
    ...createdRange,
  },
} as const;

/** The most events one export answers; past it the export ends with a `truncated` line. */
export const EXPORT_LIMIT = 10_000;

export const exportEventsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: statusSchema,
    type: eventTypeSchema,
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: EXPORT_LIMIT,
      default: EXPORT_LIMIT,
      description:
        'Events to export at most. With more to come the last line is ' +
        '{"truncated": true, "exported", "limit", "next_cursor"}, and the header x-export-truncated is true.',
    },
    cursor: { ...cursorSchema, description: "A truncated export's next_cursor: resumes where it stopped." },
    ...createdRange,
  },
} as const;

export const deliveriesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: limitSchema, cursor: cursorSchema, ...createdRange },
} as const;

export const webhookIdQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['webhookId'],
  properties: { webhookId: idSchema, limit: limitSchema, cursor: cursorSchema, ...createdRange },
} as const;

export const statsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { window: { type: 'string', pattern: '^[1-9][0-9]{0,3}[mhd]$', default: '24h' } },
} as const;

export const errorResponse = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
  },
} as const;

export const webhookView = {
  type: 'object',
  required: ['id', 'url', 'events', 'active', 'created_at'],
  properties: {
    id: { type: 'string' },
    url: { type: 'string' },
    description: { type: 'string' },
    events: { type: 'array', items: { type: 'string' } },
    active: { type: 'boolean' },
    disabled_reason: { type: 'string' },
    created_at: timestamp,
    updated_at: timestamp,
    delivery_success_count: { type: 'integer' },
    delivery_failure_count: { type: 'integer' },
    last_triggered_at: timestamp,
    signature_schemes: { type: 'array', items: { type: 'string' } },
    headers: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Custom header names with masked values ("****" and at most the last four characters).',
    },
    rate_limit: { type: 'integer', description: 'Deliveries per second at most, when limited.' },
    secret: { type: 'string', description: 'Only in the response that created or rotated it.' },
  },
} as const;

export const webhookEnvelope = {
  type: 'object',
  required: ['webhook'],
  properties: {
    webhook: webhookView,
    message: { type: 'string', description: 'Only when created: store the secret now.' },
  },
} as const;

export const webhookList = {
  type: 'object',
  required: ['webhooks', 'count'],
  properties: { webhooks: { type: 'array', items: webhookView }, count: { type: 'integer' } },
} as const;

export const tenantView = {
  type: 'object',
  required: ['tenant_id', 'status', 'plan', 'created_at'],
  properties: {
    tenant_id: { type: 'string' },
    status: { type: 'string', enum: ['active', 'disabled'] },
    plan: planSchema,
    target_url: { type: 'string' },
    default_webhook_id: { type: 'string' },
    created_at: timestamp,
    updated_at: timestamp,
    api_key: { type: 'string', description: 'Only when the tenant is created.' },
    api_key_id: { type: 'string', description: 'Only when the tenant is created.' },
    webhook: webhookView,
    webhook_secret: { type: 'string', description: 'Only when the tenant is created with a target_url.' },
  },
} as const;

export const apiKeyView = {
  type: 'object',
  required: ['key_id', 'tenant_id', 'created_at'],
  properties: {
    key_id: { type: 'string' },
    tenant_id: { type: 'string' },
    created_at: timestamp,
    hint: { type: 'string', description: "The key's last four characters." },
    api_key: { type: 'string', description: 'Only in the response that issued it.' },
  },
} as const;

export const apiKeyList = {
  type: 'object',
  required: ['keys', 'count'],
  properties: { keys: { type: 'array', items: apiKeyView }, count: { type: 'integer' } },
} as const;

export const eventAccepted = {
  type: 'object',
  required: ['event_id', 'status'],
  properties: {
    event_id: { type: 'string' },
    type: { type: 'string' },
    status: statusSchema,
    created_at: timestamp,
    deliveries: { type: 'integer', description: 'Webhooks the event is delivered to.' },
  },
} as const;

const attemptView = {
  type: 'object',
  properties: {
    event_id: { type: 'string' },
    webhook_id: { type: 'string' },
    attempt: { type: 'integer' },
    attempted_at: timestamp,
    status_code: { type: 'integer' },
    duration_ms: { type: 'integer' },
    outcome: { type: 'string', enum: ['success', 'failure'] },
    error_kind: { type: 'string' },
    response: { type: 'string' },
  },
} as const;

export const eventView = {
  type: 'object',
  required: ['event_id', 'type', 'status', 'created_at', 'data', 'deliveries'],
  properties: {
    event_id: { type: 'string' },
    type: { type: 'string' },
    status: statusSchema,
    created_at: timestamp,
    updated_at: timestamp,
    data: {},
    deliveries: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          webhook_id: { type: 'string' },
          status: statusSchema,
          attempt_count: { type: 'integer' },
          next_attempt_at: timestamp,
          last_status_code: { type: 'integer' },
          last_error: { type: 'string' },
          attempts: { type: 'array', items: attemptView },
        },
      },
    },
  },
} as const;

export const eventList = {
  type: 'object',
  required: ['events', 'next_cursor'],
  properties: {
    events: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          event_id: { type: 'string' },
          type: { type: 'string' },
          status: statusSchema,
          created_at: timestamp,
          delivery_count: { type: 'integer' },
        },
      },
    },
    next_cursor: { type: ['string', 'null'] },
  },
} as const;

export const attemptList = {
  type: 'object',
  required: ['deliveries', 'next_cursor'],
  properties: {
    deliveries: { type: 'array', items: attemptView },
    next_cursor: { type: ['string', 'null'] },
  },
} as const;

export const anyObject = { type: 'object' } as const;

export const EVENT_TYPE = new RegExp(eventTypeSchema.pattern);
export const ID_PATTERN = new RegExp(idSchema.pattern);
