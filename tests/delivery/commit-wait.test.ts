import { processDelivery } from '@hookrelay/delivery/attempt';
import { type DeliveryQueue, newId, systemClock, type Webhook } from '@hookrelay/domain';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';
import { localStores, localWorkerDeps } from '../support/stores.js';

/*
 * Messages go out just before their event is written. A worker that takes one first looks
 * again for a moment before it hands the message back for a second: counted here by the
 * messages it sends back, on DynamoDB Local and a loopback receiver.
 */
describe('a message taken before its event is written', () => {
  let platform: TestPlatform;
  let stores: ReturnType<typeof localStores>;
  let receiver: TestReceiver;
  const tenant = 'commit-wait';

  beforeAll(async () => {
    platform = await startTestPlatform({ startWorker: false });
    stores = localStores(platform);
    receiver = await startReceiver(() => ({ status: 200 }));
  });
  afterAll(async () => {
    stores?.close();
    await receiver?.close();
    await platform?.stop();
  });

  const setUp = async () => {
    const webhook: Webhook = {
      tenant_id: tenant,
      id: newId('wh'),
      url: `${receiver.url}/hook`,
      active: true,
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
      delivery_success_count: 0,
      delivery_failure_count: 0,
    };
    await stores.webhooks.create(webhook);
    await stores.secrets.put(tenant, webhook.id, [{ secret: 'whsec_dGVzdHRlc3R0ZXN0dGVzdA==' }]);
    const sentBack: unknown[] = [];
    const queue: DeliveryQueue = Object.assign(Object.create(stores.queue), {
      send: async (...args: Parameters<DeliveryQueue['send']>) => {
        sentBack.push(...args[0]);
        return stores.queue.send(...args);
      },
    });
    const deps = localWorkerDeps(stores, { clock: systemClock, schedule: [0, 1_000], queue });
    const eventId = newId('evt');
    const message = {
      v: 1 as const,
      tenant_id: tenant,
      event_id: eventId,
      webhook_id: webhook.id,
      attempt: 1,
    };
    const write = () =>
      stores.events.create({
        tenant_id: tenant,
        event_id: eventId,
        type: 'invoice.paid',
        data: { amount: 1200 },
        created_at: new Date().toISOString(),
        webhook_ids: [webhook.id],
      });
    return { deps, message, write, sentBack, eventId };
  };

  it('delivers it on the same take when the write lands a moment later', async () => {
    const { deps, message, write, sentBack, eventId } = await setUp();
    const taking = processDelivery(deps, { ...message, commit_by: Date.now() + 60_000 });
    await new Promise((r) => setTimeout(r, 120));
    expect(await write()).toBe(true);
    const outcome = await taking;
    expect(outcome.kind).toBe('delivered');
    expect(sentBack).toHaveLength(0);
    expect(receiver.requests.filter((r) => r.headers['webhook-id'] === eventId)).toHaveLength(1);
  });

  it('hands it back for a second when the write has not landed after a while', async () => {
    const { deps, message, sentBack } = await setUp();
    const outcome = await processDelivery(deps, { ...message, commit_by: Date.now() + 60_000 });
    expect(outcome).toEqual({ kind: 'deferred', delayMs: 1_000 });
    expect(sentBack).toHaveLength(1);
  });

  it('drops it at once when its commit time has passed: the event was never accepted', async () => {
    const { deps, message, sentBack } = await setUp();
    const outcome = await processDelivery(deps, { ...message, commit_by: Date.now() - 1 });
    expect(outcome.kind).toBe('skipped');
    expect(sentBack).toHaveLength(0);
  });

  it("hands back a retry taken before its previous attempt's claim, and makes it once the claim lands", async () => {
    const { deps, message, write, sentBack, eventId } = await setUp();
    expect(await write()).toBe(true);
    // Attempt 1 failed; its worker sent the retry's message first and has not claimed yet.
    const retry = { ...message, attempt: 2, not_before: Date.now() };
    expect(await processDelivery(deps, retry)).toEqual({ kind: 'deferred', delayMs: 1_000 });
    expect(sentBack).toEqual([{ message: retry, delaySeconds: 1, lane: 'main' }]);
    const seen = await stores.events.get(tenant, eventId);
    const failed = {
      status: 'PENDING' as const,
      attempt_count: 1,
      round_attempts: 1,
      at: new Date().toISOString(),
      next_attempt_at: new Date().toISOString(),
      last_status_code: 500,
    };
    expect(await stores.events.claimAttempt(tenant, eventId, message.webhook_id, failed, seen)).toBe('open');
    expect((await processDelivery(deps, retry)).kind).toBe('delivered');
  });
});
