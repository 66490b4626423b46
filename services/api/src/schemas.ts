import {
  EVENT_STATUSES,
  EVENT_TYPE_PATTERN,
  HEADER_NAME_PATTERN,
  HEADER_VALUE_PATTERN,
  MAX_CUSTOM_HEADERS,
  MAX_FILTER_BYTES,
  MAX_FILTER_DEPTH,
  MAX_FILTER_WILDCARDS,
  MAX_ORDERING_KEY_LENGTH,
  ON_EXHAUSTED_MODES,
  OPERATIONAL_EVENT_TYPES,
  ORDERING_MODES,
  PLANS,
  TYPE_FILTER_PATTERN,
  VERIFICATION_MODES,
} from '@hookrelay/domain';
import { SIGNATURE_SCHEMES } from '@hookrelay/signing';
import { ID_PATTERN_SOURCE } from './id-pattern.js';

// One schema per request and response: ajv validates with it, the OpenAPI document is
// built from it, and json-schema-to-ts derives the TypeScript type from it. Every field
// carries its description here; docs/api.md states the naming convention they follow.

/** Ids a route already uses as a path word (`/v1/tenants/current`, `/v1/events/export`). */
export const RESERVED_TENANT_IDS: readonly string[] = ['current'];
export const RESERVED_EVENT_IDS: readonly string[] = ['export', 'batch', 'bulk'];

