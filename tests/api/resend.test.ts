import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type Client,
  client,
  eventually,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';
import { type ReceivedRequest, startReceiver, type TestReceiver } from '../support/receiver.js';

let platform: TestPlatform;
let receiver: TestReceiver;
let api: Client;
let other: Client;
let okId: string;
let flakyId: string;
/** Events whose first request the flaky endpoint refuses. */
const refusedOnce = new Set<string>();

beforeAll(async () => {
  // The second attempt waits an hour: a resend is the only way it happens sooner.
  platform = await startTestPlatform({ retrySchedule: '0,1h' });
  receiver = await startReceiver((req) => {
    if (req.headers['x-path'] !== 'flaky') return { status: 200 };
    const id = String(req.headers['webhook-id']);
    if (refusedOnce.has(id)) return { status: 200 };
    refusedOnce.add(id);
    return { status: 503 };
  });
  const admin = client(platform.apiUrl, platform.adminKey);
  const created = await admin.request('POST', '/v1/tenants', { tenant_id: 'resender' });
  const stranger = await admin.request('POST', '/v1/tenants', { tenant_id: 'stranger' });
  api = client(platform.apiUrl, created.body.api_key);
  other = client(platform.apiUrl, stranger.body.api_key);
  okId = (await api.request('POST', '/v1/webhooks', { url: `${receiver.url}/ok`, events: ['ok.created'] }))
    .body.webhook.id;
  flakyId = (
    await api.request('POST', '/v1/webhooks', {
      url: `${receiver.url}/flaky`,
      events: ['flaky.thing'],
      headers: { 'X-Path': 'flaky' },
    })
  ).body.webhook.id;
});

afterAll(async () => {
  await receiver?.close();
  await platform?.stop();
});

const requestsFor = (eventId: string): ReceivedRequest[] =>
  receiver.requests.filter((r) => r.headers['webhook-id'] === eventId);

const deliveryOf = async (eventId: string, webhookId: string) =>
  (await api.request('GET', `/v1/events/${eventId}`)).body.deliveries.find(
    (d: { webhook_id: string }) => d.webhook_id === webhookId,
  );

describe('POST /v1/events/{id}/deliveries/{webhook_id}/resend', () => {
  it('sends a DELIVERED event again, now, recorded as one more attempt with the same webhook-id', async () => {
    const sent = await api.request('POST', '/v1/events', { type: 'ok.created', data: { n: 1 } });
    const id = sent.body.event_id as string;
    await eventually(async () => ((await deliveryOf(id, okId))?.status === 'DELIVERED' ? true : undefined));
    const resent = await api.request('POST', `/v1/events/${id}/deliveries/${okId}/resend`);
    expect(resent.status).toBe(202);
    expect(resent.body).toMatchObject({ event_id: id, webhook_id: okId, attempt: 2 });
    await eventually(async () => (requestsFor(id).length === 2 ? true : undefined));
    const [first, second] = requestsFor(id);
    expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    expect(second?.body).toBe(first?.body);
    const delivery = await eventually(async () => {
      const d = await deliveryOf(id, okId);
      return d?.status === 'DELIVERED' && d.attempts.length === 2 ? d : undefined;
    });
    expect(delivery.attempt_count).toBe(2);
    expect(delivery.attempts.map((a: { attempt: number }) => a.attempt)).toEqual([1, 2]);
    expect((await api.request('GET', `/v1/events/${id}`)).body.status).toBe('DELIVERED');
    const history = await api.request('GET', `/v1/webhooks/${okId}/deliveries?limit=10`);
    expect(history.body.deliveries.filter((a: { event_id: string }) => a.event_id === id)).toHaveLength(2);
  });

  it('twenty resends at once make one attempt: as many requests at the endpoint as attempts recorded', async () => {
    const sent = await api.request('POST', '/v1/events', { type: 'ok.created', data: { n: 20 } });
    const id = sent.body.event_id as string;
    await eventually(async () => ((await deliveryOf(id, okId))?.status === 'DELIVERED' ? true : undefined));
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => api.request('POST', `/v1/events/${id}/deliveries/${okId}/resend`)),
    );
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 202));
    // Resends that came in while attempt 2 was still to be made share it; one that came after it
    // was made (a slow machine spreads the twenty out) asks for the next. Either way each attempt
    // asked for is one request.
    const asked = [...new Set(replies.map((r) => r.body.attempt as number))].sort();
    expect(asked[0]).toBe(2);
    expect(asked).toEqual(asked.map((_, i) => 2 + i));
    const last = 1 + asked.length;
    const delivery = await eventually(async () => {
      const d = await deliveryOf(id, okId);
      return d?.status === 'DELIVERED' && d.attempt_count === last ? d : undefined;
    });
    // Long enough for any duplicate message to have been taken and sent.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(requestsFor(id)).toHaveLength(last);
    expect(delivery.attempts.map((a: { attempt: number }) => a.attempt)).toEqual(
      Array.from({ length: last }, (_, i) => i + 1),
    );
    // Once that attempt is made, a resend asks for the next one.
    const again = await api.request('POST', `/v1/events/${id}/deliveries/${okId}/resend`);
    expect([again.status, again.body.attempt]).toEqual([202, last + 1]);
    await eventually(async () => (requestsFor(id).length === last + 1 ? true : undefined));
  });

  it('does not let a PENDING delivery wait for its next slot', async () => {
    const sent = await api.request('POST', '/v1/events', { type: 'flaky.thing', data: {} });
    const id = sent.body.event_id as string;
    const waiting = await eventually(async () => {
      const d = await deliveryOf(id, flakyId);
      return d?.attempt_count === 1 ? d : undefined;
    });
    expect(waiting.status).toBe('PENDING');
    expect(Date.parse(waiting.next_attempt_at)).toBeGreaterThan(Date.now() + 30 * 60_000);
    const resent = await api.request('POST', `/v1/events/${id}/deliveries/${flakyId}/resend`);
    expect(resent.status).toBe(202);
    const done = await eventually(async () => {
      const d = await deliveryOf(id, flakyId);
      return d?.status === 'DELIVERED' ? d : undefined;
    });
    expect(done.attempt_count).toBe(2);
    expect(done.attempts.map((a: { status_code: number }) => a.status_code)).toEqual([503, 200]);
    const [first, second] = requestsFor(id);
    expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
  });

  it('answers 404 for an unknown event, a webhook the event was not for, and another tenant', async () => {
    const sent = await api.request('POST', '/v1/events', { type: 'ok.created', data: {} });
    const id = sent.body.event_id as string;
    expect((await api.request('POST', `/v1/events/evt_nope/deliveries/${okId}/resend`)).status).toBe(404);
    const notFor = await api.request('POST', `/v1/events/${id}/deliveries/${flakyId}/resend`);
    expect(notFor.status).toBe(404);
    expect(notFor.body.error.message).toMatch(/delivery/);
    expect((await other.request('POST', `/v1/events/${id}/deliveries/${okId}/resend`)).status).toBe(404);
  });

  it('answers a documented 409 for a disabled webhook (found by the contract fuzz test)', async () => {
    const off = (
      await api.request('POST', '/v1/webhooks', { url: `${receiver.url}/off`, events: ['off.thing'] })
    ).body.webhook.id as string;
    const sent = await api.request('POST', '/v1/events', { type: 'off.thing', data: {} });
    expect((await api.request('PATCH', `/v1/webhooks/${off}`, { active: false })).status).toBe(200);
    const refused = await api.request('POST', `/v1/events/${sent.body.event_id}/deliveries/${off}/resend`);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'webhook_disabled']);
  });
});
