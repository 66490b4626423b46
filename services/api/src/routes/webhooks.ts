import { challengeEndpoint, signedRequest } from '@hookrelay/delivery';
import {
  awaitsVerification,
  ConflictError,
  iso,
  maskUrl,
  NotFoundError,
  newId,
  newSigningSecret,
  notifyTenant,
  publicKeysOf,
  type SigningSecret,
  signsWithEd25519,
  type Webhook,
} from '@hookrelay/domain';
import { jsonResponse } from '@hookrelay/http';
import { publicKeyOf } from '@hookrelay/signing';
import type { FromSchema } from 'json-schema-to-ts';
import { FIELD_ALIASES, withFieldAliases } from '../aliases.js';
import type { Deps } from '../deps.js';
import {
  attemptListExample,
  createWebhookExample,
  patchWebhookExample,
  recoverExample,
  recoverResultExample,
  rotatedSecretExample,
  testDeliveryExample,
  webhookCreatedExample,
  webhookEnvelopeExample,
  webhookListExample,
} from '../examples/webhooks.js';
import { type RouteRequest, route } from '../route-spec.js';
import { attemptList } from '../schemas/events.js';
import {
  createWebhookBody,
  deliveriesQuery,
  patchWebhookBody,
  recoverBody,
  recoverResult,
  rotatedSecret,
  testDeliveryResult,
  webhookEnvelope,
  webhookIdOnlyQuery,
  webhookIdQuery,
  webhookList,
} from '../schemas/webhooks.js';
import { createdRangeOf, instantRange } from '../time-range.js';
import { trustChangeOf } from '../use-cases/endpoint-trust.js';
import { enqueueReopened } from '../use-cases/events.js';
import { REQUIRED_BY_TENANT } from '../use-cases/required-verification.js';
import { publicKeysFor, ROTATION_CONFLICT, secretsReadyForEd25519 } from '../use-cases/signing-keys.js';
import { createWebhook, type PatchWebhook, webhookFieldsOf } from '../use-cases/webhooks.js';
import { pausedKeyRoutes } from './paused-keys.js';
import { page, webhookView } from './views.js';
import { UNVERIFIED_EXAMPLE, unverified, verifyWebhookRoute } from './webhook-verification.js';

/** Secrets that sign at once: the newest and two still in their overlap. */
const LIVE_SECRETS_MAX = 3;

const mustGet = async (deps: Deps, tenantId: string, id: string): Promise<Webhook> => {
  const webhook = await deps.webhooks.get(tenantId, id);
  if (!webhook) throw new NotFoundError('webhook', id);
  return webhook;
};

/** The `{id}` of the path, or `?webhook_id=` of the older query form. */
const webhookIdOf = (req: RouteRequest<unknown, { webhook_id?: string }>): string =>
  req.params.id ?? req.query.webhook_id ?? '';

const testDelivery = async (req: RouteRequest<unknown, { webhook_id?: string }>, deps: Deps) => {
  const tenantId = req.principal.tenant_id;
  const webhook = await mustGet(deps, tenantId, webhookIdOf(req));
  if (awaitsVerification(webhook)) throw unverified(webhook.id);
  const now = deps.clock.now();
  const secrets = await deps.secrets.get(tenantId, webhook.id, now);
  const envelope = { id: newId('msg', now), type: 'webhook.test', timestamp: iso(now), data: { test: true } };
  const result = await deps.sender.send(signedRequest(webhook.url, envelope, secrets, now, webhook));
  return jsonResponse(200, {
    success: result.ok,
    status_code: result.status_code ?? null,
    response: result.response ?? result.error ?? '',
    duration_ms: result.duration_ms,
    ...(result.error_kind ? { error_kind: result.error_kind } : {}),
  });
};

type DeliveriesQuery = FromSchema<typeof deliveriesQuery> & { webhook_id?: string };

const deliveries = async (req: RouteRequest<unknown, DeliveriesQuery>, deps: Deps) => {
  const tenantId = req.principal.tenant_id;
  const webhook = await mustGet(deps, tenantId, webhookIdOf(req));
  const result = await deps.events.attemptsByWebhook(
    tenantId,
    webhook.id,
    Number(req.query.limit ?? 50),
    req.query.cursor,
    createdRangeOf(req.query),
  );
  return jsonResponse(
    200,
    withFieldAliases(page('attempts', result.attempts, result.next_cursor), FIELD_ALIASES.attemptList),
  );
};

/** Whether the tenant's requirement overrode a body that did not ask for the challenge. */
const requiredAnyway = (body: { verification?: string }, webhook: Webhook): boolean =>
  webhook.verification_required === true &&
  body.verification !== 'challenge' &&
  webhook.verification !== 'challenge';

