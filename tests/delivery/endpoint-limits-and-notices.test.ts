import { processDelivery, type WorkerDeps } from '@hookrelay/delivery/attempt';
import { type DeliveryMessage, FAILING_NOTICE_QUIET_MS, type RateLimiter } from '@hookrelay/domain';
import { DynamoDbRateLimiter } from '@hookrelay/dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Client, client, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';
import { localStores, localWorkerDeps } from '../support/stores.js';

/*
 * The worker's own code and the stores on DynamoDB Local and fauxqs, with the clock injected:
 * a second or an hour passes when the test says so.
 */
let platform: TestPlatform;
let receiver: TestReceiver;
let admin: Client;
let stores: ReturnType<typeof localStores>;
const clockNow = Date.parse('2026-06-01T12:00:00.000Z');

beforeAll(async () => {
  platform = await startTestPlatform({ startWorker: false });
  receiver = await startReceiver();
  admin = client(platform.apiUrl, platform.adminKey);
  stores = localStores(platform);
});

afterAll(async () => {
  stores?.close();
  await receiver?.close();
  await platform?.stop();
});

/** A rate limiter that remembers every call and lets everything through. */
const countingLimiter = () => {
  const calls: unknown[][] = [];
  const limiter: RateLimiter = {
    take: async (...args) => {
      calls.push(args);
      return 0;
    },
  };
  return { limiter, calls };
};

const setUp = async (tenantId: string, fields: Record<string, unknown> = {}) => {
  const created = await admin.request('POST', '/v1/tenants', { tenant_id: tenantId });
  const api = client(platform.apiUrl, created.body.api_key);
  const hook = await api.request('POST', '/v1/webhooks', { url: `${receiver.url}/${tenantId}`, ...fields });
  expect(hook.status).toBe(201);
  return { api, webhookId: hook.body.webhook.id as string };
};

const firstAttempt = (tenantId: string, eventId: string, webhookId: string): DeliveryMessage => ({
  v: 1,
  tenant_id: tenantId,
  event_id: eventId,
  webhook_id: webhookId,
  attempt: 1,
});

describe('per-endpoint rate limit', () => {
  it('allows the limit per second and tells the rest how long to wait', async () => {
    const limiter = new DynamoDbRateLimiter(stores.db, platform.env.DATA_TABLE ?? '');
    const second = Math.floor(clockNow / 1000) * 1000;
    expect(await limiter.take('rl', 'wh_a', 2, second + 100)).toBe(0);
    expect(await limiter.take('rl', 'wh_a', 2, second + 200)).toBe(0);
    expect(await limiter.take('rl', 'wh_a', 2, second + 300)).toBe(700);
    // Another webhook has a budget of its own; the next second starts afresh.
    expect(await limiter.take('rl', 'wh_b', 2, second + 300)).toBe(0);
    expect(await limiter.take('rl', 'wh_a', 2, second + 1_000)).toBe(0);
  });

  it('a webhook without a limit never consults the limiter', async () => {
    const { api, webhookId } = await setUp('unlimited');
    const { limiter, calls } = countingLimiter();
    const worker = localWorkerDeps(stores, {
      clock: { now: () => clockNow },
      schedule: [0],
      rateLimiter: limiter,
    });
    const sent = await api.request('POST', '/v1/events', { type: 'a.b', data: {} });
    const outcome = await processDelivery(worker, firstAttempt('unlimited', sent.body.event_id, webhookId));
    expect(outcome.kind).toBe('delivered');
    expect(calls).toEqual([]);
  });

  it('over the limit a delivery is queued again for the next second: no attempt made, none counted', async () => {
    const { api, webhookId } = await setUp('held', { rate_limit: 1 });
    const sends: unknown[] = [];
    const full: RateLimiter = { take: async () => 400 };
    const worker: WorkerDeps = localWorkerDeps(stores, {
      clock: { now: () => clockNow },
      schedule: [0],
      rateLimiter: full,
      queue: { send: async (messages) => void sends.push(...messages), deadLetter: async () => undefined },
    });
    const sent = await api.request('POST', '/v1/events', { type: 'a.b', data: {} });
    const message = firstAttempt('held', sent.body.event_id, webhookId);
    const before = receiver.requests.length;
    expect(await processDelivery(worker, message)).toEqual({ kind: 'rate_limited', delayMs: 400 });
    // The same message, which now says its event is listed as PENDING (later holds write nothing).
    expect(sends).toEqual([{ message: { ...message, listed: true }, delaySeconds: 1, lane: 'main' }]);
    // A message taken from the slow lane waits in the slow lane.
    expect(await processDelivery(worker, message, 'slow')).toEqual({ kind: 'rate_limited', delayMs: 400 });
    expect(sends.at(-1)).toEqual({ message: { ...message, listed: true }, delaySeconds: 1, lane: 'slow' });
    expect(receiver.requests.length).toBe(before);
    const event = await api.request('GET', `/v1/events/${sent.body.event_id}`);
    expect(event.body.status).toBe('PENDING');
    expect(event.body.deliveries[0]).toMatchObject({ status: 'PENDING', attempt_count: 0, attempts: [] });

    // With room again, the same message makes attempt 1.
    const { limiter } = countingLimiter();
    const outcome = await processDelivery({ ...worker, rateLimiter: limiter }, message);
    expect(outcome).toMatchObject({ kind: 'delivered', attempt: 1 });
  });
});

describe('"endpoint failing" notices', () => {
  it('are claimed at most once an hour per webhook', async () => {
    const { webhookId } = await setUp('flaky');
    const at = (ms: number) => new Date(clockNow + ms).toISOString();
    expect(await stores.webhooks.claimFailingNotice('flaky', webhookId, at(0), FAILING_NOTICE_QUIET_MS)).toBe(
      true,
    );
    expect(
      await stores.webhooks.claimFailingNotice('flaky', webhookId, at(1_000), FAILING_NOTICE_QUIET_MS),
    ).toBe(false);
    expect(
      await stores.webhooks.claimFailingNotice('flaky', webhookId, at(59 * 60_000), FAILING_NOTICE_QUIET_MS),
    ).toBe(false);
    expect(
      await stores.webhooks.claimFailingNotice('flaky', webhookId, at(61 * 60_000), FAILING_NOTICE_QUIET_MS),
    ).toBe(true);
    expect(await stores.webhooks.claimFailingNotice('flaky', 'wh_nope', at(0), FAILING_NOTICE_QUIET_MS)).toBe(
      false,
    );
  });
});
