import { ENV } from '@hookrelay/definitions';
import { newId } from '@hookrelay/domain';
import { DynamoDbEventStore } from '@hookrelay/dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { localStores } from '../support/stores.js';

/*
 * What the export reads per page: the listed events' data by key, up to 100 keys per
 * BatchGetItem on DynamoDB Local, counted command by command; and keys DynamoDB leaves
 * unprocessed (as it does when throttled) asked again.
 */
describe('the export reads a page of events in BatchGetItem requests', () => {
  let platform: TestPlatform;
  let stores: ReturnType<typeof localStores>;
  let events: DynamoDbEventStore;
  const commands: string[] = [];
  /** How many keys to hand back as unprocessed on the next BatchGetItem answer. */
  let unprocess = 0;
  const tenant = `exporter-${Date.now()}`;
  const listed: { event_id: string; created_at: string }[] = [];

  beforeAll(async () => {
    platform = await startTestPlatform({ startWorker: false });
    stores = localStores(platform);
    stores.db.middlewareStack.add(
      (next, context) => async (args) => {
        commands.push(String(context.commandName));
        const result = await next(args);
        const output = result.output as {
          Responses?: Record<string, Record<string, unknown>[]>;
          UnprocessedKeys?: Record<string, { Keys: Record<string, unknown>[] }>;
        };
        if (context.commandName === 'BatchGetItemCommand' && unprocess > 0) {
          const [table, items = []] = Object.entries(output.Responses ?? {})[0] ?? [];
          if (table) {
            const held = items.splice(0, unprocess);
            unprocess = 0;
            output.UnprocessedKeys = { [table]: { Keys: held.map((i) => ({ pk: i.pk, sk: i.sk })) } };
          }
        }
        return result;
      },
      { step: 'initialize', name: 'countCommands' },
    );
    events = new DynamoDbEventStore(stores.db, platform.env[ENV.dataTable] ?? '', {
      retentionDays: 30,
      sweepGraceMs: 60_000,
    });
    const at = Date.now() - 60_000;
    for (let i = 0; i < 150; i++) {
      const created_at = new Date(at + i).toISOString();
      const event_id = newId('evt', at + i);
      await stores.events.create({
        tenant_id: tenant,
        event_id,
        type: 'export.read',
        data: { n: i },
        created_at,
        webhook_ids: ['wh_a'],
      });
      listed.push({ event_id, created_at });
    }
  });
  afterAll(async () => {
    stores?.close();
    await platform?.stop();
  });

  it('reads 150 listed events in two requests, in the order listed, a gone one as undefined', async () => {
    commands.length = 0;
    const gone = { event_id: newId('evt', Date.now()), created_at: new Date().toISOString() };
    const wanted = [...listed.slice(0, 75), gone, ...listed.slice(75)].reverse();
    const found = await events.getMany(tenant, wanted);
    expect(found.map((e) => e?.event_id)).toEqual(wanted.map((w) => (w === gone ? undefined : w.event_id)));
    expect(found.map((e) => e?.data)).toEqual(
      wanted.map((w) => (w === gone ? undefined : { n: listed.indexOf(w) })),
    );
    expect(commands).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand']);
  });

  it('asks again for the keys DynamoDB left unprocessed', async () => {
    commands.length = 0;
    unprocess = 40;
    const found = await events.getMany(tenant, listed.slice(0, 100));
    expect(found.map((e) => e?.event_id)).toEqual(listed.slice(0, 100).map((l) => l.event_id));
    expect(commands).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand']);
  });

  it("never reads another tenant's events", async () => {
    const found = await events.getMany(`${tenant}-other`, listed.slice(0, 3));
    expect(found).toEqual([undefined, undefined, undefined]);
  });
});
