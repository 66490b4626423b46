import {
  CLIENT_AUTHENTICATIONS,
  HEADER_NAME_PATTERN,
  HEADER_VALUE_PATTERN,
  MAX_CUSTOM_HEADERS,
  MAX_FILTER_BYTES,
  MAX_FILTER_DEPTH,
  MAX_FILTER_WILDCARDS,
  ON_EXHAUSTED_MODES,
  OPERATIONAL_EVENT_TYPES,
  ORDERING_MODES,
  TYPE_FILTER_PATTERN,
  VERIFICATION_MODES,
} from '@hookrelay/domain';
import { SIGNATURE_SCHEMES } from '@hookrelay/signing';
import { urlSchema } from './common.js';

// The settings of a webhook as a create or update body takes them (webhook-view.ts shows them).

export const signatureSchemesSchema = {
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

export const filterDescription =
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

export const orderingSchema = {
  type: 'string',
  enum: ORDERING_MODES,
  description:
    '"per_key": events that carry the same ordering_key are delivered to this webhook one at a time, in the ' +
    'order they were accepted; the next waits until the one before it is delivered or has exhausted its ' +
    'retries. Different keys never wait for each other, and events without a key are delivered unordered. ' +
    '"none" (the default): no order is promised. Guarantees under retries, crashes and redrives: docs/delivery.md.',
} as const;
export const onExhaustedSchema = {
  type: 'string',
  enum: ON_EXHAUSTED_MODES,
  description:
    'For ordering "per_key": what a key\'s later deliveries do once one of them is exhausted (FAILED). ' +
    '"continue" (the default): the next one goes on. "pause": the key stops; its later deliveries stay ' +
    'PENDING, unattempted, until POST /v1/webhooks/{id}/paused-keys/resume names the key (GET ' +
    '/v1/webhooks/{id}/paused-keys lists the paused keys).',
} as const;

export const filterField = {
  description: 'A field of the event: a list of values or matchers, or an object of nested fields.',
} as const;

const PEM_MAX_CHARS = 16_384;

export const endpointAuthSchema = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['type', 'token_url', 'client_id', 'client_secret'],
  description:
    'How deliveries authenticate to the endpoint besides the signatures. "oauth2_client_credentials": the ' +
    'platform gets an access token from token_url (the client credentials grant, RFC 6749 section 4.4, ' +
    'form-encoded) and sends it as Authorization: Bearer <token> on every delivery, test send and ' +
    'challenge. Tokens are reused until shortly before expires_in ends; an endpoint that answers 401 gets ' +
    'one new token and the request once more. A token endpoint that fails fails the attempt with ' +
    'error_kind auth_token (retried on the schedule). The client secret is never shown again: views show ' +
    '"****", and "****" sent back keeps the stored one. null removes it.',
  properties: {
    type: { type: 'string', enum: ['oauth2_client_credentials'], description: 'The only kind so far.' },
    token_url: {
      ...urlSchema,
      description: `The token endpoint, called under the same destination rules as deliveries. ${urlSchema.description}`,
    },
    client_id: { type: 'string', minLength: 1, maxLength: 255, description: 'The OAuth2 client id.' },
    client_secret: {
      type: 'string',
      minLength: 1,
      maxLength: 1024,
      description: 'The OAuth2 client secret; stored apart and never shown again ("****" keeps it).',
    },
    scope: {
      type: 'string',
      minLength: 1,
      maxLength: 1000,
      description: 'Space-separated scopes asked for.',
    },
    client_authentication: {
      type: 'string',
      enum: CLIENT_AUTHENTICATIONS,
      description:
        'How the client authenticates to the token endpoint: HTTP Basic (client_secret_basic, the default) ' +
        'or client_id and client_secret in the form (client_secret_post).',
    },
  },
} as const;

const clientCertificateSchema = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['certificate', 'private_key'],
  description:
    'A client certificate the platform presents on https deliveries (mutual TLS). The key must be the ' +
    "certificate's, and the certificate not expired; the private key is never shown again (views show the certificate's subject, issuer, " +
    'fingerprint and expiry; "****" sent back as private_key keeps the stored key). null removes it.',
  properties: {
    certificate: {
      type: 'string',
      minLength: 1,
      maxLength: PEM_MAX_CHARS,
      description: 'The certificate (PEM), optionally followed by its intermediates.',
    },
    private_key: {
      type: 'string',
      minLength: 1,
      maxLength: PEM_MAX_CHARS,
      description: 'Its private key (PEM, unencrypted: PKCS#8, PKCS#1 or SEC1).',
    },
    ca_certificate: {
      type: 'string',
      minLength: 1,
      maxLength: PEM_MAX_CHARS,
      description:
        "A CA (PEM) trusted for the endpoint's own server certificate besides the public roots, for " +
        'endpoints on a private PKI.',
    },
  },
} as const;

export const webhookFields = {
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
  auth: endpointAuthSchema,
  tls_client_certificate: clientCertificateSchema,
  ordering: orderingSchema,
  on_exhausted: onExhaustedSchema,
} as const;
