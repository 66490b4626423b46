import { PurgeQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ENV } from '@hookrelay/definitions';
import { newId, type Webhook } from '@hookrelay/domain';
import {
  BatchReader,
  BatchWriter,
  DynamoDbEventStore,
  DynamoDbSecretStore,
  DynamoDbWebhookStore,
} from '@hookrelay/dynamodb';
import { SqsDeliveryQueue } from '@hookrelay/sqs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { localStores } from '../support/stores.js';

/*
 * The worker's reads by key, gathered: what a batch of messages asks for in the same moment
 * goes to DynamoDB Local as BatchGetItem requests, counted here command by command.
 */
describe('reads gathered into BatchGetItem', () => {
  let platform: TestPlatform;
  let stores: ReturnType<typeof localStores>;
  const commands: string[] = [];
  const tenant = `reader-${Date.now()}`;

  beforeAll(async () => {
    platform = await startTestPlatform({ startWorker: false });
    stores = localStores(platform);
    stores.db.middlewareStack.add(
      (next, context) => async (args) => {
        commands.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'countCommands' },
    );
  });
  afterAll(async () => {
    stores?.close();
    await platform?.stop();
  });

  const purge = (queueUrl: string) => stores.sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));

  const webhook = (id: string): Webhook => ({
    tenant_id: tenant,
    id,
    url: 'http://127.0.0.1:9/hook',
    events: [],
    active: true,
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    delivery_success_count: 0,
    delivery_failure_count: 0,
  });

  it('reads a batch of events, webhooks and secrets in one request per consistency', async () => {
    const table = platform.env[ENV.dataTable] ?? '';
    const reader = new BatchReader(stores.db);
    const events = new DynamoDbEventStore(stores.db, table, {
      retentionDays: 30,
      sweepGraceMs: 60_000,
      reader,
    });
    const webhooks = new DynamoDbWebhookStore(stores.db, table, reader);
    const secrets = new DynamoDbSecretStore(stores.db, platform.env[ENV.secretsTable] ?? '', reader);
    const at = Date.now();
    // Made as the API makes them: the id tells the creation time, so each is one read by key.
    const ids = Array.from({ length: 10 }, () => newId('evt', at));
    for (const [i, id] of ids.entries()) {
      await stores.events.create({
        tenant_id: tenant,
        event_id: id,
        type: 'invoice.paid',
        data: { n: i },
        created_at: new Date(at).toISOString(),
        webhook_ids: ['wh_a'],
      });
    }
    await stores.webhooks.create(webhook('wh_a'));
    await stores.webhooks.create(webhook('wh_b'));
    await stores.secrets.put(tenant, 'wh_a', [{ secret: 'whsec_a' }]);

    commands.length = 0;
    const [read, hooks, signing] = await Promise.all([
      Promise.all([...ids, 'evt_missing'].map((id) => events.get(tenant, id))),
      // The same webhook asked for by several messages is read once.
      Promise.all(['wh_a', 'wh_a', 'wh_b', 'wh_gone'].map((id) => webhooks.get(tenant, id))),
      Promise.all(['wh_a', 'wh_b'].map((id) => secrets.get(tenant, id, Date.now()))),
    ]);

    // Events are read consistently, webhooks and secrets not: two requests, not seventeen.
    expect(commands).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand']);
    expect(read.slice(0, 10).map((e) => e?.event_id)).toEqual(ids);
    expect(read.slice(0, 10).map((e) => e?.data)).toEqual(ids.map((_, i) => ({ n: i })));
    expect(read[10]).toBeUndefined();
    expect(hooks.map((w) => w?.id)).toEqual(['wh_a', 'wh_a', 'wh_b', undefined]);
    expect(signing.map((s) => s.map((x) => x.secret))).toEqual([['whsec_a'], []]);
  });

  it('splits more than 100 keys into requests of at most 100', async () => {
    const table = platform.env[ENV.dataTable] ?? '';
    const reader = new BatchReader(stores.db);
    const webhooks = new DynamoDbWebhookStore(stores.db, table, reader);
    commands.length = 0;
    const ids = Array.from({ length: 150 }, (_, i) => `wh_${i}`);
    const found = await Promise.all(ids.map((id) => webhooks.get(tenant, id)));
    expect(commands).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand']);
    expect(found.filter((w) => w !== undefined).map((w) => w?.id)).toEqual([]);
  });

  it('one key asked twice, its attributes in another order, is read once and answers both', async () => {
    const table = platform.env[ENV.dataTable] ?? '';
    const reader = new BatchReader(stores.db);
    commands.length = 0;
    const [a, b] = await Promise.all([
      reader.get(table, { pk: `T#${tenant}`, sk: 'WH#wh_same' }),
      reader.get(table, { sk: 'WH#wh_same', pk: `T#${tenant}` }),
    ]);
    expect([a, b]).toEqual([undefined, undefined]);
    expect(commands).toEqual(['BatchGetItemCommand']);
  });

  it('reads asked at different moments go in different requests, each answered', async () => {
    const table = platform.env[ENV.dataTable] ?? '';
    const reader = new BatchReader(stores.db);
    const webhooks = new DynamoDbWebhookStore(stores.db, table, reader);
    commands.length = 0;
    const first = await webhooks.get(tenant, 'wh_a');
    const second = await webhooks.get(tenant, 'wh_b');
    expect([first?.id, second?.id]).toEqual(['wh_a', 'wh_b']);
    expect(commands).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand']);
  });

  it('writes attempts finished within the linger in one BatchWriteItem, each put answered after its write', async () => {
    const table = platform.env[ENV.dataTable] ?? '';
    const events = new DynamoDbEventStore(stores.db, table, {
      retentionDays: 30,
      sweepGraceMs: 60_000,
      writer: new BatchWriter(stores.db, 20),
    });
    const eventId = newId('evt');
    await stores.events.create({
      tenant_id: tenant,
      event_id: eventId,
      type: 'invoice.paid',
      data: {},
      created_at: new Date().toISOString(),
      webhook_ids: Array.from({ length: 30 }, (_, i) => `wh_${i}`),
    });
    commands.length = 0;
    const attempt = (i: number) => ({
      event_id: eventId,
      webhook_id: `wh_${i}`,
      attempt: 1,
      attempted_at: new Date().toISOString(),
      duration_ms: 12,
      outcome: 'success' as const,
      status_code: 200,
    });
    // Thirty attempts finishing a few milliseconds apart: 25 fill one request, 5 the next.
    const written = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i % 3));
        await events.putAttempt(tenant, attempt(i));
        // Once a put has answered, its attempt is there to read, in its webhook's history.
        const found = await stores.events.attemptsByWebhook(tenant, `wh_${i}`, 10);
        return found.attempts.some((a) => a.event_id === eventId);
      }),
    );
    expect(written.every(Boolean)).toBe(true);
    expect(commands.filter((c) => c === 'BatchWriteItemCommand')).toHaveLength(2);
    expect(commands).not.toContain('PutItemCommand');
  });

  it('one key put twice within the linger (a delivery handed out twice) is one write, both puts answered', async () => {
    const table = platform.env[ENV.dataTable] ?? '';
    const writer = new BatchWriter(stores.db, 20);
    commands.length = 0;
    const key = { pk: `T#${tenant}#twice`, sk: 'A#2026-12-06T00:00:00.000Z#evt_twice#1' };
    await Promise.all([
      writer.put(table, { ...key, outcome: 'first' }),
      writer.put(table, { ...key, outcome: 'second' }),
    ]);
    expect(commands).toEqual(['BatchWriteItemCommand']);
    const reader = new BatchReader(stores.db);
    expect(await reader.get(table, key, { consistent: true })).toMatchObject({ outcome: 'second' });
  });

  it('gathers the single sends and releases a worker makes at once into batch requests', async () => {
    const sqsCommands: string[] = [];
    stores.sqs.middlewareStack.add(
      (next, context) => async (args) => {
        sqsCommands.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'countSqsCommands' },
    );
    const queueUrl = platform.env[ENV.deliveryQueueUrl] ?? '';
    const gathering = new SqsDeliveryQueue(stores.sqs, queueUrl, platform.env[ENV.dlqUrl] ?? '', undefined, {
      gather: true,
    });
    const message = (n: number) => ({
      v: 1 as const,
      tenant_id: tenant,
      event_id: `evt_gather_${n}`,
      webhook_id: 'wh_a',
      attempt: 1,
    });
    // Twelve records of a batch each hand their message back at the same moment.
    await Promise.all(
      Array.from({ length: 12 }, (_, n) => gathering.send([{ message: message(n), delaySeconds: 0 }])),
    );
    expect(sqsCommands).toEqual(['SendMessageBatchCommand', 'SendMessageBatchCommand']);
    const taken = await stores.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    const handles = (taken.Messages ?? []).map((m) => m.ReceiptHandle ?? '');
    expect(handles.length).toBeGreaterThan(1);
    sqsCommands.length = 0;
    await Promise.all(handles.map((h) => gathering.release('main', h)));
    await new Promise((r) => setTimeout(r, 200));
    expect(sqsCommands).toEqual(['DeleteMessageBatchCommand']);
    await purge(queueUrl);
  });
});