export const tenantIdSchema = {
  type: 'string',
  pattern: '^[a-z0-9][a-z0-9_-]{1,62}$',
  description: 'Lowercase letters, digits, "-" and "_"; 2 to 63 characters; not "current".',
} as const;
export const eventTypeSchema = {
  type: 'string',
  pattern: EVENT_TYPE_PATTERN.source,
  description: 'Event type, e.g. "invoice.paid": letters, digits and . _ : -, at most 128 characters.',
} as const;
export const idSchema = { type: 'string', pattern: ID_PATTERN_SOURCE } as const;
const eventIdSchema = {
  ...idSchema,
  description: 'Your own event id (default: a generated evt_...); not "export", "batch" or "bulk".',
} as const;
export const urlSchema = {
  type: 'string',
  maxLength: 2048,
  pattern: '^https?://[^\\s/?#]+[^\\s]*$',
  format: 'uri',
  description: 'http(s) URL with a host and a port that exists (1 to 65535), at most 2,048 characters.',
} as const;
const planSchema = {
  type: 'string',
  enum: PLANS,
  description: 'Billing plan; it sets the rate limits.',
} as const;
const timestamp = { type: 'string', format: 'date-time' } as const;
const at = (description: string) => ({ ...timestamp, description }) as const;
const text = (description: string) => ({ type: 'string', description }) as const;
const count = (description: string) => ({ type: 'integer', minimum: 0, description }) as const;
const statusSchema = {
  type: 'string',
  enum: EVENT_STATUSES,
  description:
    'PENDING (accepted or retrying), DELIVERED (every matching webhook got it), FAILED (retries ' +
    'exhausted) or CANCELLED.',
} as const;
const webhookRef = text('The webhook (wh_...) this is about.');
const eventRef = text('The event (evt_... or your own id) this is about.');
const nextCursor = {
  type: ['string', 'null'],
  description: 'Pass as ?cursor= for the next page; null on the last page. Opaque and signed.',
} as const;
const hasMore = {
  type: 'boolean',
  description: 'true when another page follows (next_cursor is set).',
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

const signatureSchemesSchema = {
  type: 'array',
  minItems: 1,
  uniqueItems: true,
  items: { type: 'string', enum: SIGNATURE_SCHEMES, description: 'A signature scheme.' },
  description:
    'Signatures on every delivery (default ["standard", "stripe"]): "standard" = webhook-signature v1 ' +
    '(Standard Webhooks, HMAC), "stripe" = Stripe-Signature, "body-hmac" = X-Hookrelay-Signature, the hex ' +
    'HMAC-SHA256 of the raw body keyed with the whole whsec_ secret (comma-separated per valid secret), ' +
    '"ed25519" = webhook-signature v1a (Standard Webhooks, asymmetric): verified with the public key ' +
    "(whpk_..., in the webhook's public_keys) and no secret.",
} as const;

const customHeadersSchema = {
  type: 'object',
  maxProperties: MAX_CUSTOM_HEADERS,
  propertyNames: { pattern: HEADER_NAME_PATTERN },
  additionalProperties: { type: 'string', pattern: HEADER_VALUE_PATTERN, description: 'Header value.' },
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

const filterDescription =
  'Payload filter: an EventBridge event pattern matched against the event as {"type", "id", "data"}; ' +
  'of the events its types cover, the webhook gets only those the pattern matches. Each field lists ' +
  'the values or matchers that match (any may); every field must match. Matchers: exact values, ' +
  '{"prefix": ...}, {"suffix": ...}, {"equals-ignore-case": ...}, {"wildcard": "a*b"}, ' +
  '{"anything-but": ...}, {"numeric": [">", 0, "<=", 5]}, {"exists": true|false}, {"cidr": "10.0.0.0/24"}, ' +
  'and "$or": [pattern, pattern, ...]. Example: {"data": {"amount": [{"numeric": [">", 10000]}], ' +
  `"currency": ["eur"]}}. At most ${MAX_FILTER_BYTES.toLocaleString('en')} bytes as JSON, ` +
  `${MAX_FILTER_DEPTH} levels deep and ${MAX_FILTER_WILDCARDS} wildcards. It is matched once, when an event is accepted: changing it does ` +
  'not revisit events already accepted. The test send (POST /v1/webhooks/{id}/test) is not filtered. ' +
  'Syntax and limits: docs/delivery.md.';

const orderingKeySchema = {
  type: 'string',
  minLength: 1,
  maxLength: MAX_ORDERING_KEY_LENGTH,
  description:
    `What the event is in sequence with (a customer or an order id, say), 1 to ${MAX_ORDERING_KEY_LENGTH} ` +
    'characters: webhooks with ordering "per_key" get the events that share a key one at a time, in the ' +
    'order they were accepted. Ignored by other webhooks.',
} as const;
const orderingSchema = {
  type: 'string',
  enum: ORDERING_MODES,
  description:
    '"per_key": events that carry the same ordering_key are delivered to this webhook one at a time, in the ' +
    'order they were accepted; the next waits until the one before it is delivered or has exhausted its ' +
    'retries. Different keys never wait for each other, and events without a key are delivered unordered. ' +
    '"none" (the default): no order is promised. Guarantees under retries, crashes and redrives: docs/delivery.md.',
} as const;
const onExhaustedSchema = {
  type: 'string',
  enum: ON_EXHAUSTED_MODES,
  description:
    'For ordering "per_key": what a key\'s later deliveries do once one of them is exhausted (FAILED). ' +
    '"continue" (the default): the next one goes on. "pause": the key stops; its later deliveries stay ' +
    'PENDING, unattempted, until POST /v1/webhooks/{id}/paused-keys/resume names the key (GET ' +
    '/v1/webhooks/{id}/paused-keys lists the paused keys).',
} as const;

const filterField = {
  description: 'A field of the event: a list of values or matchers, or an object of nested fields.',
} as const;

const webhookFields = {
  url: { ...urlSchema, description: `Where deliveries are POSTed. ${urlSchema.description}` },
  description: { type: 'string', maxLength: 500, description: 'Your note about the endpoint.' },
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
  active: { type: 'boolean', description: 'false pauses deliveries to this endpoint (default true).' },
  signature_schemes: signatureSchemesSchema,
  headers: customHeadersSchema,
  rate_limit: rateLimitSchema,
  verification: {
    type: 'string',
    enum: VERIFICATION_MODES,
    description:
      '"challenge": the endpoint must prove it wants the deliveries before it gets any. The platform POSTs ' +
      'it a signed hookrelay.endpoint.verification request whose data.challenge is a random value, and the ' +
      'endpoint answers 2xx echoing it, as {"challenge": "..."} or in the X-Hookrelay-Challenge header. ' +
      'Until then, and again after any change of its URL, the webhook is unverified and gets nothing. ' +
      '"none" (the default) asks for no such proof.',
  },
  filter: {
    type: ['object', 'null'],
    additionalProperties: filterField,
    description: `${filterDescription} null removes the filter.`,
  },
  ordering: orderingSchema,
  on_exhausted: onExhaustedSchema,
} as const;

export const createWebhookBody = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  description: 'A webhook endpoint: where to deliver, which types, how to sign.',
  properties: webhookFields,
} as const;

export const patchWebhookBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  description: 'The fields to change; at least one. Absent fields keep their value.',
  properties: webhookFields,
} as const;

