import { ENV } from '@hookrelay/definitions';
import { DynamoDbLaneLagStore } from '@hookrelay/dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';
import { localStores } from '../support/stores.js';

/**
 * A stage of one delivery lane (`DELIVERY_LANES=1`) as the worker runs it behind its event source
 * mappings: no slow-lane consumer, and an endpoint that answers slowly is delivered to from the
 * main queue, its attempts never given up after the main lane's budget.
 */
describe('one delivery lane, with the worker behind its event source mappings', () => {
  let platform: TestPlatform;
  let stores: ReturnType<typeof localStores>;
  let slow: TestReceiver;

  beforeAll(async () => {
    platform = await startTestPlatform({ deliveryLanes: 1 });
    stores = localStores(platform);
    // Answers after 2.5 s: past the slow-lane threshold (1 s) and the main lane's budget (2 s).
    slow = await startReceiver(() => ({ status: 200, delayMs: 2_500 }));
  });
  afterAll(async () => {
    stores?.close();
    await slow?.close();
    await platform?.stop();
  });

  it('delivers to an endpoint that answers slowly from the main queue, first attempt and after its quarantine alike', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'one-lane-slow',
      target_url: `${slow.url}/in`,
    });
    const api = client(platform.apiUrl, created.body.api_key);
    const webhookId: string = created.body.webhook.id;
    const statusOf = async (eventId: string) =>
      (await api.request('GET', `/v1/events/${eventId}`)).body.status as string;

    const first = await api.request('POST', '/v1/events', { type: 'order.created', data: { n: 1 } });
    await eventually(async () => ((await statusOf(first.body.event_id)) === 'DELIVERED' ? true : undefined));
    expect((await stores.webhooks.get('one-lane-slow', webhookId))?.lane).toBe('slow');
    const second = await api.request('POST', '/v1/events', { type: 'order.created', data: { n: 2 } });
    await eventually(async () => ((await statusOf(second.body.event_id)) === 'DELIVERED' ? true : undefined));

    // Each made once, answered: none given up after the main lane's budget.
    const attempts = await stores.events.attemptsByWebhook('one-lane-slow', webhookId, 10);
    expect(attempts.attempts.map((a) => [a.outcome, a.error_kind])).toEqual([
      ['success', undefined],
      ['success', undefined],
    ]);
    expect(slow.requests).toHaveLength(2);
    // Only the main lane's consumer took them.
    expect(Object.keys(platform.workerStats()).sort()).toEqual(['main', 'ordered']);
    expect(platform.workerStats().main?.invocations).toBeGreaterThanOrEqual(2);
    expect(platform.topology.map((m) => m.name).sort()).toEqual(['inbound', 'main', 'ordered']);
    // Taken from the main queue, and reported so: the sweeper reckons that queue's wait from it.
    const lags = await new DynamoDbLaneLagStore(stores.db, platform.env[ENV.dataTable] ?? '').read();
    expect(lags.map((lag) => lag.lane)).toEqual(['main']);
  }, 60_000);
});
