import { jsonResponse } from '@hookrelay/http';
import { statsExample } from '../examples/events.js';
import { route } from '../route-spec.js';
import { statsQuery, statsView } from '../schemas/stats.js';
import { tenantStats } from '../use-cases/stats.js';

/** `GET /v1/stats`: the tenant's delivery figures over a window. */
export const statsRoute = route({
  method: 'GET',
  path: '/v1/stats',
  auth: 'tenant',
  portal: 'read',
  tag: 'Events',
  summary: 'Delivery statistics',
  description:
    'Counts by status, success rate, deliveries ended and attempt latency over a window (default 24h), ' +
    'complete however many attempts it holds; the same per bucket over time, and the endpoints failing now.',
  query: statsQuery,
  success: { status: 200, description: 'The statistics.', schema: statsView, example: statsExample },
  errors: { 404: { code: 'not_found', message: 'No webhook with id wh_01JD6YQ2B8N5C4R7T0VXKMZ3PA.' } },
  handle: async (req, deps) =>
    jsonResponse(
      200,
      await tenantStats(deps, {
        tenantId: req.principal.tenant_id,
        window: String(req.query.window ?? '24h'),
        ...(typeof req.query.webhook_id === 'string' ? { webhookId: req.query.webhook_id } : {}),
      }),
    ),
});