const replace = async (req: RouteRequest<PatchWebhook>, deps: Deps) => {
  const tenantId = req.principal.tenant_id;
  const id = req.params.id ?? '';
  const existing = await mustGet(deps, tenantId, id);
  const patch = webhookFieldsOf(deps, req.body, existing);
  const trust = await trustChangeOf(deps, req.body, existing);
  const secrets = signsWithEd25519({ ...existing, ...patch })
    ? await secretsReadyForEd25519(deps, tenantId, id)
    : undefined;
  const now = iso(deps.clock.now());
  // The secrets first: the webhook never names credentials that are not stored.
  if (trust.credentials) await deps.credentials.put(tenantId, id, trust.credentials);
  let updated = await deps.webhooks.update(tenantId, id, { ...patch, ...trust.patch }, now);
  // Moved, or newly asked to prove itself: the endpoint at the URL it has now is challenged.
  const challenged =
    awaitsVerification(updated) && (!awaitsVerification(existing) || existing.url !== updated.url)
      ? await challengeEndpoint(deps, updated)
      : undefined;
  if (challenged) updated = challenged.webhook;
  if (!existing.active && updated.active) {
    // Best effort, like every notice: the change stands whether or not the tenant is told.
    await notifyTenant(deps, tenantId, {
      type: 'hookrelay.endpoint.enabled',
      webhook_id: id,
      occasion: `${id}:${now}`,
      data: {
        webhook_id: id,
        url: maskUrl(updated.url),
        enabled_at: now,
        ...(existing.disabled_reason ? { previously_disabled_because: existing.disabled_reason } : {}),
      },
    }).catch(() => undefined);
  }
  return jsonResponse(200, {
    webhook: webhookView(updated, secrets ? { publicKeys: publicKeysOf(secrets) } : {}),
    ...(requiredAnyway(req.body, updated) ? { message: REQUIRED_BY_TENANT } : {}),
    ...(challenged ? { challenge_result: challenged.outcome } : {}),
  });
};

