import { ENV } from '@hookrelay/definitions';
import { EndpointSlots, processDelivery } from '@hookrelay/delivery/attempt';
import { type DeliveryMessage, newId, systemClock } from '@hookrelay/domain';
import { DynamoDbLaneLagStore } from '@hookrelay/dynamodb';
import { SqsQueueDepths } from '@hookrelay/sqs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { localStores, localWorkerDeps } from '../support/stores.js';

const GRACE_MS = 1_000;

/*
 * A delivery handed back to wait for its endpoint sits in the queue as a delayed message. The
 * sweeper must not take it for lost once its event's sweep mark passes (another delivery of the
 * same event finished): counted by the messages the sweep adds.
 */
describe('a delivery waiting for its endpoint', () => {
  let platform: TestPlatform;
  let stores: ReturnType<typeof localStores>;
  const tenant = 'held-sweep';

  beforeAll(async () => {
    platform = await startTestPlatform({ startWorker: false, sweepGraceMs: GRACE_MS });
    stores = localStores(platform, { sweepGraceMs: GRACE_MS });
  });
  afterAll(async () => {
    stores?.close();
    await platform?.stop();
  });

  it('is not sent again by the sweeper while it waits', async () => {
    const eventId = newId('evt');
    const createdAt = new Date().toISOString();
    await stores.events.create({
      tenant_id: tenant,
      event_id: eventId,
      type: 'order.created',
      data: {},
      created_at: createdAt,
      webhook_ids: ['wh_done', 'wh_dead'],
    });
    // One delivery ends: the claim gives the event a sweep mark a grace period later.
    const seen = await stores.events.get(tenant, eventId);
    const done = { status: 'DELIVERED' as const, attempt_count: 1, round_attempts: 1, at: createdAt };
    expect(await stores.events.claimAttempt(tenant, eventId, 'wh_done', done, seen)).toBe('open');

    // The other endpoint's attempts time out and all its slots are taken: its message waits.
    const slots = new EndpointSlots(1);
    slots.take('wh_dead');
    slots.give('wh_dead', { heldMs: 10_000, answered: false });
    slots.take('wh_dead');
    const lags: { lane: string; lateByMs: number }[] = [];
    const deps = localWorkerDeps(stores, {
      clock: systemClock,
      schedule: [0],
      endpointSlots: slots,
      onTaken: (lane, lateByMs) => lags.push({ lane, lateByMs }),
    });
    const message: DeliveryMessage = {
      v: 1,
      tenant_id: tenant,
      event_id: eventId,
      webhook_id: 'wh_dead',
      attempt: 1,
      commit_by: Date.parse(createdAt) + 60_000,
    };
    const outcome = await processDelivery(deps, message, 'slow');
    expect(outcome.kind).toBe('deferred');
    // The worker counts it in its lane's lag as late as it will be when it comes back.
    expect(lags).toHaveLength(1);
    expect(lags[0]?.lateByMs).toBeGreaterThanOrEqual(60_000);
    const store = new DynamoDbLaneLagStore(stores.db, platform.env[ENV.dataTable] ?? '');
    for (const lag of lags) {
      await store.report({ lane: 'slow', lag_ms: Math.round(lag.lateByMs), reported_at: Date.now() });
    }

    const depths = new SqsQueueDepths(stores.sqs, {
      main: platform.env[ENV.deliveryQueueUrl] ?? '',
      slow: platform.env[ENV.slowQueueUrl] ?? '',
    });
    const messages = async () =>
      (await depths.depths()).reduce((sum, d) => sum + d.visible + d.inFlight + d.delayed, 0);
    expect(await messages()).toBe(1);
    // Past the event's sweep mark and the delivery's own due time plus the grace period.
    await new Promise((r) => setTimeout(r, 2 * GRACE_MS + 500));
    const report = (await platform.sweepNow()) as { requeued: number; examined: number };
    expect(report.requeued).toBe(0);
    expect(await messages()).toBe(1);
  });
});