const pausedKey = {
  type: 'object',
  required: ['ordering_key', 'event_id', 'paused_at'],
  description: 'A key whose line stopped.',
  properties: {
    ordering_key: text('The key.'),
    event_id: text('The event whose delivery was exhausted and stopped the key.'),
    paused_at: at('When it stopped.'),
  },
} as const;

export const pausedKeyList = {
  type: 'object',
  required: ['webhook_id', 'paused_keys', 'count'],
  description: "An ordered webhook's paused keys.",
  properties: {
    webhook_id: text('The webhook.'),
    paused_keys: { type: 'array', items: pausedKey, description: 'The paused keys, in key order.' },
    count: count('How many are listed.'),
  },
} as const;

export const resumeKeyBody = {
  type: 'object',
  additionalProperties: false,
  required: ['ordering_key'],
  description: 'The key to resume.',
  properties: { ordering_key: orderingKeySchema },
} as const;

export const resumedKey = {
  type: 'object',
  required: ['webhook_id', 'ordering_key', 'resumed'],
  description: 'The key goes on.',
  properties: {
    webhook_id: text('The webhook.'),
    ordering_key: text('The key.'),
    resumed: { type: 'boolean', description: 'Always true.' },
  },
} as const;

export const recoverBody = {
  type: 'object',
  additionalProperties: false,
  required: ['since'],
  description: 'The window of attempts whose FAILED deliveries are requeued.',
  properties: {
    since: at('Start of the window (inclusive).'),
    until: at('End of the window (exclusive); default now.'),
  },
} as const;

/** `{type, data, id?}`; a body without `data` is the data itself, its type from `type` or `event`. */
const eventFields = {
  type: eventTypeSchema,
  event: { ...eventTypeSchema, description: 'Another name for type, for bodies sent as they are.' },
  id: eventIdSchema,
  ordering_key: orderingKeySchema,
  data: { description: 'The payload your receivers get as "data" (any JSON value).' },
} as const;

export const createEventBody = {
  type: 'object',
  description:
    'An event: {type, data, id?}. A body without "data" is taken whole as the data, its type from "type" ' +
    'or "event". Types starting with "hookrelay." are the platform\'s own (operational events about your ' +
    'endpoints) and are refused here.',
  // Open (each branch takes any other field): a body without "data" is the data itself, whatever
  // its fields. Each branch is a whole body (the fields, one of them required) and there is no other, so that
  // the typed client's body is `{type: string, …} | {event: string, …}`: `{type: 1}` or `{}` do
  // not compile.
  anyOf: [
    { type: 'object', required: ['type'], properties: eventFields, additionalProperties: true },
    { type: 'object', required: ['event'], properties: eventFields, additionalProperties: true },
  ],
} as const;

export const eventTypeList = {
  type: 'object',
  required: ['event_types'],
  description: 'The event types the tenant has sent within the retention, by name.',
  properties: {
    event_types: {
      type: 'array',
      description: 'One entry per type.',
      items: {
        type: 'object',
        required: ['type', 'last_seen_at', 'example'],
        description: 'A type and a recent event of it.',
        properties: {
          type: text('The event type.'),
          last_seen_at: at(
            'When an event of this type was last noted (each API instance notes a type at most every 10 minutes).',
          ),
          example: {
            type: 'object',
            required: ['event_id'],
            description: 'A recent event of this type: its id and data (data larger than 16 KB is left out).',
            properties: {
              event_id: text('The event the example is.'),
              data: { description: 'Its data, as receivers get it.' },
            },
          },
        },
      },
    },
  },
} as const;

