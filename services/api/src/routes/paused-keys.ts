import { NotFoundError } from '@hookrelay/domain';
import { jsonResponse } from '@hookrelay/http';
import type { Deps } from '../deps.js';
import { route } from '../route-spec.js';
import { pausedKeyList, resumedKey, resumeKeyBody } from '../schemas/webhooks.js';

const WEBHOOK_ID = 'wh_01JD6YQ2B8N5C4R7T0VXKMZ3PA';
const PAUSED_EXAMPLE = {
  ordering_key: 'customer-42',
  event_id: 'evt_01JD6YQ2B8N5C4R7T0VXKMZ3PB',
  paused_at: '2026-12-06T10:00:00.000Z',
};

const webhookOf = async (deps: Deps, tenantId: string, id: string) => {
  const webhook = await deps.webhooks.get(tenantId, id);
  if (!webhook) throw new NotFoundError('webhook', id);
  return webhook;
};

/** At most this many paused keys are listed. */
const MAX_LISTED = 100;

/**
 * An ordered webhook's keys that stopped (`on_exhausted: "pause"`): listed, and resumed one at a
 * time. Resuming releases the key's held messages at once; its line goes on from the delivery
 * after the exhausted one.
 */
export const pausedKeyRoutes = [
  route({
    method: 'GET',
    path: '/v1/webhooks/{id}/paused-keys',
    auth: 'tenant',
    portal: 'read',
    tag: 'Webhooks',
    summary: 'List paused ordering keys',
    description:
      'For a webhook with ordering "per_key" and on_exhausted "pause": the keys whose line stopped when one of ' +
      `their deliveries was exhausted (FAILED), with that delivery's event; at most ${MAX_LISTED}. Their later ` +
      'deliveries stay PENDING, unattempted, until the key is resumed.',
    success: {
      status: 200,
      description: 'The paused keys.',
      schema: pausedKeyList,
      example: { webhook_id: WEBHOOK_ID, paused_keys: [PAUSED_EXAMPLE], count: 1 },
    },
    errors: { 404: { code: 'not_found', message: `No webhook with id ${WEBHOOK_ID}.` } },
    handle: async (req, deps) => {
      const tenantId = req.principal.tenant_id;
      const webhook = await webhookOf(deps, tenantId, req.params.id ?? '');
      const paused = (await deps.orderedLine?.pauses.list(tenantId, webhook.id, MAX_LISTED)) ?? [];
      return jsonResponse(200, { webhook_id: webhook.id, paused_keys: paused, count: paused.length });
    },
  }),
  route({
    method: 'POST',
    path: '/v1/webhooks/{id}/paused-keys/resume',
    auth: 'tenant',
    portal: 'manage',
    tag: 'Webhooks',
    summary: 'Resume a paused ordering key',
    description:
      "Ends a key's pause: its held deliveries go on at once, in order, from the one after the exhausted " +
      'delivery (which stays FAILED; retry its event to send it again, outside the line). 404 when the key ' +
      'is not paused.',
    body: resumeKeyBody,
    bodyExample: { ordering_key: 'customer-42' },
    success: {
      status: 200,
      description: 'The key goes on.',
      schema: resumedKey,
      example: { webhook_id: WEBHOOK_ID, ordering_key: 'customer-42', resumed: true },
    },
    errors: { 404: { code: 'not_found', message: `No webhook with id ${WEBHOOK_ID}.` } },
    handle: async (req, deps) => {
      const tenantId = req.principal.tenant_id;
      const webhook = await webhookOf(deps, tenantId, req.params.id ?? '');
      const key = req.body.ordering_key;
      const ended = await deps.orderedLine?.pauses.resume(tenantId, webhook.id, key);
      if (!ended) throw new NotFoundError('paused ordering key', key);
      // Best effort: a message not released now comes back when its hold ends, and goes on.
      await deps.orderedLine?.release(ended.held).catch(() => undefined);
      return jsonResponse(200, { webhook_id: webhook.id, ordering_key: key, resumed: true });
    },
  }),
];
