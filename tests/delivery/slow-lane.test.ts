import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';
import { localStores } from '../support/stores.js';

const EVENTS = 60;
// Longer than the test: a hanging attempt ends only when the test closes its receiver.
const HANG_TIMEOUT_MS = 300_000;

describe('a hanging endpoint in the mix', () => {
  let platform: TestPlatform;
  let healthy: TestReceiver;
  let hanging: TestReceiver;
  let stores: ReturnType<typeof localStores>;

  beforeAll(async () => {
    platform = await startTestPlatform({ deliveryTimeoutMs: HANG_TIMEOUT_MS, workerConcurrency: 10 });
    stores = localStores(platform);
    healthy = await startReceiver(() => ({ status: 200 }));
    hanging = await startReceiver(() => 'hang');
  });
  afterAll(async () => {
    stores?.close();
    await healthy?.close();
    // Closing it ends the hanging attempts, so the worker can stop.
    await hanging?.close();
    await platform?.stop();
  });

  it("never holds back a healthy endpoint's deliveries: they are all made before the first hanging attempt ends", async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'noisy',
      target_url: `${healthy.url}/ok`,
    });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const stuck = await tenant.request('POST', '/v1/webhooks', { url: `${hanging.url}/never` });
    expect(stuck.status).toBe(201);
    const stuckId: string = stuck.body.webhook?.id ?? stuck.body.id;

    // Every event goes to both endpoints: half of all messages are for the one that hangs.
    for (let i = 0; i < EVENTS; i += 20) {
      const batch = await tenant.request('POST', '/v1/events/batch', {
        events: Array.from({ length: 20 }, (_, n) => ({ type: 'order.created', data: { n: i + n } })),
      });
      expect(batch.status).toBe(201);
    }

    // Without lanes the pollers' batches would each hold a hanging attempt and the healthy
    // endpoint would get nothing more until the test ends.
    const reached = () => new Set(healthy.requests.map((r) => r.headers['webhook-id'])).size;
    await eventually(async () => (reached() >= EVENTS ? true : undefined), 90_000);
    // The hanging endpoint was called and moved to the slow lane, and not one of its slow-lane
    // attempts has ended (none can before the test closes it): the healthy endpoint waited for none.
    expect(hanging.requests.length).toBeGreaterThan(0);
    const webhook = await stores.webhooks.get('noisy', stuckId);
    expect(webhook?.lane).toBe('slow');
    // The API says so.
    const shown = await tenant.request('GET', `/v1/webhooks/${stuckId}`);
    expect([shown.body.webhook.lane, Date.parse(shown.body.webhook.lane_since)]).toEqual([
      'slow',
      expect.any(Number),
    ]);
    // What it has in its history are the main-lane attempts given up after the lane's budget
    // (their requests did reach it); none has ended otherwise.
    const recorded = await stores.events.attemptsByWebhook('noisy', stuckId, 100);
    expect(recorded.attempts.filter((a) => a.error_kind !== 'abandoned')).toEqual([]);
    expect(recorded.attempts.length).toBeLessThanOrEqual(hanging.requests.length);
    expect(reached()).toBe(EVENTS);
  }, 150_000);
});