export const MAX_BATCH = 100;
export const batchEventsBody = {
  type: 'object',
  additionalProperties: false,
  required: ['events'],
  description: 'Up to 100 events; each is checked and accepted or rejected on its own.',
  properties: {
    events: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_BATCH,
      // Each item is checked on its own (a bad one is REJECTED in the results, not a 400 for all).
      items: {
        type: 'object',
        additionalProperties: true,
        description: 'One event, as POST /v1/events takes it.',
        properties: {
          type: { description: eventTypeSchema.description },
          event: { description: 'Another name for type.' },
          id: { description: eventIdSchema.description },
          ordering_key: { description: orderingKeySchema.description },
          data: { description: 'The payload.' },
        },
      },
      description: 'The events, in order; results come back in the same order.',
    },
  },
} as const;

const limitSchema = {
  type: 'integer',
  minimum: 1,
  maximum: 100,
  default: 50,
  description: 'Items per page, 1 to 100 (default 50).',
} as const;
const cursorSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 4096,
  description: 'next_cursor of the previous page.',
} as const;
/** [created_after, created_before): the first included, the second not. */
const createdRange = {
  created_after: { ...timestamp, description: 'Only what was created at or after this time.' },
  created_before: { ...timestamp, description: 'Only what was created before this time.' },
} as const;

const webhookFilterSchema = {
  type: 'string',
  pattern: '^[A-Za-z0-9_-]{1,128}$',
  description: 'Only events with a delivery to this webhook (its id).',
} as const;

export const listEventsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { ...statusSchema, description: 'Only events in this status.' },
    type: { ...eventTypeSchema, description: 'Only events of this type.' },
    webhook_id: webhookFilterSchema,
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
    status: { ...statusSchema, description: 'Only events in this status.' },
    type: { ...eventTypeSchema, description: 'Only events of this type.' },
    webhook_id: webhookFilterSchema,
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
  required: ['webhook_id'],
  properties: {
    webhook_id: { ...idSchema, description: 'The webhook (wh_...).' },
    limit: limitSchema,
    cursor: cursorSchema,
    ...createdRange,
  },
} as const;

export const webhookIdOnlyQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['webhook_id'],
  properties: { webhook_id: webhookIdQuery.properties.webhook_id },
} as const;

export const statsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    window: {
      type: 'string',
      pattern: '^[1-9][0-9]{0,3}[mhd]$',
      default: '24h',
      description:
        'How far back: minutes, hours or days, e.g. 15m, 24h, 7d (default 24h). It sets the bucket: ' +
        '5 minutes up to 6h, an hour up to 7d, a day beyond.',
    },
    webhook_id: {
      ...idSchema,
      description: 'Only this webhook (wh_...): its attempts, deliveries and series.',
    },
  },
} as const;

export const errorResponse = {
  type: 'object',
  required: ['error'],
  description: 'Every error, whatever the status.',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      description: 'What went wrong.',
      properties: {
        code: text('Stable snake_case code to branch on, e.g. validation_error, not_found.'),
        message: text('A sentence for a person; may change between releases.'),
        details: {
          type: 'array',
          description: 'For validation errors: one item per problem.',
          items: {
            type: 'object',
            description: 'One problem.',
            properties: {
              field: text('Dotted path of the field, or the parameter name.'),
              message: text('What is wrong with it.'),
            },
          },
        },
      },
    },
  },
} as const;

