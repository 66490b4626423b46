import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
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
let admin: Client;

beforeAll(async () => {
  platform = await startTestPlatform();
  // /gone answers 410 Gone; every other path takes the delivery.
  receiver = await startReceiver((req) => (pathOf(req) === '/gone' ? { status: 410 } : { status: 200 }));
  admin = client(platform.apiUrl, platform.adminKey);
});

afterAll(async () => {
  await receiver?.close();
  await platform?.stop();
});

const pathOf = (req: ReceivedRequest): string => String(req.headers['x-path'] ?? '');
const at = (path: string) => receiver.requests.filter((r) => pathOf(r) === path);

/** A tenant without a default webhook. */
const newTenant = async (id: string): Promise<Client> => {
  const created = await admin.request('POST', '/v1/tenants', { tenant_id: id });
  expect(created.status).toBe(201);
  return client(platform.apiUrl, created.body.api_key);
};

/**
 * A webhook on the loopback receiver; the path travels as a custom header, which is how the
 * receiver tells the endpoints apart (and shows custom headers arrive).
 */
const webhookAt = async (api: Client, path: string, fields: Record<string, unknown> = {}) => {
  const created = await api.request('POST', '/v1/webhooks', {
    url: `${receiver.url}${path}`,
    ...fields,
    headers: { 'X-Path': path, ...((fields.headers as Record<string, string>) ?? {}) },
  });
  expect(created.status).toBe(201);
  return { id: created.body.webhook.id as string, secret: created.body.webhook.secret as string };
};

describe('endpoint options, end to end', () => {
  it('a receiver verifies X-Hookrelay-Signature with plain HMAC, gets the custom headers, and a 2/s limit spreads deliveries', async () => {
    const api = await newTenant('limited');
    const hook = await webhookAt(api, '/limited', {
      signature_schemes: ['body-hmac'],
      headers: { Authorization: 'Bearer receiver-token-123456' },
      rate_limit: 2,
    });
    const batch = await api.request('POST', '/v1/events/batch', {
      events: Array.from({ length: 8 }, (_, i) => ({ type: 'order.created', data: { i } })),
    });
    expect(batch.status).toBe(201);
    const ids = batch.body.results.map((r: { event_id: string }) => r.event_id) as string[];

    const events = await eventually(async () => {
      const all = await Promise.all(ids.map((id) => api.request('GET', `/v1/events/${id}`)));
      return all.every((e) => e.body.status === 'DELIVERED') ? all.map((e) => e.body) : undefined;
    }, 30_000);
    // Waiting for the limit is neither a failure nor an attempt.
    for (const event of events) {
      expect(event.deliveries[0].attempt_count).toBe(1);
      expect(event.deliveries[0].attempts).toHaveLength(1);
    }

    const received = at('/limited');
    expect(received).toHaveLength(8);
    for (const req of received) {
      // What a receiver does with nothing but node:crypto: HMAC-SHA256 of the raw body, keyed with the secret.
      const expected = createHmac('sha256', hook.secret).update(req.body).digest('hex');
      expect(req.headers['x-hookrelay-signature']).toBe(expected);
      expect(req.headers.authorization).toBe('Bearer receiver-token-123456');
      expect(req.headers['webhook-signature']).toBeUndefined();
      expect(req.headers['stripe-signature']).toBeUndefined();
    }
    // At most 2 per second: 8 deliveries take at least four distinct seconds (over 2 s from first
    // to last), and no 1-second span holds more than two seconds' worth (4).
    const times = received.map((r) => r.at).sort((a, b) => a - b);
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(1_950);
    for (let i = 0; i + 4 < times.length; i++) {
      expect((times[i + 4] ?? 0) - (times[i] ?? 0)).toBeGreaterThanOrEqual(950);
    }
  });

  it('a 410 tells the subscribed webhook, signed, which endpoint was disabled and why; re-enabling tells it too', async () => {
    const api = await newTenant('watched');
    const gone = await webhookAt(api, '/gone');
    const ops = await webhookAt(api, '/ops', {
      events: [
        'hookrelay.endpoint.disabled',
        'hookrelay.endpoint.enabled',
        'hookrelay.delivery.exhausted',
        'hookrelay.endpoint.failing',
      ],
    });
    await webhookAt(api, '/everything');

    const sent = await api.request('POST', '/v1/events', { type: 'order.created', data: { n: 1 } });
    expect(sent.body.deliveries).toBe(2);

    const notices = await eventually(async () => {
      const got = at('/ops').map((r) => JSON.parse(r.body) as { type: string });
      return got.length >= 3 ? got : undefined;
    });
    expect(notices.map((n) => n.type).sort()).toEqual([
      'hookrelay.delivery.exhausted',
      'hookrelay.endpoint.disabled',
      'hookrelay.endpoint.failing',
    ]);
    const disabledReq = at('/ops').find((r) => r.body.includes('"hookrelay.endpoint.disabled"'));
    if (!disabledReq) throw new Error('no disabled notice');
    // Signed like every delivery: the Standard Webhooks library verifies it with the webhook's secret.
    const verified = new Webhook(ops.secret).verify(disabledReq.body, {
      'webhook-id': String(disabledReq.headers['webhook-id']),
      'webhook-timestamp': String(disabledReq.headers['webhook-timestamp']),
      'webhook-signature': String(disabledReq.headers['webhook-signature']),
    }) as { type: string; data: Record<string, unknown> };
    expect(verified.data).toMatchObject({
      webhook_id: gone.id,
      url: `${receiver.url}/gone`,
      reason: 'the endpoint answered 410 Gone',
      last_status_code: 410,
    });
    const exhausted = notices.find((n) => n.type === 'hookrelay.delivery.exhausted') as unknown as {
      data: Record<string, unknown>;
    };
    // The attempts the notice reports are the delivery's recorded ones: one 410, after a main-lane
    // attempt given up on a slow machine (recorded as abandoned) when there was one.
    const event = await api.request('GET', `/v1/events/${sent.body.event_id}`);
    const delivery = event.body.deliveries.find((d: { webhook_id: string }) => d.webhook_id === gone.id);
    expect(delivery.attempts.filter((a: { status_code?: number }) => a.status_code === 410)).toHaveLength(1);
    expect(exhausted.data).toMatchObject({
      event_id: sent.body.event_id,
      webhook_id: gone.id,
      attempts: delivery.attempt_count,
    });

    // A webhook with no events list gets the tenant's events, never the platform's.
    expect(at('/everything').map((r) => JSON.parse(r.body).type)).toEqual(['order.created']);
    expect(at('/ops').some((r) => JSON.parse(r.body).type === 'order.created')).toBe(false);

    // The notices are events of the tenant's, delivered and recorded like any other.
    const listed = await api.request('GET', '/v1/events?type=hookrelay.endpoint.disabled');
    expect(listed.body.events).toHaveLength(1);
    await eventually(async () => {
      const got = await api.request('GET', `/v1/events/${listed.body.events[0].event_id}`);
      return got.body.status === 'DELIVERED' ? true : undefined;
    });

    const enabled = await api.request('PATCH', `/v1/webhooks/${gone.id}`, { active: true });
    expect(enabled.body.webhook.active).toBe(true);
    const enabledNotice = await eventually(async () =>
      at('/ops').find((r) => r.body.includes('"hookrelay.endpoint.enabled"')),
    );
    expect(JSON.parse(enabledNotice.body).data).toMatchObject({
      webhook_id: gone.id,
      previously_disabled_because: 'the endpoint answered 410 Gone',
    });
  });
});
