import { at, count, text } from './common.js';
import {
  endpointAuthSchema,
  filterDescription,
  filterField,
  onExhaustedSchema,
  orderingSchema,
  signatureSchemesSchema,
  webhookFields,
} from './webhook-settings.js';

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
    verification_error: text(
      'While unverified: why the latest challenge did not verify it (HTTP 404, timeout: ..., a 2xx without the ' +
        'challenge echoed).',
    ),
    unanswered_challenges: count('While unverified: challenges in a row that did not verify it.'),
    next_challenge_at: at(
      'While unverified: when the platform challenges the endpoint again by itself (after 1, 5 and 15 minutes ' +
        'by default); absent once it has given up (POST /v1/webhooks/{id}/verify asks again at any time).',
    ),
    auth: {
      type: 'object',
      required: ['type', 'token_url', 'client_id', 'client_secret'],
      description: 'When set: how deliveries authenticate to the endpoint (the client secret masked).',
      properties: {
        type: endpointAuthSchema.properties.type,
        token_url: text('The token endpoint.'),
        client_id: text('The OAuth2 client id.'),
        client_secret: text('Always "****": the secret is never shown after it was set.'),
        scope: text('The scopes asked for.'),
        client_authentication: endpointAuthSchema.properties.client_authentication,
      },
    },
    tls_client_certificate: {
      type: 'object',
      required: [
        'subject',
        'issuer',
        'fingerprint_sha256',
        'not_before',
        'not_after',
        'status',
        'private_key',
      ],
      description: 'When set: the client certificate presented on https deliveries (never its key).',
      properties: {
        subject: text('Its subject (CN=..., O=...).'),
        issuer: text('Its issuer.'),
        fingerprint_sha256: text('SHA-256 fingerprint of the certificate, colon-separated hex.'),
        not_before: at('When it becomes valid.'),
        not_after: at('When it expires.'),
        status: {
          type: 'string',
          enum: ['valid', 'expiring', 'expired'],
          description: 'expiring within 30 days of not_after, expired after it: replace it before then.',
        },
        has_ca_certificate: {
          type: 'boolean',
          description: "true when a CA is trusted for the endpoint's server certificate.",
        },
        private_key: text('Always "****": the key is never shown after it was set.'),
      },
    },
  },
} as const;
