import { SWEEP_INDEX_SHARDS } from '@hookrelay/definitions';
import { processDelivery } from '@hookrelay/delivery/attempt';
import { type DeliveryUpdate, type EventStore, newId } from '@hookrelay/domain';
import type { DynamoDbEventStore } from '@hookrelay/dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver } from '../support/receiver.js';
import { localStores, localWorkerDeps } from '../support/stores.js';

/*
 * The worker's one conditional write per attempt, on DynamoDB Local: the final outcome of an
 * event's last open delivery settles the event in that same write, and only then.
 */
describe('claiming an attempt', () => {
  let platform: TestPlatform;
  let stores: ReturnType<typeof localStores>;
  let events: DynamoDbEventStore;
  const tenant = 'claims';

  beforeAll(async () => {
    platform = await startTestPlatform({ startWorker: false });
    stores = localStores(platform, { sweepGraceMs: 1_000 });
    events = stores.events;
  });
  afterAll(async () => {
    stores?.close();
    await platform?.stop();
  });

  const at = (ms: number) => new Date(Date.parse('2026-05-01T00:00:00Z') + ms).toISOString();
  const final = (n: number, ms: number): DeliveryUpdate => ({
    status: 'DELIVERED',
    attempt_count: n,
    round_attempts: n,
    at: at(ms),
    last_status_code: 200,
  });
  const newEvent = async (webhooks: string[]) => {
    const eventId = newId('evt');
    await events.create({
      tenant_id: tenant,
      event_id: eventId,
      type: 't',
      data: {},
      created_at: at(0),
      webhook_ids: webhooks,
    });
    return eventId;
  };
  const read = async (eventId: string) => {
    const event = await events.get(tenant, eventId);
    if (!event) throw new Error('event missing');
    return event;
  };
  /** Events the sweeper would look at, due any time up to a day after creation. */
  const sweepMarked = async () => {
    const marked = await Promise.all(
      Array.from({ length: SWEEP_INDEX_SHARDS }, (_, shard) =>
        events.overdue(shard, Date.parse(at(86_400_000)), 100),
      ),
    );
    return new Set(marked.flat().map((e) => e.event_id));
  };

  it('settles a one-delivery event in the claim itself: DELIVERED, no sweep mark ever', async () => {
    const eventId = await newEvent(['wh_a']);
    // A new event has no sweep mark: its messages were queued before it was written.
    expect(await sweepMarked()).not.toContain(eventId);
    expect(await events.claimAttempt(tenant, eventId, 'wh_a', final(1, 10), await read(eventId))).toBe(
      'settled',
    );
    const event = await read(eventId);
    expect(event.status).toBe('DELIVERED');
    expect(event.deliveries.wh_a).toMatchObject({ status: 'DELIVERED', attempt_count: 1 });
    expect(await sweepMarked()).not.toContain(eventId);
    expect(
      (await events.list(tenant, { status: 'DELIVERED', limit: 100 })).events.map((e) => e.event_id),
    ).toContain(eventId);
    expect(
      (await events.list(tenant, { status: 'PENDING', limit: 100 })).events.map((e) => e.event_id),
    ).not.toContain(eventId);
  });

  it('only claims while another delivery is open; the last one settles the event', async () => {
    const eventId = await newEvent(['wh_a', 'wh_b']);
    expect(await events.claimAttempt(tenant, eventId, 'wh_a', final(1, 10), await read(eventId))).toBe(
      'open',
    );
    expect((await read(eventId)).status).toBe('PENDING');
    expect(await sweepMarked()).toContain(eventId);
    const failed: DeliveryUpdate = { ...final(1, 20), status: 'FAILED', last_status_code: 500 };
    expect(await events.claimAttempt(tenant, eventId, 'wh_b', failed, await read(eventId))).toBe('settled');
    expect((await read(eventId)).status).toBe('FAILED');
    expect(await sweepMarked()).not.toContain(eventId);
  });

  it('does not settle from a stale read: a delivery reopened meanwhile keeps the event PENDING', async () => {
    const eventId = await newEvent(['wh_a', 'wh_b']);
    expect(await events.claimAttempt(tenant, eventId, 'wh_a', final(1, 10), await read(eventId))).toBe(
      'open',
    );
    const seen = await read(eventId); // wh_a done, wh_b open: wh_b's outcome looks like the last one
    // Meanwhile wh_a is retried by hand, which reopens it.
    expect(await events.reopen(tenant, eventId, 'DELIVERED', at(15), ['wh_a'])).toHaveLength(1);
    // The claim sees wh_a open again after its write: wh_a's next claim settles the event.
    expect(await events.claimAttempt(tenant, eventId, 'wh_b', final(1, 20), seen)).toBe('open');
    const event = await read(eventId);
    expect(event.status).toBe('PENDING');
    expect(event.deliveries.wh_a?.status).toBe('PENDING');
    expect(event.deliveries.wh_b?.status).toBe('DELIVERED');
    expect(await sweepMarked()).toContain(eventId);
    expect((await events.settle(tenant, eventId, at(30)))?.status).toBe('PENDING');
  });

  it('says when every delivery is final but the claim could not settle: settle follows', async () => {
    const eventId = await newEvent(['wh_a', 'wh_b']);
    const seen = await read(eventId); // both open, as two workers read it at once
    expect(await events.claimAttempt(tenant, eventId, 'wh_a', final(1, 10), seen)).toBe('open');
    // wh_b's worker read the event before wh_a's claim: it cannot settle from that read.
    expect(await events.claimAttempt(tenant, eventId, 'wh_b', final(1, 20), seen)).toBe('claimed');
    expect((await read(eventId)).status).toBe('PENDING');
    expect((await events.settle(tenant, eventId, at(30)))?.status).toBe('DELIVERED');
    expect(await sweepMarked()).not.toContain(eventId);
  });

  it('a redelivered attempt loses, and changes nothing', async () => {
    const eventId = await newEvent(['wh_a']);
    const seen = await read(eventId);
    expect(await events.claimAttempt(tenant, eventId, 'wh_a', final(1, 10), seen)).toBe('settled');
    const after = await read(eventId);
    expect(await events.claimAttempt(tenant, eventId, 'wh_a', final(1, 99), seen)).toBe('lost');
    expect(await events.claimAttempt(tenant, eventId, 'wh_a', final(1, 99), after)).toBe('lost');
    expect(await read(eventId)).toEqual(after);
  });

  it('a delivery is never seen settled before its attempt is listed', async () => {
    const receiver = await startReceiver(() => ({ status: 200 }));
    try {
      const admin = client(platform.apiUrl, platform.adminKey);
      const created = await admin.request('POST', '/v1/tenants', {
        tenant_id: 'seen',
        target_url: `${receiver.url}/in`,
      });
      const api = client(platform.apiUrl, created.body.api_key);
      const sent = await api.request('POST', '/v1/events', { type: 't', data: {} });
      // What any reader sees the moment the worker's outcome write lands.
      const seenAfterClaim: { status: string; attempts: number }[] = [];
      const watched: EventStore = Object.assign(Object.create(events), {
        claimAttempt: async (...args: Parameters<EventStore['claimAttempt']>) => {
          const result = await events.claimAttempt(...args);
          const now = await events.getWithAttempts('seen', sent.body.event_id);
          seenAfterClaim.push({
            status: String(now?.event.deliveries[created.body.webhook.id]?.status),
            attempts: now?.attempts.length ?? 0,
          });
          return result;
        },
      });
      const outcome = await processDelivery(
        localWorkerDeps(stores, { events: watched, clock: { now: () => Date.now() }, schedule: [0, 1_000] }),
        {
          v: 1,
          tenant_id: 'seen',
          event_id: sent.body.event_id,
          webhook_id: created.body.webhook.id,
          attempt: 1,
        },
      );
      expect(outcome.kind).toBe('delivered');
      expect(seenAfterClaim).toEqual([{ status: 'DELIVERED', attempts: 1 }]);
      const event = await api.request('GET', `/v1/events/${sent.body.event_id}`);
      expect(event.body.status).toBe('DELIVERED');
      expect(event.body.deliveries[0].attempts).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});
