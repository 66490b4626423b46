import { signedRequest } from '@hookrelay/delivery';
import {
  iso,
  maskUrl,
  NotFoundError,
  newId,
  notifyTenant,
  ValidationError,
  type Webhook,
} from '@hookrelay/domain';
import { jsonResponse } from '@hookrelay/http';
import { generateSecret } from '@hookrelay/signing';
import type { FromSchema } from 'json-schema-to-ts';
import type { Deps } from '../deps.js';
import { type RouteRequest, route } from '../route-spec.js';
import {
  anyObject,
  attemptList,
  createWebhookBody,
  deliveriesQuery,
  patchWebhookBody,
  recoverBody,
  webhookEnvelope,
  webhookIdQuery,
  webhookList,
} from '../schemas.js';
import { createdRangeOf } from '../time-range.js';
import { enqueueReopened } from '../use-cases/events.js';
import { createWebhook, type PatchWebhook, webhookFieldsOf } from '../use-cases/webhooks.js';
import { webhookView } from './views.js';

const mustGet = async (deps: Deps, tenantId: string, id: string): Promise<Webhook> => {
  const webhook = await deps.webhooks.get(tenantId, id);
  if (!webhook) throw new NotFoundError('webhook', id);
  return webhook;
};

/** The `{id}` of the path, or `?webhookId=` of the older query form. */
const webhookIdOf = (req: RouteRequest<unknown, { webhookId?: string }>): string =>
  req.params.id ?? req.query.webhookId ?? '';

const testDelivery = async (req: RouteRequest<unknown, { webhookId?: string }>, deps: Deps) => {
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

type DeliveriesQuery = FromSchema<typeof deliveriesQuery> & { webhookId?: string };

const deliveries = async (req: RouteRequest<unknown, DeliveriesQuery>, deps: Deps) => {
  const tenantId = req.principal.tenant_id;
  const webhook = await mustGet(deps, tenantId, webhookIdOf(req));
  const page = await deps.events.attemptsByWebhook(
    tenantId,
    webhook.id,
    Number(req.query.limit ?? 50),
    req.query.cursor,
    createdRangeOf(req.query),
  );
  return jsonResponse(200, { deliveries: page.attempts, next_cursor: page.next_cursor });
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
    tag: 'Webhooks',
    summary: 'Create a webhook endpoint; its signing secret is shown only in this response',
    body: createWebhookBody,
    success: { status: 201, schema: webhookEnvelope },
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
    tag: 'Webhooks',
    summary: 'List webhooks with their delivery counters',
    success: { status: 200, schema: webhookList },
    handle: async (req, deps) => {
      const list = await deps.webhooks.list(req.principal.tenant_id);
      return jsonResponse(200, { webhooks: list.map((w) => webhookView(w)), count: list.length });
    },
  }),
  route({
    method: 'POST',
    path: '/v1/webhooks/test',
    auth: 'tenant',
    tag: 'Webhooks',
    summary: 'Send a signed test delivery now (webhook chosen by ?webhookId=)',
    query: webhookIdQuery,
    success: { status: 200, schema: anyObject },
    handle: testDelivery,
  }),
  route({
    method: 'GET',
    path: '/v1/webhooks/deliveries',
    auth: 'tenant',
    tag: 'Webhooks',
    summary: "A webhook's attempt history, newest first (webhook chosen by ?webhookId=)",
    query: webhookIdQuery,
    success: { status: 200, schema: attemptList },
    handle: deliveries,
  }),
  route({
    method: 'GET',
    path: '/v1/webhooks/{id}',
    auth: 'tenant',
    tag: 'Webhooks',
    summary: 'Read a webhook',
    success: { status: 200, schema: webhookEnvelope },
    handle: async (req, deps) =>
      jsonResponse(200, {
        webhook: webhookView(await mustGet(deps, req.principal.tenant_id, req.params.id ?? '')),
      }),
  }),
  route({
    method: 'PUT',
    path: '/v1/webhooks/{id}',
    auth: 'tenant',
    tag: 'Webhooks',
    summary: 'Replace a webhook',
    body: createWebhookBody,
    success: { status: 200, schema: webhookEnvelope },
    handle: replace,
  }),
  route({
    method: 'PATCH',
    path: '/v1/webhooks/{id}',
    auth: 'tenant',
    tag: 'Webhooks',
    summary: 'Update some of a webhook',
    body: patchWebhookBody,
    success: { status: 200, schema: webhookEnvelope },
    handle: replace,
  }),
  route({
    method: 'DELETE',
    path: '/v1/webhooks/{id}',
    auth: 'tenant',
    tag: 'Webhooks',
    summary: 'Delete a webhook; its pending deliveries are cancelled when they come up',
    success: { status: 204 },
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
    tag: 'Webhooks',
    summary: 'Issue a new signing secret; the previous one keeps signing for 24 hours',
    success: { status: 200, schema: anyObject },
    handle: async (req, deps) => {
      const tenantId = req.principal.tenant_id;
      const webhook = await mustGet(deps, tenantId, req.params.id ?? '');
      const now = deps.clock.now();
      const current = await deps.secrets.get(tenantId, webhook.id, now);
      const expiresAt = iso(now + deps.rotationOverlapMs);
      const secret = generateSecret();
      const previous = current.map((s) => ({ secret: s.secret, expires_at: s.expires_at ?? expiresAt }));
      await deps.secrets.put(tenantId, webhook.id, [{ secret }, ...previous]);
      return jsonResponse(200, { webhook_id: webhook.id, secret, previous_secret_expires_at: expiresAt });
    },
  }),
  route({
    method: 'POST',
    path: '/v1/webhooks/{id}/test',
    auth: 'tenant',
    tag: 'Webhooks',
    summary: 'Send a signed test delivery now and report the answer',
    success: { status: 200, schema: anyObject },
    handle: testDelivery,
  }),
  route({
    method: 'GET',
    path: '/v1/webhooks/{id}/deliveries',
    auth: 'tenant',
    tag: 'Webhooks',
    summary: "A webhook's attempt history, newest first",
    query: deliveriesQuery,
    success: { status: 200, schema: attemptList },
    handle: deliveries,
  }),
  route({
    method: 'POST',
    path: '/v1/webhooks/{id}/recover',
    auth: 'tenant',
    tag: 'Webhooks',
    summary: "Requeue this webhook's FAILED deliveries of events attempted in [since, until)",
    body: recoverBody,
    success: { status: 202, schema: anyObject },
    handle: async (req, deps) => {
      const tenantId = req.principal.tenant_id;
      const webhook = await mustGet(deps, tenantId, req.params.id ?? '');
      const { body } = req;
      const until = body.until ?? iso(deps.clock.now());
      if (Date.parse(body.since) >= Date.parse(until)) {
        throw new ValidationError('since must be before until.', [
          { field: 'since', message: 'must be before until' },
        ]);
      }
      const eventIds = await deps.events.failedForWebhook(tenantId, webhook.id, body.since, until);
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