export const webhookView = {
  type: 'object',
  required: ['id', 'url', 'events', 'active', 'created_at'],
  description: 'A webhook endpoint.',
  properties: {
    id: text('The webhook id (wh_...).'),
    url: text('Where deliveries go; a password in it is masked ("****").'),
    description: text('Your note about the endpoint.'),
    events: webhookFields.events,
    active: { type: 'boolean', description: 'Whether deliveries go out to it.' },
    disabled_reason: text('Why the platform disabled it (410 Gone, failing for 5 days), when it did.'),
    created_at: at('When it was created.'),
    updated_at: at('When it last changed.'),
    delivery_success_count: count('Successful attempts so far.'),
    delivery_failure_count: count('Failed attempts so far.'),
    last_triggered_at: at('When it was last attempted.'),
    lane: {
      type: 'string',
      enum: ['main', 'slow'],
      description:
        'The lane its deliveries go on: `slow` while the platform keeps it apart for answering slowly ' +
        '(docs/scaling.md), so that it cannot hold up other endpoints; `main` otherwise.',
    },
    lane_since: at('When it moved to the slow lane (present while it is there).'),
    signature_schemes: signatureSchemesSchema,
    headers: {
      type: 'object',
      additionalProperties: { type: 'string', description: 'Masked value.' },
      description: 'Custom header names with masked values ("****" and at most the last four characters).',
    },
    rate_limit: { type: 'integer', description: 'Deliveries per second at most, when limited.' },
    ordering: orderingSchema,
    on_exhausted: onExhaustedSchema,
    public_keys: {
      type: 'array',
      items: text('An ed25519 public key (whpk_ and 32 bytes in base64).'),
      description:
        'Only when it signs with ed25519: the public keys that verify its v1a signatures, newest first ' +
        '(a rotated-out one stays for its 24-hour overlap). Public keys are not secrets; the private ' +
        'keys are never shown.',
    },
    filter: {
      type: 'object',
      additionalProperties: filterField,
      description: `When set. ${filterDescription}`,
    },
    secret: text('The signing secret (whsec_...); only in the response that created it.'),
    verification: webhookFields.verification,
    verification_required: {
      type: 'boolean',
      description:
        'true while the tenant requires the ownership challenge of every webhook (verification is then ' +
        '"challenge" whatever was asked).',
    },
    verification_status: {
      type: 'string',
      enum: ['verified', 'unverified'],
      description:
        'Only with verification "challenge": verified once its endpoint answered a challenge for its current ' +
        'URL; unverified (getting nothing) until then.',
    },
    verified_at: at('When its endpoint answered the challenge (while verified).'),
  },
} as const;

/** What an endpoint answered to an ownership challenge. */
export const challengeResult = {
  type: 'object',
  required: ['verified', 'status_code', 'response'],
  description: 'What the endpoint answered to the signed hookrelay.endpoint.verification request.',
  properties: {
    verified: { type: 'boolean', description: 'true when it answered 2xx echoing the challenge.' },
    status_code: { type: ['integer', 'null'], description: 'Its HTTP status; null when none came.' },
    response: text('The first 1,000 characters of its answer, or what went wrong.'),
    duration_ms: count('How long the request took.'),
    error_kind: text('Why it failed: timeout, dns, refused, reset, tls, blocked, http, redirect, other.'),
  },
} as const;

export const verificationResult = {
  type: 'object',
  required: ['webhook_id', 'verification_status', 'verified', 'status_code', 'response'],
  description: 'The outcome of a new ownership challenge.',
  properties: {
    webhook_id: text('The webhook (wh_...).'),
    verification_status: {
      type: 'string',
      enum: ['verified', 'unverified'],
      description:
        'The webhook as it is now (one verified before stays verified when a new challenge fails).',
    },
    ...challengeResult.properties,
  },
} as const;

export const webhookEnvelope = {
  type: 'object',
  required: ['webhook'],
  description: 'One webhook, in its envelope.',
  properties: {
    webhook: webhookView,
    message: text(
      'When created: store the secret now. Also when the tenant requires the ownership challenge and the ' +
        'body did not ask for it: that it applies all the same.',
    ),
    challenge_result: {
      ...challengeResult,
      description:
        'Only when this call sent the endpoint an ownership challenge (created or moved with verification ' +
        '"challenge"): what it answered.',
    },
  },
} as const;

export const webhookList = {
  type: 'object',
  required: ['webhooks', 'count'],
  description: 'All your webhooks (at most 50, no pages).',
  properties: {
    webhooks: { type: 'array', items: webhookView, description: 'The webhooks, oldest first.' },
    count: count('How many there are.'),
  },
} as const;

export const rotatedSecret = {
  type: 'object',
  required: ['webhook_id', 'secret', 'previous_secret_expires_at'],
  description: 'The new secret, shown this once.',
  properties: {
    webhook_id: webhookRef,
    secret: text('The new signing secret (whsec_...); it signs from now on.'),
    public_key: text(
      'Only for a webhook that signs with ed25519: the public key (whpk_...) of the new signing key, which ' +
        'signs from now on.',
    ),
    previous_secret_expires_at: at(
      'Until then the previous secret (and signing key) signs too (one signature per secret or key).',
    ),
  },
} as const;

