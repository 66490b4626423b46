import { signedRequest } from '@hookrelay/delivery';
import {
  ConflictError,
  iso,
  maskUrl,
  NotFoundError,
  newId,
  notifyTenant,
  type Webhook,
} from '@hookrelay/domain';
import { jsonResponse } from '@hookrelay/http';
import { generateSecret } from '@hookrelay/signing';
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
import {
  attemptList,
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
} from '../schemas.js';
import { createdRangeOf, instantRange } from '../time-range.js';
import { enqueueReopened } from '../use-cases/events.js';
import { createWebhook, type PatchWebhook, webhookFieldsOf } from '../use-cases/webhooks.js';
import { page, webhookView } from './views.js';

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
  const now = deps.clock.now();
  const secrets = await deps.secrets.get(tenantId, webhook.id, now);
  const envelope = { id: newId('msg', now), type: 'webhook.test', timestamp: iso(now), data: { test: true } };
  const result = await deps.sender.send(
    signedRequest(
      webhook.url,
      envelope,
      secrets.map((s) => s.secret),
      now,
      webhook,
    ),
  );
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

const replace = async (req: RouteRequest<PatchWebhook>, deps: Deps) => {
  const tenantId = req.principal.tenant_id;
  const id = req.params.id ?? '';
  const existing = await mustGet(deps, tenantId, id);
  const patch = webhookFieldsOf(deps, req.body, existing);
  const now = iso(deps.clock.now());
  const updated = await deps.webhooks.update(tenantId, id, patch, now);
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
  return jsonResponse(200, { webhook: webhookView(updated) });
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
      'response only: store it to verify deliveries.',
    body: createWebhookBody,
    bodyExample: createWebhookExample,
    success: {
      status: 201,
      description: 'Created, with its secret (shown this once).',
      schema: webhookEnvelope,
      example: webhookCreatedExample,
    },
    handle: async (req, deps) => {
      const { webhook, secret } = await createWebhook(deps, {
        tenantId: req.principal.tenant_id,
        body: req.body,
      });
      return jsonResponse(201, {
        webhook: webhookView(webhook, secret),
        message: 'Store the secret now: it is not shown again.',
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
    description: 'All your webhooks with their delivery counters (never their secrets).',
    success: { status: 200, description: 'Your webhooks.', schema: webhookList, example: webhookListExample },
    handle: async (req, deps) => {
      const list = await deps.webhooks.list(req.principal.tenant_id);
      return jsonResponse(200, { webhooks: list.map((w) => webhookView(w)), count: list.length });
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
    errors: { 404: { code: 'not_found', message: 'No webhook with id wh_01JD6YQ2B8N5C4R7T0VXKMZ3PA.' } },
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
    description: 'One webhook with its counters (never its secret).',
    success: {
      status: 200,
      description: 'The webhook.',
      schema: webhookEnvelope,
      example: webhookEnvelopeExample,
    },
    handle: async (req, deps) =>
      jsonResponse(200, {
        webhook: webhookView(await mustGet(deps, req.principal.tenant_id, req.params.id ?? '')),
      }),
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
    handle: replace,
  }),
  route({
    method: 'PATCH',
    path: '/v1/webhooks/{id}',
    auth: 'tenant',
    portal: 'manage',
    tag: 'Webhooks',
    summary: 'Update a webhook',
    description: 'Changes only the fields given; rate_limit: null removes the limit.',
    body: patchWebhookBody,
    bodyExample: patchWebhookExample,
    success: {
      status: 200,
      description: 'The webhook as it is now.',
      schema: webhookEnvelope,
      example: { webhook: { ...webhookEnvelopeExample.webhook, ...patchWebhookExample } },
    },
    handle: replace,
  }),
  route({
    method: 'DELETE',
    path: '/v1/webhooks/{id}',
    auth: 'tenant',
    portal: 'manage',
    tag: 'Webhooks',
    summary: 'Delete a webhook',
    description: 'The webhook and its secrets go; its pending deliveries are cancelled when they come up.',
    success: { status: 204, description: 'Deleted; no body.' },
    handle: async (req, deps) => {
      const tenantId = req.principal.tenant_id;
      const id = req.params.id ?? '';
      if (!(await deps.webhooks.delete(tenantId, id))) throw new NotFoundError('webhook', id);
      await deps.secrets.delete(tenantId, id);
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
      'Issues a new secret, shown only in this response. For 24 hours the previous one signs too: every ' +
      'delivery carries one signature per valid secret, so receivers can switch without losing any. At ' +
      'most three secrets sign at once (the newest and two still in their overlap; a fourth rotation ' +
      'within 24 hours ends the oldest). Two rotations at the same moment: one wins, the other is a 409.',
    success: {
      status: 200,
      description: 'The new secret.',
      schema: rotatedSecret,
      example: rotatedSecretExample,
    },
    errors: {
      404: { code: 'not_found', message: 'No webhook with id wh_01JD6YQ2B8N5C4R7T0VXKMZ3PA.' },
      409: {
        code: 'rotation_conflict',
        message:
          'Another rotation of this secret happened at the same moment; its secret is the current one. Rotate again if you need a new one.',
      },
    },
    handle: async (req, deps) => {
      const tenantId = req.principal.tenant_id;
      const webhook = await mustGet(deps, tenantId, req.params.id ?? '');
      const now = deps.clock.now();
      const secret = generateSecret();
      const rotated = await deps.secrets.rotate(
        tenantId,
        webhook.id,
        secret,
        now,
        deps.rotationOverlapMs,
        LIVE_SECRETS_MAX,
      );
      if (rotated === 'conflict') {
        throw new ConflictError(
          'Another rotation of this secret happened at the same moment; its secret is the current one. Rotate again if you need a new one.',
          'rotation_conflict',
        );
      }
      return jsonResponse(200, {
        webhook_id: webhook.id,
        secret,
        previous_secret_expires_at: rotated.previousExpireAt,
      });
    },
  }),
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
