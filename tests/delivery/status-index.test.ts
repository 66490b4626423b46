import { ENV, EVENT_INDEX_SHARDS } from '@hookrelay/definitions';
import { type DeliveryUpdate, type EventStatus, newId } from '@hookrelay/domain';
import { CursorCodec, DynamoDbEventStore } from '@hookrelay/dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { localStores } from '../support/stores.js';

/*
 * The sparse status index on DynamoDB Local: DELIVERED events are in no status index, so a
 * FAILED filter reads the failed events and nothing else, however many were delivered; PENDING
 * events are found whether or not anything has touched them yet.
 */
describe('the sparse status index', () => {
  let platform: TestPlatform;
  let stores: ReturnType<typeof localStores>;
  let events: DynamoDbEventStore;
  /** Items DynamoDB read for the queries of this store (ScannedCount, before filters). */
  let scanned = 0;
  let queries = 0;
  const unique = newId('t').slice(-10);

  beforeAll(async () => {
    // The test platform's sweeper runs hourly: the test moves the sweeper's mark itself.
    platform = await startTestPlatform({ startWorker: false });
    stores = localStores(platform);
    stores.db.middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        const output = (out.output ?? {}) as { ScannedCount?: number };
        if (output.ScannedCount !== undefined) {
          scanned += output.ScannedCount;
          queries += 1;
        }
        return out;
      },
      { step: 'initialize', name: 'countScanned' },
    );
    events = new DynamoDbEventStore(stores.db, platform.env[ENV.dataTable] ?? '', {
      cursors: new CursorCodec('test'),
      retentionDays: 30,
      sweepGraceMs: 60_000,
    });
  });
  afterAll(async () => {
    stores?.close();
    await platform?.stop();
  });

  const now = Date.now();
  const create = async (tenant: string, webhooks: string[], createdAtMs = now) => {
    const eventId = newId('evt', createdAtMs);
    await events.create({
      tenant_id: tenant,
      event_id: eventId,
      type: 'invoice.paid',
      data: { n: eventId },
      created_at: new Date(createdAtMs).toISOString(),
      webhook_ids: webhooks,
    });
    return eventId;
  };
  const attempt = (status: DeliveryUpdate['status'], atMs = now): DeliveryUpdate => ({
    status,
    attempt_count: 1,
    round_attempts: 1,
    at: new Date(atMs).toISOString(),
    last_status_code: status === 'DELIVERED' ? 200 : 500,
    ...(status === 'PENDING' ? { next_attempt_at: new Date(atMs + 5_000).toISOString() } : {}),
  });
  const fail = async (tenant: string) => {
    const eventId = await create(tenant, ['wh_a']);
    const seen = await events.get(tenant, eventId);
    expect(await events.claimAttempt(tenant, eventId, 'wh_a', attempt('FAILED'), seen)).toBe('settled');
    return eventId;
  };
  const listAll = async (tenant: string, status?: EventStatus) => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await events.list(tenant, {
        ...(status ? { status } : {}),
        limit: 50,
        ...(cursor ? { cursor } : {}),
      });
      ids.push(...page.events.map((e) => e.event_id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return ids;
  };

  it('?status=FAILED reads only the failed events, not the many delivered ones', async () => {
    const tenant = `many-${unique}`;
    // Delivered at once (no webhook matched): the cheapest way to many DELIVERED events.
    for (let i = 0; i < 300; i += 25) {
      await Promise.all(Array.from({ length: 25 }, () => create(tenant, [])));
    }
    const failed = [await fail(tenant), await fail(tenant), await fail(tenant)];

    scanned = 0;
    queries = 0;
    const page = await events.list(tenant, { status: 'FAILED', limit: 50 });
    expect(page.events.map((e) => e.event_id).sort()).toEqual([...failed].sort());
    expect(page.next_cursor).toBeNull();
    // One query per shard, and the three failed events are all they read.
    expect(queries).toBe(EVENT_INDEX_SHARDS);
    expect(scanned).toBe(3);

    expect((await listAll(tenant, 'DELIVERED')).length).toBe(300);
    expect((await listAll(tenant)).length).toBe(303);
    const counts = await events.countByStatus(tenant, new Date(now - 60_000).toISOString());
    expect(counts).toEqual({ PENDING: 0, DELIVERED: 300, FAILED: 3, CANCELLED: 0 });
  });

  it('a delivered event costs the status index nothing: it is never in it', async () => {
    const tenant = `delivered-${unique}`;
    const eventId = await create(tenant, ['wh_a']);
    const seen = await events.get(tenant, eventId);
    expect(await events.claimAttempt(tenant, eventId, 'wh_a', attempt('DELIVERED'), seen)).toBe('settled');
    scanned = 0;
    for (const status of ['PENDING', 'FAILED', 'CANCELLED'] as const) {
      expect(await listAll(tenant, status)).toEqual([]);
    }
    expect(await listAll(tenant, 'DELIVERED')).toEqual([eventId]);
  });

  it('?status=PENDING finds untouched, retrying and swept events once each, newest first', async () => {
    const tenant = `pending-${unique}`;
    // Long before the sweeper's mark: the sweeper found it pending and indexed it.
    const swept = await create(tenant, ['wh_a'], now - 3_600_000);
    await events.reschedule(tenant, swept, now + 60_000);
    // A first attempt failed and a retry waits: indexed by the worker's claim.
    const retrying = await create(tenant, ['wh_a'], now - 60_000);
    expect(await events.claimAttempt(tenant, retrying, 'wh_a', attempt('PENDING'))).toBe('open');
    // Two webhooks, one delivered: still PENDING, indexed by the claim.
    const half = await create(tenant, ['wh_a', 'wh_b'], now - 30_000);
    const halfSeen = await events.get(tenant, half);
    expect(await events.claimAttempt(tenant, half, 'wh_a', attempt('DELIVERED'), halfSeen)).toBe('open');
    // Nothing has touched it yet: found through the time listing, after the mark.
    const fresh = await create(tenant, ['wh_a'], now - 1_000);
    const delivered = await create(tenant, []);
    const failed = await fail(tenant);

    await events.markSwept(now - 600_000);
    const pending = await listAll(tenant, 'PENDING');
    expect(pending).toEqual([fresh, half, retrying, swept]);
    expect(pending).not.toContain(delivered);
    expect(pending).not.toContain(failed);

    // Paging one at a time gives the same, with no event twice.
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await events.list(tenant, { status: 'PENDING', limit: 1, ...(cursor ? { cursor } : {}) });
      paged.push(...page.events.map((e) => e.event_id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(pending);

    const counts = await events.countByStatus(tenant, new Date(now - 7_200_000).toISOString());
    expect(counts).toEqual({ PENDING: 4, DELIVERED: 1, FAILED: 1, CANCELLED: 0 });
  });

  it('a delivery held back unattempted (rate limit, busy endpoint) stays listed once the mark passes it', async () => {
    const tenant = `held-${unique}`;
    const held = await create(tenant, ['wh_a'], now - 120_000);
    await events.markWaiting(tenant, held);
    // The sweeper's mark moves past it: it is found through the status index.
    await events.markSwept(now - 60_000);
    expect(await listAll(tenant, 'PENDING')).toEqual([held]);
    // Once settled, holding it again changes nothing.
    const seen = await events.get(tenant, held);
    expect(await events.claimAttempt(tenant, held, 'wh_a', attempt('DELIVERED'), seen)).toBe('settled');
    await events.markWaiting(tenant, held);
    expect(await listAll(tenant, 'PENDING')).toEqual([]);
    expect(await listAll(tenant, 'DELIVERED')).toEqual([held]);
  });

  it('settling, retrying and cancelling move the event in and out of the index', async () => {
    const tenant = `moves-${unique}`;
    const eventId = await fail(tenant);
    expect(await listAll(tenant, 'FAILED')).toEqual([eventId]);
    await events.reopen(tenant, eventId, 'FAILED', new Date().toISOString());
    expect(await listAll(tenant, 'FAILED')).toEqual([]);
    expect(await listAll(tenant, 'PENDING')).toEqual([eventId]);
    await events.cancel(tenant, eventId, new Date().toISOString());
    expect(await listAll(tenant, 'PENDING')).toEqual([]);
    expect(await listAll(tenant, 'CANCELLED')).toEqual([eventId]);
  });
});
