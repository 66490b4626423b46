import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';
import { localStores } from '../support/stores.js';

describe('no accepted event is lost', () => {
  let platform: TestPlatform;
  let receiver: TestReceiver;
  let stores: ReturnType<typeof localStores>;

  beforeAll(async () => {
    platform = await startTestPlatform({ sweepGraceMs: 300 });
    receiver = await startReceiver();
    stores = localStores(platform, { sweepGraceMs: 300 });
  });
  afterAll(async () => {
    stores?.close();
    await receiver?.close();
    await platform?.stop();
  });

  it('an event stored but never enqueued (the enqueue failed) is delivered by the sweeper', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'outbox',
      target_url: `${receiver.url}/in`,
    });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const { createEvent } = await import('@hookrelay/api/use-cases/events');
    const { events, webhooks } = stores;
    // The real use case, with a queue whose every send fails (the fault between write and enqueue).
    const failingQueue = {
      send: async () => {
        throw new Error('injected: SQS unavailable');
      },
      deadLetter: async () => undefined,
    };
    const accepted = await createEvent(
      { events, webhooks, queue: failingQueue, clock: { now: () => Date.now() } },
      { tenantId: 'outbox', event: { type: 'order.created', data: { n: 1 } } },
    );
    expect(accepted.status).toBe('PENDING');
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver.requests).toHaveLength(0);
    await platform.sweepNow();
    const event = await eventually(async () => {
      const got = await tenant.request('GET', `/v1/events/${accepted.event_id}`);
      return got.body.status === 'DELIVERED' ? got.body : undefined;
    });
    expect(event.deliveries[0].attempts).toHaveLength(1);
    expect(receiver.requests).toHaveLength(1);
  });

  it('a batch whose enqueue fails for some of its messages is delivered whole, the rest by the sweeper', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'outbox-batch',
      target_url: `${receiver.url}/batch`,
    });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const { eventRoutes } = await import('@hookrelay/api/routes/events');
    const { Logger } = await import('@aws-lambda-powertools/logger');
    const realQueue = stores.queue;
    // SQS takes the first request of ten and refuses every later one.
    let requests = 0;
    const flakyQueue = {
      send: async (messages: Parameters<typeof realQueue.send>[0]) => {
        requests += 1;
        if (requests > 1) throw new Error('injected: SQS throttled');
        await realQueue.send(messages);
      },
      deadLetter: realQueue.deadLetter.bind(realQueue),
    };
    const batchRoute = eventRoutes(new Logger({ logLevel: 'SILENT' })).find(
      (r) => r.path === '/v1/events/batch',
    );
    if (!batchRoute) throw new Error('no batch route');
    const reply = await batchRoute.handle(
      {
        principal: { tenant_id: 'outbox-batch', scopes: ['tenant'], plan: 'free', key_id: 'k' },
        body: { events: Array.from({ length: 25 }, (_, n) => ({ type: 'order.created', data: { n } })) },
        query: {},
        params: {},
        headers: {},
      } as never,
      {
        events: stores.events,
        webhooks: stores.webhooks,
        queue: flakyQueue,
        clock: { now: () => Date.now() },
        maxEventBytes: 256 * 1024,
      } as never,
    );
    expect(reply.statusCode).toBe(201);
    const ids = (JSON.parse(reply.body).results as { event_id: string }[]).map((r) => r.event_id);
    expect(ids).toHaveLength(25);
    // 25 messages, ten per request: three requests, two of them refused.
    expect(requests).toBe(3);
    const statusesOf = async () => Promise.all(ids.map((id) => tenant.request('GET', `/v1/events/${id}`)));
    // The ten that were queued are delivered; the other fifteen wait for the sweeper.
    await eventually(async () => {
      const delivered = (await statusesOf()).filter((e) => e.body.status === 'DELIVERED').length;
      return delivered === 10 ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 400));
    expect((await statusesOf()).filter((e) => e.body.status === 'PENDING')).toHaveLength(15);
    await platform.sweepNow();
    const statuses = await eventually(async () => {
      const all = await statusesOf();
      return all.every((e) => e.body.status === 'DELIVERED') ? all : undefined;
    });
    expect(statuses).toHaveLength(25);
    const received = new Set(receiver.requests.map((r) => String(r.headers['webhook-id'])));
    for (const id of ids) expect(received.has(id)).toBe(true);
  });
});
