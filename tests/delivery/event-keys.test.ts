import { ENV } from '@hookrelay/definitions';
import { type DeliveryUpdate, newId } from '@hookrelay/domain';
import { BatchReader, CursorCodec, DynamoDbEventStore } from '@hookrelay/dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { invoicePaid } from '../../bench/src/payload.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { localStores } from '../support/stores.js';

/*
 * Where an event lives, on DynamoDB Local: in its tenant's time-ordered shard partitions, found
 * by key from an id the platform made, through an alias from a client's own id; and what the
 * success path writes, counted in write units as DynamoDB reports them.
 */
describe('event keys and write units', () => {
  let platform: TestPlatform;
  let stores: ReturnType<typeof localStores>;
  let events: DynamoDbEventStore;
  const tenant = 'ten_keys';
  const units: { command: string; wcu: number }[] = [];

  beforeAll(async () => {
    platform = await startTestPlatform({ startWorker: false });
    stores = localStores(platform);
    events = stores.events;
    stores.db.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as Record<string, unknown>;
        input.ReturnConsumedCapacity = 'TOTAL';
        const out = await next(args);
        const consumed = (
          out.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }
        ).ConsumedCapacity;
        const total = [consumed ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
        units.push({ command: String(context.commandName), wcu: total });
        return out;
      },
      { step: 'initialize', name: 'consumedCapacity' },
    );
  });
  afterAll(async () => {
    stores?.close();
    await platform?.stop();
  });

  const delivered = (at: string): DeliveryUpdate => ({
    status: 'DELIVERED',
    attempt_count: 1,
    round_attempts: 1,
    at,
    last_status_code: 200,
  });
  const writeUnits = () => units.filter((u) => !/Get|Query/.test(u.command)).reduce((t, u) => t + u.wcu, 0);

  it('a 1 KB event delivered on its first attempt costs three write units: accept, outcome, attempt', async () => {
    const nowMs = Date.now();
    const eventId = newId('evt', nowMs);
    const createdAt = new Date(nowMs).toISOString();
    const { type, data } = invoicePaid(7, nowMs);
    expect(JSON.stringify(data).length).toBeGreaterThan(900);

    units.length = 0;
    expect(
      await events.create({
        tenant_id: tenant,
        event_id: eventId,
        type,
        data,
        created_at: createdAt,
        webhook_ids: ['wh_1'],
      }),
    ).toBe(true);
    expect(writeUnits()).toBe(1);

    const seen = await events.get(tenant, eventId);
    expect(seen?.data).toEqual(data);
    const at = new Date(nowMs + 40).toISOString();
    units.length = 0;
    await events.putAttempt(tenant, {
      event_id: eventId,
      webhook_id: 'wh_1',
      attempt: 1,
      attempted_at: at,
      duration_ms: 40,
      outcome: 'success',
      status_code: 200,
      response: '{"received":true}',
    });
    expect(await events.claimAttempt(tenant, eventId, 'wh_1', delivered(at), seen)).toBe('settled');
    expect(writeUnits()).toBe(2);

    const found = await events.getWithAttempts(tenant, eventId);
    expect(found?.event.status).toBe('DELIVERED');
    expect(found?.event.deliveries.wh_1).toMatchObject({
      status: 'DELIVERED',
      attempt_count: 1,
      last_attempt_at: at,
    });
    expect(found?.attempts.map((a) => [a.attempt, a.attempted_at, a.status_code])).toEqual([[1, at, 200]]);
    const history = await events.attemptsByWebhook(tenant, 'wh_1', 10);
    expect(history.attempts.map((a) => a.event_id)).toEqual([eventId]);
  });

  it("a client's own id is found through its alias, listed by time, and unique", async () => {
    const createdAt = new Date().toISOString();
    const event = {
      tenant_id: tenant,
      type: 'order.paid',
      data: { order: 1 },
      created_at: createdAt,
      webhook_ids: ['wh_1'],
    };
    expect(await events.create({ ...event, event_id: 'order-1234' })).toBe(true);
    expect(
      await events.create({ ...event, event_id: 'order-1234', created_at: new Date().toISOString() }),
    ).toBe(false);

    // Another store (another function) has not seen it: it reads the alias, then the event.
    const other = localStores(platform).events;
    const read = await other.get(tenant, 'order-1234');
    expect(read).toMatchObject({
      event_id: 'order-1234',
      created_at: createdAt,
      status: 'PENDING',
      data: { order: 1 },
    });
    expect(await other.claimAttempt(tenant, 'order-1234', 'wh_1', delivered(createdAt), read)).toBe(
      'settled',
    );
    expect((await events.get(tenant, 'order-1234'))?.status).toBe('DELIVERED');

    const listed = await events.list(tenant, { limit: 100, created: { after: createdAt } });
    expect(listed.events.map((e) => e.event_id)).toContain('order-1234');
    expect(await events.get(tenant, 'order-9999')).toBeUndefined();
  });

  it('an id shaped like ours but made at another time is found, and one of ours cannot be taken again', async () => {
    const earlier = Date.now() - 3_600_000;
    const shaped = newId('evt', earlier);
    const createdAt = new Date().toISOString();
    const base = { tenant_id: tenant, type: 't', data: {}, webhook_ids: [] };
    expect(await events.create({ ...base, event_id: shaped, created_at: createdAt })).toBe(true);
    expect(await localStores(platform).events.get(tenant, shaped)).toMatchObject({
      event_id: shaped,
      created_at: createdAt,
      status: 'DELIVERED',
    });

    const nowMs = Date.now();
    const ours = newId('evt', nowMs);
    expect(await events.create({ ...base, event_id: ours, created_at: new Date(nowMs).toISOString() })).toBe(
      true,
    );
    // A client sending that id back as its own, later, is refused: the id is taken.
    expect(
      await events.create({ ...base, event_id: ours, created_at: new Date(nowMs + 5_000).toISOString() }),
    ).toBe(false);
  });

  it('a listed page of events, client ids included, is read back in one BatchGetItem (export)', async () => {
    const exportTenant = 'ten_export';
    const createdAt = new Date().toISOString();
    const ids = ['order-a', 'order-b', newId('evt', Date.parse(createdAt))];
    for (const id of ids) {
      await events.create({
        tenant_id: exportTenant,
        event_id: id,
        type: 't',
        data: { id },
        created_at: createdAt,
        webhook_ids: [],
      });
    }
    // A fresh store, as another API instance would be: it knows the keys from the list alone.
    const api = new DynamoDbEventStore(stores.db, platform.env[ENV.dataTable] ?? '', {
      cursors: new CursorCodec('test'),
      retentionDays: 30,
      sweepGraceMs: 60_000,
      reader: new BatchReader(stores.db),
    });
    const page = await api.list(exportTenant, { limit: 10 });
    expect(page.events.map((e) => e.event_id).sort()).toEqual([...ids].sort());
    units.length = 0;
    const full = await Promise.all(page.events.map((e) => api.get(exportTenant, e.event_id)));
    expect(full.map((e) => e?.data)).toEqual(page.events.map((e) => ({ id: e.event_id })));
    expect(units.map((u) => u.command)).toEqual(['BatchGetItemCommand']);
  });
});
