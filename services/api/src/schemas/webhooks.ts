import {
  at,
  count,
  createdRange,
  cursorSchema,
  idSchema,
  limitSchema,
  orderingKeySchema,
  text,
  webhookRef,
} from './common.js';
import { attemptErrorKind } from './events.js';
import { webhookFields } from './webhook-settings.js';
import { webhookView } from './webhook-view.js';

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

/** What an endpoint answered to a request the platform sent it now (a challenge, a test delivery). */
const endpointAnswer = <const K>(duration: string, errorKind: K) =>
  ({
    status_code: { type: ['integer', 'null'], description: 'Its HTTP status; null when none came.' },
    response: text('The first 1,000 characters of its answer, or what went wrong.'),
    duration_ms: count(duration),
    error_kind: errorKind,
  }) as const;

/** What an endpoint answered to an ownership challenge. */
const challengeResult = {
  type: 'object',
  required: ['verified', 'status_code', 'response'],
  description: 'What the endpoint answered to the signed hookrelay.endpoint.verification request.',
  properties: {
    verified: { type: 'boolean', description: 'true when it answered 2xx echoing the challenge.' },
    ...endpointAnswer(
      'How long the request took.',
      text(
        'Why it failed: timeout, dns, refused, reset, tls, blocked, http, redirect, auth_token (no token from the OAuth2 token endpoint), other.',
      ),
    ),
  },
} as const;

export const verificationResult = {
  type: 'object',
  required: ['webhook_id', 'verification_status', ...challengeResult.required],
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
    ...endpointAnswer('How long the attempt took.', attemptErrorKind),
  },
} as const;

export const recoverResult = {
  type: 'object',
  required: ['webhook_id', 'recovered'],
  description: 'How many deliveries were requeued.',
  properties: { webhook_id: webhookRef, recovered: count('FAILED deliveries requeued.') },
} as const;
