import { INBOUND_STATUSES, PROVIDERS } from '@hookrelay/inbound';

// Schemas of the inbound routes: ajv validates with them, the OpenAPI document is built from
// them, json-schema-to-ts derives the request types.

const headerName = { type: 'string', pattern: '^[A-Za-z0-9-]{1,64}$' } as const;

export const hmacConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['header', 'algorithm', 'encoding'],
  properties: {
    header: headerName,
    algorithm: { type: 'string', enum: ['sha256', 'sha512'] },
    encoding: { type: 'string', enum: ['hex', 'base64'] },
    prefix: { type: 'string', maxLength: 32 },
    id_header: headerName,
    type_header: headerName,
  },
} as const;

const secretSchema = {
  type: 'string',
  minLength: 8,
  maxLength: 512,
  description: "The provider's signing secret; omit it to have one generated (shown once).",
} as const;
const nameSchema = { type: 'string', minLength: 1, maxLength: 200 } as const;

export const createSourceBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'provider'],
  properties: {
    name: nameSchema,
    provider: { type: 'string', enum: PROVIDERS },
    secret: secretSchema,
    config: hmacConfigSchema,
    forward: {
      type: 'boolean',
      description: 'Also send each request as an outbound event `<provider>.<type>`.',
    },
  },
} as const;

export const patchSourceBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { name: nameSchema, config: hmacConfigSchema, forward: { type: 'boolean' } },
} as const;

export const rotateSourceSecretBody = {
  type: 'object',
  additionalProperties: false,
  properties: { secret: secretSchema },
} as const;

export const sourceView = {
  type: 'object',
  required: ['id', 'name', 'provider', 'ingest_url', 'forward', 'created_at'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    provider: { type: 'string', enum: PROVIDERS },
    ingest_url: {
      type: 'string',
      description: 'Give this URL to the provider; it is the only credential it needs.',
    },
    secret: { type: 'string', description: 'Only in the answers that create it.' },
    config: hmacConfigSchema,
    forward: { type: 'boolean' },
    rejected_count: { type: 'integer' },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

export const requestsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
    cursor: { type: 'string', minLength: 1, maxLength: 4096 },
  },
} as const;

const requestSummary = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    received_at: { type: 'string', format: 'date-time' },
    provider_event_id: { type: 'string' },
    type: { type: 'string' },
    status: { type: 'string', enum: INBOUND_STATUSES },
    routed_at: { type: 'string', format: 'date-time' },
    size: { type: 'integer' },
    s3_uri: { type: 'string' },
    duplicate_count: { type: 'integer', description: 'Times the provider sent this delivery again.' },
  },
} as const;

export const requestList = {
  type: 'object',
  required: ['requests', 'next_cursor'],
  properties: {
    requests: { type: 'array', items: requestSummary },
    next_cursor: { type: ['string', 'null'] },
  },
} as const;

export const inboundRequestView = {
  type: 'object',
  properties: {
    ...requestSummary.properties,
    source_id: { type: 'string' },
    provider: { type: 'string' },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    body: { type: 'string', description: 'The raw payload as received (base64 when body_encoding says so).' },
    body_encoding: { type: 'string', enum: ['utf8', 'base64'] },
    error: { type: 'string' },
  },
} as const;

export const replayAccepted = {
  type: 'object',
  properties: { webhook_id: { type: 'string' }, status: { type: 'string' }, message: { type: 'string' } },
} as const;