export const testDeliveryResult = {
  type: 'object',
  required: ['success', 'status_code', 'response'],
  description: 'What the endpoint answered to a signed test delivery of type webhook.test.',
  properties: {
    success: { type: 'boolean', description: 'true when it answered 2xx in time.' },
    status_code: { type: ['integer', 'null'], description: 'Its HTTP status; null when none came.' },
    response: text('The first 1,000 characters of its answer, or what went wrong.'),
    duration_ms: count('How long the attempt took.'),
    error_kind: text(
      'Why it failed: timeout, dns, refused, reset, tls, blocked, http, redirect, abandoned (unanswered on the main lane within its budget, handed to the slow lane), other.',
    ),
  },
} as const;

export const recoverResult = {
  type: 'object',
  required: ['webhook_id', 'recovered'],
  description: 'How many deliveries were requeued.',
  properties: { webhook_id: webhookRef, recovered: count('FAILED deliveries requeued.') },
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
        'until their endpoint answers (POST /v1/webhooks/{id}/verify asks).',
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

const deliveryCount = count('Webhooks the event is delivered to.');

export const eventAccepted = {
  type: 'object',
  required: ['event_id', 'status'],
  description: 'The event is stored and its deliveries are queued.',
  properties: {
    event_id: text('The event id.'),
    type: text('The event type.'),
    status: statusSchema,
    created_at: at('When it was accepted.'),
    delivery_count: deliveryCount,
    ordering_key: text('The key it was sent with, when it has one.'),
    deliveries: {
      ...deliveryCount,
      deprecated: true,
      description: 'Old name of delivery_count; removed in the next release.',
    },
  },
} as const;

export const batchResult = {
  type: 'object',
  required: ['accepted', 'rejected', 'results'],
  description: '201 when every event was accepted, 207 when some were rejected.',
  properties: {
    accepted: count('Events accepted.'),
    rejected: count('Events rejected (nothing stored for them).'),
    results: {
      type: 'array',
      description: 'One result per event, in the order sent.',
      items: {
        type: 'object',
        required: ['index', 'status'],
        description: 'An accepted event (as POST /v1/events answers) or a rejection.',
        properties: {
          index: count('Position in the batch, from 0.'),
          ...eventAccepted.properties,
          status: {
            type: 'string',
            enum: [...EVENT_STATUSES, 'REJECTED'],
            description: 'The event status, or REJECTED.',
          },
          error: {
            ...errorResponse.properties.error,
            description: 'Why the event was rejected.',
          },
        },
      },
    },
  },
} as const;

export const attemptView = {
  type: 'object',
  required: ['event_id', 'webhook_id', 'attempt', 'attempted_at', 'outcome'],
  description: 'One HTTP attempt to deliver an event to a webhook.',
  properties: {
    event_id: eventRef,
    webhook_id: webhookRef,
    attempt: { type: 'integer', minimum: 1, description: 'Attempt number for this delivery, from 1.' },
    attempted_at: at('When the request was sent.'),
    status_code: { type: 'integer', description: 'What the endpoint answered, when it answered.' },
    duration_ms: count('How long it took.'),
    outcome: { type: 'string', enum: ['success', 'failure'], description: 'success = 2xx in time.' },
    error_kind: text(
      'Why it failed: timeout, dns, refused, reset, tls, blocked, http, redirect, abandoned (unanswered on the main lane within its budget, handed to the slow lane), other.',
    ),
    response: text('The first 1,000 characters of the answer.'),
  },
} as const;

const deliveryView = {
  type: 'object',
  required: ['webhook_id', 'status', 'attempt_count', 'attempts'],
  description: "The event's delivery to one webhook.",
  properties: {
    webhook_id: webhookRef,
    status: statusSchema,
    attempt_count: count('Attempts made so far.'),
    next_attempt_at: at('When the next attempt is due, while PENDING.'),
    last_status_code: { type: 'integer', description: 'Status of the last answer.' },
    last_error: text('What went wrong last.'),
    attempts: { type: 'array', items: attemptView, description: 'Its attempts, oldest first.' },
  },
} as const;

export const eventView = {
  type: 'object',
  required: ['event_id', 'type', 'status', 'created_at', 'data', 'deliveries'],
  description: 'An event with each webhook delivery and its attempts.',
  properties: {
    event_id: text('The event id.'),
    type: text('The event type.'),
    status: statusSchema,
    created_at: at('When it was accepted.'),
    updated_at: at('When its status last changed.'),
    data: { description: 'The payload, as sent.' },
    ordering_key: text(
      'The key it was sent with, when it has one: webhooks with ordering "per_key" get it in that key\'s line.',
    ),
    deliveries: { type: 'array', items: deliveryView, description: 'One per matching webhook.' },
  },
} as const;

export const eventSummary = {
  type: 'object',
  required: ['event_id', 'type', 'status', 'created_at'],
  description: 'An event in a list.',
  properties: {
    event_id: text('The event id.'),
    type: text('The event type.'),
    status: statusSchema,
    created_at: at('When it was accepted.'),
    delivery_count: deliveryCount,
  },
} as const;

export const eventList = {
  type: 'object',
  required: ['events', 'next_cursor', 'has_more'],
  description: 'A page of events, newest first.',
  properties: {
    events: { type: 'array', items: eventSummary, description: 'The events.' },
    next_cursor: nextCursor,
    has_more: hasMore,
  },
} as const;

export const attemptList = {
  type: 'object',
  required: ['attempts', 'next_cursor', 'has_more'],
  description: 'A page of attempts, newest first.',
  properties: {
    attempts: { type: 'array', items: attemptView, description: 'The attempts.' },
    deliveries: {
      type: 'array',
      items: attemptView,
      deprecated: true,
      description: 'Old name of attempts; removed in the next release.',
    },
    next_cursor: nextCursor,
    has_more: hasMore,
  },
} as const;

export const retryResult = {
  type: 'object',
  required: ['event_id', 'status', 'retried'],
  description: 'The failed deliveries start a fresh schedule.',
  properties: {
    event_id: eventRef,
    status: statusSchema,
    retried: count('Deliveries reopened.'),
  },
} as const;

export const cancelResult = {
  type: 'object',
  required: ['event_id', 'cancelled'],
  description: 'What was cancelled.',
  properties: {
    event_id: eventRef,
    status: statusSchema,
    cancelled: count('Deliveries cancelled.'),
  },
} as const;

export const resendResult = {
  type: 'object',
  required: ['event_id', 'webhook_id', 'status', 'attempt'],
  description: 'The attempt queued for now.',
  properties: {
    event_id: eventRef,
    webhook_id: webhookRef,
    status: statusSchema,
    attempt: count('The number the new attempt will have.'),
  },
} as const;

const nullableMs = (description: string) => ({ type: ['integer', 'null'], minimum: 0, description }) as const;

const statsBucketSchema = {
  type: 'string',
  enum: ['5m', '1h', '1d'],
  description: "The series' bucket: 5 minutes (windows up to 6h), an hour (up to 7d) or a day (UTC).",
} as const;

const statsPoint = {
  type: 'object',
  required: ['start', 'attempts', 'succeeded', 'failed', 'delivered', 'exhausted', 'p50_ms', 'p95_ms'],
  description: 'One bucket of the window.',
  properties: {
    start: at('Start of the bucket (included); it ends where the next begins, the last one now.'),
    attempts: count('Attempts made in the bucket.'),
    succeeded: count('Attempts answered with a 2xx.'),
    failed: count('Attempts that failed (their delivery may have been retried).'),
    delivered: count('Deliveries that ended DELIVERED in the bucket.'),
    exhausted: count('Deliveries that ended FAILED in the bucket: their retries were spent.'),
    p50_ms: nullableMs("Median of the bucket's attempt durations, in ms; null without attempts."),
    p95_ms: nullableMs("95th percentile of the bucket's attempt durations, in ms; null without attempts."),
  },
} as const;

const failingEndpoint = {
  type: 'object',
  required: ['webhook_id', 'url', 'failures', 'last_failure_at', 'state'],
  description: 'An endpoint failing now.',
  properties: {
    webhook_id: webhookRef,
    url: text('Its URL, with any credentials in it masked.'),
    failures: count('Its failed attempts in the window.'),
    last_failure_at: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'Its latest failed attempt; null when none is known (e.g. disabled long ago).',
    },
    state: {
      type: 'string',
      enum: ['disabled', 'circuit_open', 'failing', 'degraded'],
      description:
        'disabled: the platform disabled it (a 410, or failing for days); circuit_open: it stopped ' +
        'answering, its deliveries wait for the breaker; failing: its latest attempt failed; ' +
        'degraded: attempts failed in the window, the latest succeeded.',
    },
    failing_since: at('When its current run of failed attempts began.'),
    disabled_reason: text('Why the platform disabled it.'),
  },
} as const;

