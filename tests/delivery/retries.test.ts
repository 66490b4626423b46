import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { type Responder, receiverPool } from '../support/receiver.js';

let platform: TestPlatform;
const receivers = receiverPool();

beforeAll(async () => {
  platform = await startTestPlatform({ retrySchedule: '0,300ms,300ms', deliveryTimeoutMs: 1_000 });
});

afterAll(async () => {
  await receivers.closeAll();
  await platform?.stop();
});

const tenantWith = async (name: string, respond: Responder) => {
  const receiver = await receivers.start(respond);
  const admin = client(platform.apiUrl, platform.adminKey);
  const created = await admin.request('POST', '/v1/tenants', {
    tenant_id: name,
    target_url: `${receiver.url}/in`,
  });
  expect(created.status).toBe(201);
  return {
    receiver,
    api: client(platform.apiUrl, created.body.api_key),
    webhookId: created.body.webhook.id as string,
  };
};

const settled = async (api: ReturnType<typeof client>, eventId: string) =>
  eventually(async () => {
    const got = await api.request('GET', `/v1/events/${eventId}`);
    return got.body.status !== 'PENDING' ? got.body : undefined;
  });

describe('retries', () => {
  it('500, 500, 200 is DELIVERED on the third attempt with three attempts and one webhook-id', async () => {
    const { receiver, api } = await tenantWith('flaky', (_req, n) => ({ status: n < 3 ? 500 : 200 }));
    const sent = await api.request('POST', '/v1/events', { type: 'x.y', data: { a: 1 } });
    const event = await settled(api, sent.body.event_id);
    expect(event.status).toBe('DELIVERED');
    const attempts = event.deliveries[0].attempts;
    expect(attempts.map((a: { status_code: number }) => a.status_code)).toEqual([500, 500, 200]);
    expect(receiver.requests).toHaveLength(3);
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id']))).toEqual(
      new Set([sent.body.event_id]),
    );
  });

  it('always 500 ends FAILED after the schedule, each attempt shown', async () => {
    const { receiver, api, webhookId } = await tenantWith('dead', () => ({ status: 500, body: 'boom' }));
    const sent = await api.request('POST', '/v1/events', { type: 'x.y', data: {} });
    const event = await settled(api, sent.body.event_id);
    expect(event.status).toBe('FAILED');
    expect(event.deliveries[0].attempts).toHaveLength(3);
    expect(event.deliveries[0].attempts[2]).toMatchObject({
      status_code: 500,
      response: 'boom',
      outcome: 'failure',
    });
    expect(receiver.requests).toHaveLength(3);
    // The webhook's counters are written once its batch ends, after the event settles.
    const failures = await eventually(async () => {
      const hooks = await api.request('GET', `/v1/webhooks/${webhookId}`);
      const count = hooks.body.webhook.delivery_failure_count as number;
      return count >= 3 ? count : undefined;
    }, 10_000);
    expect(failures).toBe(3);
    const history = await api.request('GET', `/v1/webhooks/${webhookId}/deliveries`);
    expect(history.body.deliveries).toHaveLength(3);
    expect(history.body.deliveries[0].attempt).toBe(3);

    // Retry sends a fresh schedule: only a FAILED event may be retried.
    const retried = await api.request('POST', `/v1/events/${sent.body.event_id}/retry`);
    expect(retried.status).toBe(202);
    const again = await settled(api, sent.body.event_id);
    expect(again.status).toBe('FAILED');
    expect(again.deliveries[0].attempts).toHaveLength(6);
  });

  it('records a hang as timeout, a reset as reset and a 301 as a failed redirect', async () => {
    const cases: [string, Responder, string][] = [
      ['hangs', () => 'hang', 'timeout'],
      ['resets', () => 'reset', 'reset'],
      ['moves', () => ({ status: 301, headers: { location: 'http://127.0.0.1:1/' } }), 'redirect'],
    ];
    for (const [name, respond, kind] of cases) {
      const { api } = await tenantWith(name, respond);
      const sent = await api.request('POST', '/v1/events', { type: 'x.y', data: {} });
      const event = await settled(api, sent.body.event_id);
      expect(event.status).toBe('FAILED');
      expect(event.deliveries[0].attempts.map((a: { error_kind: string }) => a.error_kind)).toEqual([
        kind,
        kind,
        kind,
      ]);
    }
  });

  it('a 410 disables the webhook and stops retrying', async () => {
    const { receiver, api, webhookId } = await tenantWith('gone', () => ({ status: 410 }));
    const sent = await api.request('POST', '/v1/events', { type: 'x.y', data: {} });
    const event = await settled(api, sent.body.event_id);
    expect(event.status).toBe('FAILED');
    expect(receiver.requests).toHaveLength(1);
    const hook = await api.request('GET', `/v1/webhooks/${webhookId}`);
    expect(hook.body.webhook.active).toBe(false);
    expect(hook.body.webhook.disabled_reason).toMatch(/410/);
  });

  it('honours Retry-After on a 429', async () => {
    const { receiver, api } = await tenantWith('busy', (_req, n) =>
      n === 1 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 },
    );
    const sent = await api.request('POST', '/v1/events', { type: 'x.y', data: {} });
    const event = await settled(api, sent.body.event_id);
    expect(event.status).toBe('DELIVERED');
    const [first, second] = receiver.requests;
    if (!first || !second) throw new Error('expected two requests');
    // The schedule alone would wait ~300 ms; Retry-After asked for 2 s.
    expect(second.at - first.at).toBeGreaterThanOrEqual(1_900);
  });

  it('a dead endpoint does not hold up a healthy one on the same tenant', async () => {
    const { api, receiver: dead } = await tenantWith('mixed', () => 'hang');
    const healthy = await receivers.start();
    await api.request('POST', '/v1/webhooks', { url: `${healthy.url}/ok` });
    const sent = await Promise.all(
      Array.from({ length: 5 }, (_, i) => api.request('POST', '/v1/events', { type: 'x.y', data: { i } })),
    );
    expect(sent.every((s) => s.status === 201)).toBe(true);
    await eventually(async () => (healthy.requests.length === 5 ? true : undefined), 10_000);
    // Each event's healthy delivery landed before the worker gave up on the same event's first
    // attempt at the dead endpoint (its 1 s timeout): the two go out together, and the healthy one
    // did not wait on the dead one, nor on its retries, which come later still (or are held by its
    // breaker). Read per event, so a message the queue hands out in a later batch is not counted as
    // held up by an earlier batch's dead attempt.
    const abandoned = await eventually(async () => {
      const firsts = new Map<string, number>();
      for (const r of dead.requests) {
        const id = String(r.headers['webhook-id']);
        if (r.abandonedAt !== undefined && !firsts.has(id)) firsts.set(id, r.abandonedAt);
      }
      return firsts.size > 0 ? firsts : undefined;
    }, 10_000);
    const pairs = healthy.requests.flatMap((r) => {
      const gaveUp = abandoned.get(String(r.headers['webhook-id']));
      return gaveUp === undefined ? [] : [{ arrived: r.at, gaveUp }];
    });
    expect(pairs.length).toBeGreaterThan(0);
    for (const { arrived, gaveUp } of pairs) expect(arrived).toBeLessThan(gaveUp);
  });
});
