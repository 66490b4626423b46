import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ENV } from '@hookrelay/definitions';
import { latencyBin, tallyCounters } from '@hookrelay/domain';
import { DynamoDbDeliveryCounterStore } from '@hookrelay/dynamodb';
import { asFunction } from '@hookrelay/local';
import { BatchedCounters } from '@hookrelay/worker/batched-counters';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { localStores } from '../support/stores.js';

/*
 * The delivery counters on DynamoDB Local, written as the worker writes them and read as the API
 * reads them: each through its function's IAM grants (a refused call fails the file).
 */
describe('delivery counters', () => {
  let platform: TestPlatform;
  let stores: ReturnType<typeof localStores>;
  let store: DynamoDbDeliveryCounterStore;
  let table: string;
  /** Write units of each UpdateItem, as DynamoDB reports them. */
  const units: number[] = [];

  beforeAll(async () => {
    platform = await startTestPlatform({ startWorker: false });
    stores = localStores(platform);
    table = platform.env[ENV.dataTable] ?? '';
    store = new DynamoDbDeliveryCounterStore(stores.db, table, { retentionDays: 30 });
    stores.db.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'UpdateItemCommand') return next(args);
        (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
        const out = await next(args);
        units.push(
          (out.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity?.CapacityUnits ??
            0,
        );
        return out;
      },
      { step: 'initialize', name: 'consumedCapacity' },
    );
  });
  afterAll(async () => {
    stores?.close();
    await platform?.stop();
  });

  const at = (h: number, m: number, s = 0) => new Date(Date.UTC(2026, 0, 1, h, m, s)).toISOString();

  it('adds what many worker instances flush at once to the same bucket: no count is lost', async () => {
    // 20 instances, each with a batch of 10 attempts on the same webhook in the same minute.
    await Promise.all(
      Array.from({ length: 20 }, async (_, instance) => {
        const batch = new BatchedCounters(store);
        for (let i = 0; i < 10; i++) {
          batch.record('count-a', 'wh_busy', {
            at: at(10, 1, i),
            success: i % 5 !== 0,
            duration_ms: 20 + instance * 10 + i,
            ...(i % 5 !== 0 ? { ended: 'DELIVERED' as const } : {}),
          });
        }
        await asFunction('worker', () => batch.flush());
      }),
    );
    const [five] = await asFunction('api', () =>
      store.read('count-a', 'wh_busy', '5m', { after: at(10, 0), before: at(10, 5) }),
    );
    const [hour] = await asFunction('api', () =>
      store.read('count-a', 'wh_busy', '1h', { after: at(10, 0), before: at(11, 0) }),
    );
    for (const counts of [five, hour]) {
      expect(counts).toMatchObject({ succeeded: 160, failed: 40, delivered: 160, exhausted: 0 });
      expect(Object.values(counts?.latency ?? {}).reduce((a, b) => a + b, 0)).toBe(200);
      expect(counts?.last_failure_at).toBe(at(10, 1, 5));
    }
  });

  it('reads the buckets that start in [after, before), oldest first', async () => {
    const samples = [at(9, 58), at(10, 0), at(10, 4, 59), at(10, 5), at(10, 12)].map((t) => ({
      at: t,
      success: true,
      duration_ms: 100,
    }));
    await asFunction('worker', async () => {
      for (const counts of tallyCounters(samples)) await store.add('count-b', 'wh_a', counts);
    });
    const read = await asFunction('api', () =>
      store.read('count-b', 'wh_a', '5m', { after: at(10, 0), before: at(10, 10) }),
    );
    expect(read.map((c) => [c.start, c.succeeded])).toEqual([
      [at(10, 0), 2],
      [at(10, 5), 1],
    ]);
    // Another tenant, or another webhook, sees none of them.
    expect(await store.read('count-x', 'wh_a', '5m', { after: at(10, 0), before: at(10, 10) })).toEqual([]);
    expect(await store.read('count-b', 'wh_b', '5m', { after: at(10, 0), before: at(10, 10) })).toEqual([]);
  });

  it('expires hourly counters with the attempts they count, 5-minute ones after two days', async () => {
    await asFunction('worker', async () => {
      for (const counts of tallyCounters([{ at: at(10, 7), success: false, duration_ms: 10_000 }])) {
        await store.add('count-c', 'wh_a', counts);
      }
    });
    const items = await Promise.all(
      [
        ['5m', at(10, 5)],
        ['1h', at(10, 0)],
      ].map(async ([size, start]) => {
        const key = { pk: { S: `T#count-c#C#wh_a#${size}` }, sk: { S: start ?? '' } };
        const item = (await stores.db.send(new GetItemCommand({ TableName: table, Key: key }))).Item;
        return {
          expires_at: Number(item?.expires_at?.N),
          failed: Number(item?.failed?.N),
          bin: Number(item?.[`l${latencyBin(10_000)}`]?.N),
        };
      }),
    );
    expect(items[0]?.expires_at).toBe(Date.parse(at(10, 10)) / 1000 + 2 * 86_400);
    expect(items[1]?.expires_at).toBe(Date.parse(at(11, 0)) / 1000 + 30 * 86_400);
    expect(items[1]).toMatchObject({ failed: 1, bin: 1 });
  });

  it('an hour of a busy endpoint (about every latency bin from 1 ms to 20 s) still costs one write unit', async () => {
    const samples = Array.from({ length: 2_000 }, (_, i) => ({
      at: at(12, Math.floor(i / 40)),
      success: i % 7 !== 0,
      duration_ms: Math.round(1.005 ** i), // 1 ms to about 21 s
      ended: 'DELIVERED' as const,
    }));
    const hour = tallyCounters(samples).find((c) => c.size === '1h');
    if (!hour) throw new Error('no hourly bucket');
    await store.add('count-d', 'wh_a', hour);
    // The same item after many such batches: the same attributes, larger numbers.
    units.length = 0;
    await store.add('count-d', 'wh_a', {
      ...hour,
      succeeded: 1_000_000,
      latency: Object.fromEntries(Object.keys(hour.latency).map((bin) => [bin, 123_456])),
    });
    expect(Object.keys(hour.latency).length).toBeGreaterThan(95);
    expect(units).toEqual([1]);
  });
});
