import type { Fixtures } from './fixtures.js';
import type { FuzzRequest } from './requests.js';

/**
 * Requests this test found breaking the contract, each kept as an example of its operation:
 * fast-check runs them first, on both front doors, before the random ones.
 */
export const FOUND: readonly {
  readonly operation: string;
  readonly what: string;
  readonly request: (fixtures: Fixtures) => FuzzRequest;
}[] = [
  {
    operation: 'GET /v1/events',
    what: 'a query parameter named constructor: 500 behind an HTTP API, 502 from the local REST gateway',
    request: () => ({ caller: 'tenant', method: 'GET', path: '/v1/events?constructor=0', headers: {} }),
  },
  {
    operation: 'POST /v1/webhooks',
    what: 'a query parameter named __proto__, the same',
    request: (f) => ({
      caller: 'tenant',
      method: 'POST',
      path: '/v1/webhooks?__proto__=x',
      body: JSON.stringify({ url: `${f.receiverUrl}/fuzz` }),
      headers: {},
    }),
  },
  {
    operation: 'GET /v1/webhooks/{id}',
    what: "a path that does not decode: the HTTP API's own 400, which the document did not give",
    request: () => ({ caller: 'tenant', method: 'GET', path: '/v1/webhooks/%C0%AF', headers: {} }),
  },
  {
    operation: 'DELETE /v1/webhooks/{id}',
    what: 'a stray body over 256 KB on a route that takes none: a 413 the document did not give',
    request: (f) => ({
      caller: 'tenant',
      method: 'DELETE',
      path: `/v1/webhooks/${f.spare.webhook[0]}`,
      body: JSON.stringify({ x: 'y'.repeat(300_000) }),
      headers: {},
    }),
  },
  {
    operation: 'GET /portal/{proxy}',
    what: "a deep link under the portal's greedy path, read by the contract check as no route",
    request: () => ({ caller: 'none', method: 'GET', path: '/portal/deliveries/evt_1', headers: {} }),
  },
  {
    operation: 'GET /v1/webhooks/{id}/deliveries',
    what: "a cursor of a source's requests on a webhook's delivery history: 500",
    request: (f) => ({
      caller: 'tenant',
      method: 'GET',
      path: `/v1/webhooks/${f.ids.webhook[0]}/deliveries?cursor=${f.cursors.requests}`,
      headers: {},
    }),
  },
  {
    operation: 'GET /v1/webhooks/deliveries',
    what: 'the same on the old spelling of that route',
    request: (f) => ({
      caller: 'portal-read',
      method: 'GET',
      path: `/v1/webhooks/deliveries?webhook_id=${f.ids.webhook[0]}&cursor=${f.cursors.requests}`,
      headers: {},
    }),
  },
  {
    operation: 'POST /v1/events/{id}/deliveries/{webhook_id}/resend',
    what: 'a resend to a disabled webhook: a 409 the document did not give',
    request: (f) => ({
      caller: 'tenant',
      method: 'POST',
      path: `/v1/events/${f.ids.event[0]}/deliveries/${f.disabledWebhook}/resend`,
      headers: {},
    }),
  },
  {
    operation: 'POST /v1/webhooks/{id}/recover',
    what: 'a window whose ends sort one way as text and the other as instants: 500',
    request: (f) => ({
      caller: 'tenant',
      method: 'POST',
      path: `/v1/webhooks/${f.ids.webhook[0]}/recover`,
      body: JSON.stringify({ since: '2026-01-01T10:00:00+09:00', until: '2026-01-01T05:00:00Z' }),
      headers: {},
    }),
  },
];