export const webhookRoutes = [
  route({
    method: 'POST',
    path: '/v1/webhooks',
    auth: 'tenant',
    portal: 'manage',
    tag: 'Webhooks',
    summary: 'Create a webhook',
    description:
      'A new endpoint for your events, at most 50 per tenant. Its signing secret (whsec_...) is in this ' +
      'response only: store it to verify deliveries. A webhook that signs with ed25519 also shows its ' +
      'public key (whpk_..., in public_keys) here and whenever it is read; its private key is never shown. ' +
      'With verification "challenge" its endpoint is challenged before this answers (challenge_result says ' +
      'how it answered); it gets nothing until it has answered.',
    body: createWebhookBody,
    bodyExample: createWebhookExample,
    success: {
      status: 201,
      description: 'Created, with its secret (shown this once).',
      schema: webhookEnvelope,
      example: webhookCreatedExample,
    },
    handle: async (req, deps) => {
      const made = await createWebhook(deps, { tenantId: req.principal.tenant_id, body: req.body });
      const challenged = awaitsVerification(made.webhook)
        ? await challengeEndpoint(deps, made.webhook)
        : undefined;
      const webhook = challenged?.webhook ?? made.webhook;
      return jsonResponse(201, {
        webhook: webhookView(webhook, { secret: made.secret, publicKeys: [made.publicKey] }),
        message: [
          'Store the secret now: it is not shown again.',
          ...(requiredAnyway(req.body, webhook) ? [REQUIRED_BY_TENANT] : []),
          ...(awaitsVerification(webhook)
            ? [
                'The endpoint did not answer its ownership challenge: it gets nothing until it does ' +
                  `(POST /v1/webhooks/${webhook.id}/verify asks again).`,
              ]
            : []),
        ].join(' '),
        ...(challenged ? { challenge_result: challenged.outcome } : {}),
      });
    },
  }),
  route({
    method: 'GET',
    path: '/v1/webhooks',
    auth: 'tenant',
    portal: 'read',
    tag: 'Webhooks',
    summary: 'List webhooks',
    description:
      'All your webhooks with their delivery counters (never their secrets); the public keys of those that ' +
      'sign with ed25519.',
    success: { status: 200, description: 'Your webhooks.', schema: webhookList, example: webhookListExample },
    handle: async (req, deps) => {
      const tenantId = req.principal.tenant_id;
      const list = await deps.webhooks.list(tenantId);
      // One query for every webhook's secrets, and only when one of them shows public keys.
      const secrets = list.some(signsWithEd25519)
        ? await deps.secrets.listForTenant(tenantId, deps.clock.now())
        : new Map<string, SigningSecret[]>();
      return jsonResponse(200, {
        webhooks: list.map((w) =>
          webhookView(w, signsWithEd25519(w) ? { publicKeys: publicKeysOf(secrets.get(w.id) ?? []) } : {}),
        ),
        count: list.length,
      });
    },
  }),
  route({
    method: 'POST',
    path: '/v1/webhooks/test',
    auth: 'tenant',
    portal: 'manage',
    tag: 'Webhooks',
    summary: 'Test a webhook (webhook chosen by ?webhook_id=)',
    description: 'The same as POST /v1/webhooks/{id}/test, with the webhook named in the query.',
    query: webhookIdOnlyQuery,
    success: {
      status: 200,
      description: 'What the endpoint answered.',
      schema: testDeliveryResult,
      example: testDeliveryExample,
    },
    errors: {
      404: { code: 'not_found', message: 'No webhook with id wh_01JD6YQ2B8N5C4R7T0VXKMZ3PA.' },
      409: UNVERIFIED_EXAMPLE,
    },
    handle: testDelivery,
  }),
  route({
    method: 'GET',
    path: '/v1/webhooks/deliveries',
    auth: 'tenant',
    portal: 'read',
    tag: 'Webhooks',
    summary: 'Attempt history (webhook chosen by ?webhook_id=)',
    description: 'The same as GET /v1/webhooks/{id}/deliveries, with the webhook named in the query.',
    query: webhookIdQuery,
    success: {
      status: 200,
      description: 'A page of attempts.',
      schema: attemptList,
      example: attemptListExample,
    },
    errors: { 404: { code: 'not_found', message: 'No webhook with id wh_01JD6YQ2B8N5C4R7T0VXKMZ3PA.' } },
    handle: deliveries,
  }),
  route({
    method: 'GET',
    path: '/v1/webhooks/{id}',
    auth: 'tenant',
    portal: 'read',
    tag: 'Webhooks',
    summary: 'Read a webhook',
    description:
      'One webhook with its counters (never its secret); its public keys when it signs with ed25519.',
    success: {
      status: 200,
      description: 'The webhook.',
      schema: webhookEnvelope,
      example: webhookEnvelopeExample,
    },
    handle: async (req, deps) => {
      const webhook = await mustGet(deps, req.principal.tenant_id, req.params.id ?? '');
      const publicKeys = await publicKeysFor(deps, webhook);
      return jsonResponse(200, { webhook: webhookView(webhook, publicKeys ? { publicKeys } : {}) });
    },
  }),
  route({
    method: 'PUT',
    path: '/v1/webhooks/{id}',
    auth: 'tenant',
    portal: 'manage',
    tag: 'Webhooks',
    summary: 'Replace a webhook',
    description:
      'Sets the fields given (url required); a masked URL or header value sent back keeps the stored one. ' +
      'Turning active back on sends hookrelay.endpoint.enabled to webhooks that subscribe to it.',
    body: createWebhookBody,
    bodyExample: createWebhookExample,
    success: {
      status: 200,
      description: 'The webhook as it is now.',
      schema: webhookEnvelope,
      example: webhookEnvelopeExample,
    },
    errors: { 409: { code: 'rotation_conflict', message: ROTATION_CONFLICT } },
    handle: replace,
  }),
  route({
    method: 'PATCH',
    path: '/v1/webhooks/{id}',
    auth: 'tenant',
    portal: 'manage',
    tag: 'Webhooks',
    summary: 'Update a webhook',
    description:
      'Changes only the fields given; rate_limit: null removes the limit, filter: null the filter. With ' +
      'verification "challenge", a new URL (or turning the challenge on) makes the webhook unverified and ' +
      'challenges the endpoint at once.',
    body: patchWebhookBody,
    bodyExample: patchWebhookExample,
    success: {
      status: 200,
      description: 'The webhook as it is now.',
      schema: webhookEnvelope,
      example: { webhook: { ...webhookEnvelopeExample.webhook, ...patchWebhookExample } },
    },
    errors: { 409: { code: 'rotation_conflict', message: ROTATION_CONFLICT } },
    handle: replace,
  }),
  route({
    method: 'DELETE',
    path: '/v1/webhooks/{id}',
    auth: 'tenant',
    portal: 'manage',
    tag: 'Webhooks',
    summary: 'Delete a webhook',
    description:
      'The webhook, its secrets and its endpoint credentials go; its pending deliveries are cancelled when they come up.',
    success: { status: 204, description: 'Deleted; no body.' },
    handle: async (req, deps) => {
      const tenantId = req.principal.tenant_id;
      const id = req.params.id ?? '';
      if (!(await deps.webhooks.delete(tenantId, id))) throw new NotFoundError('webhook', id);
      await deps.secrets.delete(tenantId, id);
      await deps.credentials.delete(tenantId, id);
      return { statusCode: 204, headers: {}, body: '' };
    },
  }),
  route({
    method: 'POST',
    path: '/v1/webhooks/{id}/rotate-secret',
    auth: 'tenant',
    portal: 'manage',
    tag: 'Webhooks',
    summary: 'Rotate the signing secret',
    description:
      'Issues a new secret, shown only in this response, and a new ed25519 signing key (its public key is ' +
      'shown for a webhook that signs with ed25519). For 24 hours the previous ones sign too: every ' +
      'delivery carries one signature per valid secret or key, so receivers can switch without losing ' +
      'any. At most three secrets sign at once (the newest and two still in their overlap; a fourth ' +
      'rotation within 24 hours ends the oldest). Two rotations at the same moment: one wins, the other ' +
      'is a 409.',
    success: {
      status: 200,
      description: 'The new secret.',
      schema: rotatedSecret,
      example: rotatedSecretExample,
    },
    errors: {
      404: { code: 'not_found', message: 'No webhook with id wh_01JD6YQ2B8N5C4R7T0VXKMZ3PA.' },
      409: { code: 'rotation_conflict', message: ROTATION_CONFLICT },
    },
    handle: async (req, deps) => {
      const tenantId = req.principal.tenant_id;
      const webhook = await mustGet(deps, tenantId, req.params.id ?? '');
      const now = deps.clock.now();
      const material = newSigningSecret();
      const rotated = await deps.secrets.rotate(
        tenantId,
        webhook.id,
        material,
        now,
        deps.rotationOverlapMs,
        LIVE_SECRETS_MAX,
      );
      if (rotated === 'conflict') throw new ConflictError(ROTATION_CONFLICT, 'rotation_conflict');
      return jsonResponse(200, {
        webhook_id: webhook.id,
        secret: material.secret,
        ...(signsWithEd25519(webhook) ? { public_key: publicKeyOf(material.signing_key) } : {}),
        previous_secret_expires_at: rotated.previousExpireAt,
      });
    },
  }),
  verifyWebhookRoute,
  ...pausedKeyRoutes,
  route({
    method: 'POST',
    path: '/v1/webhooks/{id}/test',
    auth: 'tenant',
    portal: 'manage',
    tag: 'Webhooks',
    summary: 'Test a webhook',
    description:
      'Sends a signed webhook.test event to the endpoint now, synchronously, and reports its answer. It is ' +
      'not recorded as an attempt.',
    success: {
      status: 200,
      description: 'What the endpoint answered.',
      schema: testDeliveryResult,
      example: testDeliveryExample,
    },
    errors: { 409: UNVERIFIED_EXAMPLE },
    handle: testDelivery,
  }),
  route({
    method: 'GET',
    path: '/v1/webhooks/{id}/deliveries',
    auth: 'tenant',
    portal: 'read',
    tag: 'Webhooks',
    summary: 'Attempt history',
    description: "The webhook's delivery attempts, newest first, a page at a time; kept 30 days.",
    query: deliveriesQuery,
    success: {
      status: 200,
      description: 'A page of attempts.',
      schema: attemptList,
      example: attemptListExample,
    },
    handle: deliveries,
  }),
  route({
    method: 'POST',
    path: '/v1/webhooks/{id}/recover',
    auth: 'tenant',
    portal: 'manage',
    tag: 'Webhooks',
    summary: 'Recover failed deliveries',
    description:
      "Requeues this webhook's FAILED deliveries of events attempted in [since, until): each starts a fresh " +
      'retry schedule.',
    body: recoverBody,
    bodyExample: recoverExample,
    success: {
      status: 202,
      description: 'How many were requeued.',
      schema: recoverResult,
      example: recoverResultExample,
    },
    handle: async (req, deps) => {
      const tenantId = req.principal.tenant_id;
      const webhook = await mustGet(deps, tenantId, req.params.id ?? '');
      // The store compares stored UTC times: the window's ends must be the same kind of text.
      const window = instantRange(
        'request body',
        { field: 'since', value: req.body.since },
        { field: 'until', value: req.body.until ?? iso(deps.clock.now()) },
      );
      const eventIds = await deps.events.failedForWebhook(
        tenantId,
        webhook.id,
        window.after ?? '',
        window.before ?? '',
      );
      let recovered = 0;
      for (const eventId of eventIds) {
        const reopened = await deps.events.reopen(tenantId, eventId, 'FAILED', iso(deps.clock.now()), [
          webhook.id,
        ]);
        await enqueueReopened(deps, tenantId, eventId, reopened);
        recovered += reopened.length;
      }
      return jsonResponse(202, { webhook_id: webhook.id, recovered });
    },
  }),
];
