import { ENV } from '@hookrelay/definitions';
import { EndpointSlots, processDelivery } from '@hookrelay/delivery/attempt';
import { DEFAULT_LANE_POLICY, type DeliveryMessage, newId, systemClock } from '@hookrelay/domain';
import { SqsQueueDepths } from '@hookrelay/sqs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';
import { localStores, localWorkerDeps } from '../support/stores.js';

const EVENTS = 8;

/*
 * A message the worker hands back (its endpoint has no free slot) is replaced, not copied:
 * the original leaves the queue as soon as its replacement is queued, not when the rest of its
 * batch ends. Counted on the slow lane's queue while one attempt hangs in the same batch.
 */
describe('handing a message back', () => {
  let platform: TestPlatform;
  let hanging: TestReceiver;
  let stores: ReturnType<typeof localStores>;

  beforeAll(async () => {
    platform = await startTestPlatform({
      // Longer than the test: the hanging attempt holds its batch until the receiver closes.
      deliveryTimeoutMs: 300_000,
      extraEnv: { SLOW_LANE_ENDPOINT_CONCURRENCY: '1' },
    });
    stores = localStores(platform);
    hanging = await startReceiver(() => 'hang');
  });
  afterAll(async () => {
    stores?.close();
    await hanging?.close();
    await platform?.stop();
  });

  it('never leaves more messages queued or in flight than deliveries outstanding', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'handback',
      target_url: `${hanging.url}/never`,
    });
    const webhookId: string = created.body.webhook.id;
    // Quarantined already: its messages go to the slow lane, one attempt in flight at most.
    await stores.webhooks.markLane('handback', webhookId, 'quarantine', Date.now(), DEFAULT_LANE_POLICY);
    const tenant = client(platform.apiUrl, created.body.api_key);
    const batch = await tenant.request('POST', '/v1/events/batch', {
      events: Array.from({ length: EVENTS }, (_, n) => ({ type: 'order.created', data: { n } })),
    });
    expect(batch.status).toBe(201);

    const depths = new SqsQueueDepths(stores.sqs, { slow: platform.env[ENV.slowQueueUrl] ?? '' });
    const messages = async () =>
      (await depths.depths()).reduce((sum, d) => sum + d.visible + d.inFlight + d.delayed, 0);
    // One attempt hangs; the other messages were handed back to wait for its slot.
    await eventually(async () => (hanging.requests.length === 1 ? true : undefined), 30_000);
    await eventually(async () => ((await messages()) === EVENTS ? true : undefined), 30_000);
    // Sampled for a while: the hanging attempt's batch never ends, and nothing is counted twice.
    for (let i = 0; i < 10; i++) {
      expect(await messages()).toBe(EVENTS);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(hanging.requests).toHaveLength(1);
  }, 90_000);

  it("lists a held delivery's event as PENDING once, however often the message is handed back", async () => {
    const eventId = newId('evt');
    await stores.events.create({
      tenant_id: 'handback',
      event_id: eventId,
      type: 'order.created',
      data: {},
      created_at: new Date().toISOString(),
      webhook_ids: ['wh_busy'],
    });
    const listings: string[] = [];
    const sent: DeliveryMessage[] = [];
    const deps = localWorkerDeps(stores, {
      clock: systemClock,
      schedule: [0],
      // Every slot is taken: each message is handed back.
      endpointSlots: new EndpointSlots(0),
      events: Object.assign(Object.create(stores.events), {
        markWaiting: async (tenantId: string, id: string) => {
          listings.push(id);
          return stores.events.markWaiting(tenantId, id);
        },
      }),
      queue: {
        send: async (messages) => {
          sent.push(...messages.map((m) => m.message));
        },
        deadLetter: async () => undefined,
      },
    });
    let message: DeliveryMessage = {
      v: 1,
      tenant_id: 'handback',
      event_id: eventId,
      webhook_id: 'wh_busy',
      attempt: 1,
    };
    for (let i = 0; i < 4; i++) {
      expect((await processDelivery(deps, message, 'slow')).kind).toBe('deferred');
      message = sent[sent.length - 1] as DeliveryMessage;
    }
    expect(listings).toEqual([eventId]);
    expect(message).toMatchObject({ listed: true, held: 4 });
    const listed = await stores.events.list('handback', { status: 'PENDING', limit: 100 });
    expect(listed.events.map((e) => e.event_id)).toContain(eventId);
  });
});
