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

  it('an event whose enqueue fails is refused whole: a 503, and nothing of it is stored', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    await admin.request('POST', '/v1/tenants', { tenant_id: 'outbox', target_url: `${receiver.url}/in` });
    const { createEvent } = await import('@hookrelay/api/use-cases/events');
    const { events, webhooks } = stores;
    // The real use case, with a queue whose every send fails.
    const failingQueue = {
      send: async () => {
        throw new Error('injected: SQS unavailable');
      },
      deadLetter: async () => undefined,
    };
    const refused = createEvent(
      { events, webhooks, queue: failingQueue, clock: { now: () => Date.now() } },
      { tenantId: 'outbox', event: { type: 'order.created', data: { n: 1 }, id: 'evt_refused_1' } },
    );
    await expect(refused).rejects.toMatchObject({ kind: 'unavailable', code: 'service_unavailable' });
    expect(await events.get('outbox', 'evt_refused_1')).toBeUndefined();
  });

  it('a message whose event was never written (a crash between enqueue and write) delivers nothing', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'outbox-crash',
      target_url: `${receiver.url}/crash`,
    });
    const webhookId = created.body.webhook.id as string;
    const sentAt = Date.now();
    await stores.queue.send([
      {
        message: {
          v: 1,
          tenant_id: 'outbox-crash',
          event_id: 'evt_never_written',
          webhook_id: webhookId,
          attempt: 1,
          commit_by: sentAt + 1_500,
        },
        delaySeconds: 0,
      },
    ]);
    // The worker takes it, finds no event, and lets it come back until the deadline has passed.
    await new Promise((r) => setTimeout(r, 4_000));
    expect(receiver.requests.filter((r) => r.headers['webhook-id'] === 'evt_never_written')).toHaveLength(0);
    expect(await stores.events.get('outbox-crash', 'evt_never_written')).toBeUndefined();
  });

  it('an event written after its message was taken (the write is slow) is still delivered', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'outbox-slow',
      target_url: `${receiver.url}/slow-write`,
    });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const webhookId = created.body.webhook.id as string;
    const now = Date.now();
    await stores.queue.send([
      {
        message: {
          v: 1,
          tenant_id: 'outbox-slow',
          event_id: 'evt_slow_write',
          webhook_id: webhookId,
          attempt: 1,
          commit_by: now + 60_000,
        },
        delaySeconds: 0,
      },
    ]);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(
      await stores.events.create({
        tenant_id: 'outbox-slow',
        event_id: 'evt_slow_write',
        type: 'order.created',
        data: { n: 1 },
        created_at: new Date(now).toISOString(),
        webhook_ids: [webhookId],
      }),
    ).toBe(true);
    const event = await eventually(async () => {
      const got = await tenant.request('GET', '/v1/events/evt_slow_write');
      return got.body.status === 'DELIVERED' ? got.body : undefined;
    });
    expect(event.deliveries[0].attempts).toHaveLength(1);
    expect(receiver.requests.filter((r) => r.headers['webhook-id'] === 'evt_slow_write')).toHaveLength(1);
  });

  it('a batch whose enqueue fails for some of its messages accepts only what was queued, and delivers it all', async () => {
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
    // 25 messages, ten per request: three requests, two of them refused.
    expect(requests).toBe(3);
    expect(reply.statusCode).toBe(207);
    const results = JSON.parse(reply.body).results as {
      status: string;
      event_id?: string;
      error?: { code: string };
    }[];
    const accepted = results.filter((r) => r.status !== 'REJECTED');
    const refused = results.filter((r) => r.status === 'REJECTED');
    expect(accepted).toHaveLength(10);
    expect(refused).toHaveLength(15);
    for (const r of refused) expect(r.error?.code).toBe('service_unavailable');
    // What was accepted is delivered, each once; nothing refused was stored.
    const ids = accepted.map((r) => r.event_id as string);
    const statuses = await eventually(async () => {
      const all = await Promise.all(ids.map((id) => tenant.request('GET', `/v1/events/${id}`)));
      return all.every((e) => e.body.status === 'DELIVERED') ? all : undefined;
    });
    expect(statuses).toHaveLength(10);
    const received = new Set(receiver.requests.map((r) => String(r.headers['webhook-id'])));
    for (const id of ids) expect(received.has(id)).toBe(true);
    const listed = await tenant.request('GET', '/v1/events?limit=100');
    expect(listed.body.events).toHaveLength(10);
  });
});