export const statsView = {
  type: 'object',
  required: [
    'window',
    'since',
    'until',
    'bucket',
    'covers',
    'counts',
    'total',
    'success_rate',
    'attempts',
    'deliveries',
    'attempt_latency_ms',
    'series',
    'failing_endpoints',
  ],
  description:
    'Counts by status, success rate, deliveries ended and attempt latency over the window, the same ' +
    'per bucket, the endpoints failing now, and what each covers.',
  properties: {
    window: text('The window asked for, e.g. 24h.'),
    since: at('Start of the window (included): now minus the window, rounded down to the bucket.'),
    until: at('End of the window (excluded): when the numbers were read.'),
    webhook_id: text('The webhook the figures are narrowed to, when asked for.'),
    bucket: statsBucketSchema,
    covers: {
      type: 'object',
      description: 'In words, what each figure counts.',
      additionalProperties: text('What the figure of this name covers.'),
    },
    counts: {
      type: 'object',
      description: 'Events created in the window, by their status now.',
      additionalProperties: count('Events in this status.'),
    },
    total: count('Events created in the window.'),
    success_rate: {
      type: ['number', 'null'],
      minimum: 0,
      maximum: 1,
      description: 'Successful attempts / attempts in the window; null when no attempt was made.',
    },
    attempts: {
      type: 'object',
      required: ['total', 'succeeded', 'failed', 'complete'],
      description: 'Delivery attempts made in the window, every one of them.',
      properties: {
        total: count('Attempts made.'),
        succeeded: count('Attempts answered with a 2xx.'),
        failed: count('Attempts that failed.'),
        complete: {
          type: 'boolean',
          description: 'false when the window reaches back past the days attempts are kept.',
        },
      },
    },
    deliveries: {
      type: 'object',
      required: ['delivered', 'exhausted'],
      description: 'Deliveries that ended in the window.',
      properties: {
        delivered: count('Ended DELIVERED.'),
        exhausted: count('Ended FAILED: their retries were spent (or the endpoint answered 410).'),
      },
    },
    attempt_latency_ms: {
      type: 'object',
      description: 'Durations of the attempts of the window, within 4.5 % of the exact value.',
      properties: {
        p50: nullableMs('Median, in ms.'),
        p95: nullableMs('95th percentile, in ms.'),
        sample: count('Attempts measured: attempts.total.'),
      },
    },
    series: {
      type: 'array',
      description: 'The figures per bucket, oldest first, empty buckets included.',
      items: statsPoint,
    },
    failing_endpoints: {
      type: 'array',
      description: 'The endpoints failing now, worst state first, then most failures.',
      items: failingEndpoint,
    },
  },
} as const;

export const healthView = {
  type: 'object',
  required: ['status'],
  description: 'The API answers.',
  properties: { status: { type: 'string', const: 'ok', description: 'Always "ok".' } },
} as const;

export const openApiView = {
  type: 'object',
  required: ['openapi', 'info', 'paths'],
  description: 'An OpenAPI 3.1 document.',
  properties: {
    openapi: text('The OpenAPI version, 3.1.0.'),
    info: { type: 'object', description: 'Title, version and description.' },
    servers: { type: 'array', description: 'Where the API is served.', items: { type: 'object' } },
    paths: { type: 'object', description: 'Every operation.' },
    components: { type: 'object', description: 'Shared schemas and security schemes.' },
  },
} as const;

export const ndjsonExport = {
  type: 'string',
  description:
    'One event summary per line, as JSON (newest first, the list filters applied); empty when none match.',
} as const;

export const htmlPage = { type: 'string', description: 'An HTML page.' } as const;
export const assetFile = {
  type: 'string',
  description: 'A JavaScript or CSS file of the documentation pages.',
} as const;

export const EVENT_TYPE = new RegExp(eventTypeSchema.pattern);
export { ID_PATTERN } from './id-pattern.js';
