import { INBOUND_PROVIDERS } from '@hookrelay/definitions';
import { INBOUND_STATUSES } from '@hookrelay/inbound';

// Schemas of the inbound routes: ajv validates with them, the OpenAPI document is built from
// them, json-schema-to-ts derives the request types.

const headerName = { type: 'string', pattern: '^[A-Za-z0-9-]{1,64}$' } as const;
const text = (description: string) => ({ type: 'string', description }) as const;
const at = (description: string) => ({ type: 'string', format: 'date-time', description }) as const;

const hmacConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['header', 'algorithm', 'encoding'],
  description: 'How the hmac provider signs: header, algorithm, encoding, optional prefix.',
  properties: {
    header: { ...headerName, description: 'The header that carries the signature.' },
    algorithm: { type: 'string', enum: ['sha256', 'sha512'], description: 'HMAC hash.' },
    encoding: { type: 'string', enum: ['hex', 'base64'], description: 'How the digest is written.' },
    prefix: { type: 'string', maxLength: 32, description: 'Text before the digest, e.g. "sha256=".' },
    id_header: { ...headerName, description: "The header with the provider's delivery id (deduplication)." },
    type_header: { ...headerName, description: 'The header with the event type.' },
  },
} as const;

const secretSchema = {
  type: 'string',
  minLength: 8,
  maxLength: 512,
  description:
    "The provider's signing secret; omit it to have one generated (shown once). A placeholder (whsec_... as " +
    'in the docs, <...>, {{...}}) is refused.',
} as const;
const nameSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 200,
  description: 'Your name for the source.',
} as const;

export const createSourceBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'provider'],
  description: 'A source: where a provider sends webhooks to you, and how to verify them.',
  properties: {
    name: nameSchema,
    provider: { type: 'string', enum: INBOUND_PROVIDERS, description: 'How requests are verified.' },
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
  description: 'The fields to change; at least one.',
  properties: {
    name: nameSchema,
    config: hmacConfigSchema,
    forward: { type: 'boolean', description: 'Also send each request as an outbound event.' },
  },
} as const;

export const rotateSourceSecretBody = {
  type: 'object',
  additionalProperties: false,
  description: 'Give the new secret, or send nothing to have one generated.',
  properties: { secret: secretSchema },
} as const;

const sourceView = {
  type: 'object',
  required: ['id', 'name', 'provider', 'ingest_url', 'forward', 'created_at'],
  description: 'An inbound source.',
  properties: {
    id: text('The source id (src_...).'),
    name: text('Your name for it.'),
    provider: { type: 'string', enum: INBOUND_PROVIDERS, description: 'How requests are verified.' },
    ingest_url: {
      type: 'string',
      description: 'Give this URL to the provider; it is the only credential it needs.',
    },
    secret: { type: 'string', description: 'A generated secret; only in the answers that create it.' },
    config: hmacConfigSchema,
    forward: { type: 'boolean', description: 'Whether requests are also sent as outbound events.' },
    rejected_count: { type: 'integer', description: 'Requests refused (bad signature, stale).' },
    created_at: at('When it was created.'),
    updated_at: at('When it last changed.'),
  },
} as const;

export const requestsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 50,
      description: 'Items per page, 1 to 100 (default 50).',
    },
    cursor: {
      type: 'string',
      minLength: 1,
      maxLength: 4096,
      description: 'next_cursor of the previous page.',
    },
  },
} as const;

const requestSummary = {
  type: 'object',
  required: ['id', 'received_at', 'status'],
  description: 'A request a source received.',
  properties: {
    id: text('The inbound request id (iwh_...), called request_id in the ingest and replay answers.'),
    received_at: at('When it arrived.'),
    provider_event_id: text("The provider's own delivery or event id."),
    type: text("The provider's event type."),
    status: {
      type: 'string',
      enum: INBOUND_STATUSES,
      description: 'RECEIVED (queued), ROUTED (on the bus) or FAILED.',
    },
    routed_at: at('When it was routed.'),
    size: { type: 'integer', description: 'Body size in bytes.' },
    s3_uri: text(
      'The archive object holding the raw body (with other bodies of the same tenant when the stage ' +
        'archives in batches). Absent only where the stage archives in batches and the request is ' +
        'RECEIVED and not yet processed: its body is then archived as it is routed.',
    ),
    s3_range: text(
      'The bytes of the s3_uri object that are this body, as an HTTP Range (bytes=START-END, ' +
        'inclusive): pass it as Range to S3 GetObject. Given with s3_uri, unless the body is empty.',
    ),
    duplicate_count: { type: 'integer', description: 'Times the provider sent this delivery again.' },
  },
} as const;

export const requestList = {
  type: 'object',
  required: ['requests', 'next_cursor', 'has_more'],
  description: 'A page of received requests, newest first.',
  properties: {
    requests: { type: 'array', items: requestSummary, description: 'The requests.' },
    next_cursor: {
      type: ['string', 'null'],
      description: 'Pass as ?cursor= for the next page; null on the last page.',
    },
    has_more: { type: 'boolean', description: 'true when another page follows.' },
  },
} as const;

export const inboundRequestView = {
  type: 'object',
  required: [...requestSummary.required, 'source_id'],
  description: 'One received request with its raw body.',
  properties: {
    ...requestSummary.properties,
    source_id: text('The source (src_...) that received it.'),
    provider: text('The provider.'),
    headers: {
      type: 'object',
      additionalProperties: { type: 'string', description: 'Header value.' },
      description: 'The headers it came with.',
    },
    body: {
      type: 'string',
      description:
        'The raw payload as received (base64 when body_encoding says so). Absent, like s3_uri, while ' +
        'the request waits to be processed.',
    },
    body_encoding: { type: 'string', enum: ['utf8', 'base64'], description: 'How body is written.' },
    error: text('Why routing failed, when it did.'),
  },
} as const;

export const replayAccepted = {
  type: 'object',
  required: ['request_id', 'status'],
  description: 'The request is queued to be routed again.',
  properties: {
    request_id: text('The inbound request (iwh_...), named as the ingest answer names it.'),
    status: text('RECEIVED: queued again.'),
    message: text('What happens next.'),
    webhook_id: {
      ...text('Old name of request_id; removed in the next release.'),
      deprecated: true,
    },
  },
} as const;

export const sourceEnvelope = {
  type: 'object',
  required: ['source'],
  description: 'One source, in its envelope.',
  properties: { source: sourceView },
} as const;

export const sourceList = {
  type: 'object',
  required: ['sources', 'count'],
  description: 'All your sources (no pages).',
  properties: {
    sources: { type: 'array', items: sourceView, description: 'The sources.' },
    count: { type: 'integer', minimum: 0, description: 'How many there are.' },
  },
} as const;

export const rotatedSourceSecret = {
  type: 'object',
  required: ['source', 'previous_secret_expires_at'],
  description: 'The source with its new secret (shown when generated).',
  properties: {
    source: sourceView,
    previous_secret_expires_at: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'Until then the previous secret still verifies; null when there was none.',
    },
  },
} as const;
