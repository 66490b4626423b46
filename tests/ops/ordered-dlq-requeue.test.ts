import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { ENV, queueNameOf, queues } from '@hookrelay/definitions';
import { orderingGroupOf, type PlannedEvent, planEvent } from '@hookrelay/domain';
import type { DeadLetterListing } from '@hookrelay/ops-cli';
import { SqsDeliveryQueue } from '@hookrelay/sqs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';
import { localStores } from '../support/stores.js';
import { cli, stageEnv } from './ops-support.js';

const TENANT = 'ordered-dlq';
const dataOf = (body: string) => (JSON.parse(body) as { data: { key: string; n: number } }).data;

let platform: TestPlatform;
let receiver: TestReceiver;
let stores: ReturnType<typeof localStores>;
let sqs: SQSClient;

beforeAll(async () => {
  platform = await startTestPlatform();
  receiver = await startReceiver(() => ({ status: 200 }));
  stores = localStores(platform);
  sqs = new SQSClient({
    endpoint: platform.sqsEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  sqs?.destroy();
  stores?.close();
  await receiver?.close();
  await platform?.stop();
});

const urlOf = async (name: string) => {
  const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl ?? '';
  return new URL(new URL(url).pathname, platform.sqsEndpoint).toString();
};

const lineIsEmpty = async (lineUrl: string) => {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: lineUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(out.Attributes?.ApproximateNumberOfMessages) +
      Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible) ===
    0
  );
};

describe('the ordered line’s DLQ: peek and requeue into the line', () => {
  it('puts each PENDING delivery back into its key’s line in the DLQ’s order, drops what was never accepted, keeps what it cannot read', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const tenant = client(
      platform.apiUrl,
      (await admin.request('POST', '/v1/tenants', { tenant_id: TENANT })).body.api_key,
    );
    const made = await tenant.request('POST', '/v1/webhooks', {
      url: `${receiver.url}/line`,
      ordering: 'per_key',
    });
    expect(made.status).toBe(201);
    const webhookId = made.body.webhook.id as string;
    const webhooks = await stores.webhooks.list(TENANT);

    // Planned as the API plans them, ten minutes ago: their messages' commit window has passed.
    const at = Date.now() - 600_000;
    const plan = (key: string, n: number): PlannedEvent =>
      planEvent(
        TENANT,
        { id: `evt_${key}${n}`, type: 'customer.updated', data: { key, n }, ordering_key: key },
        webhooks,
        at,
      );
    const a = [plan('a', 1), plan('a', 2), plan('a', 3)];
    const b = [plan('b', 1)];
    const neverWritten = plan('c', 1);
    const all = [...a, ...b, neverWritten];
    expect(all.every((p) => p.messages.length === 1 && p.messages[0]?.group !== undefined)).toBe(true);

    // Their first trip through the line, as the producer made it: the worker drops each (the
    // event is not written), but SQS remembers each message's deduplication id for 5 minutes.
    const lineUrl = platform.env[ENV.orderedQueueUrl] ?? '';
    const line = new SqsDeliveryQueue(sqs, platform.env[ENV.deliveryQueueUrl] ?? '', undefined, undefined, {
      orderedQueueUrl: lineUrl,
    });
    for (const p of all) await line.send(p.messages);
    await eventually(async () => ((await lineIsEmpty(lineUrl)) ? true : undefined), 30_000);
    expect(receiver.requests).toHaveLength(0);

    // What SQS's redrive leaves in the ordered DLQ: the same bodies in the same groups, in line
    // order, with an unreadable message at the head of key b's group.
    const dlqName = queueNameOf(queues.orderedDlq, platform.env.STAGE ?? '');
    const dlqUrl = await urlOf(dlqName);
    const dlq = new SqsDeliveryQueue(sqs, platform.env[ENV.deliveryQueueUrl] ?? '', undefined, undefined, {
      orderedQueueUrl: dlqUrl,
    });
    for (const p of a) await dlq.send(p.messages);
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: dlqUrl,
        MessageBody: 'not a delivery',
        MessageGroupId: orderingGroupOf(TENANT, webhookId, 'b'),
        MessageDeduplicationId: 'garbage',
      }),
    );
    for (const p of [...b, neverWritten]) await dlq.send(p.messages);
    for (const p of [...a, ...b]) expect(await stores.events.create(p.event)).toBe(true);

    const env = { ...stageEnv(platform), QUEUE: 'ordered' };
    const peek = await cli(['dlq-peek', '--json'], env);
    expect(peek.code).toBe(0);
    const listing = JSON.parse(peek.out) as DeadLetterListing;
    expect(listing.queue).toBe(dlqName);
    // One receive takes as many of a group's messages as it may, in order, as SQS does: all of
    // a, the garbage with b behind it, c.
    // The line counts attempts in the delivery's record, not in the message: none is shown.
    expect(listing.messages.find((m) => m.event_id === 'evt_a1')).toMatchObject({
      tenant_id: TENANT,
      webhook_id: webhookId,
      reason: 'redriven after repeated processing failures',
    });
    expect(listing.messages.every((m) => m.attempts === undefined)).toBe(true);
    expect(listing.messages.map((m) => m.event_id ?? m.reason).sort()).toEqual([
      'evt_a1',
      'evt_a2',
      'evt_a3',
      'evt_b1',
      'evt_c1',
      'unreadable',
    ]);

    const requeue = await cli(['dlq-requeue'], env);
    // b's delivery stays behind its unreadable head in the same batch: counted as not requeued.
    expect(requeue.out).toBe('{"requeued": 3, "failed": 2}\n');
    expect(requeue.code).toBe(1);
    expect(requeue.err).toContain(`in ${dlqName}: not a delivery message`);

    // Key a, in its order, each once; b stays behind its unreadable head; c was never accepted.
    await eventually(async () => (receiver.requests.length >= 3 ? true : undefined), 30_000);
    for (const p of a) {
      await eventually(async () => {
        const got = await tenant.request('GET', `/v1/events/${p.event.event_id}`);
        return got.body.status === 'DELIVERED' ? true : undefined;
      }, 30_000);
    }
    expect(receiver.requests.map((r) => dataOf(r.body))).toEqual([
      { key: 'a', n: 1 },
      { key: 'a', n: 2 },
      { key: 'a', n: 3 },
    ]);
    expect((await tenant.request('GET', '/v1/events/evt_b1')).body.status).toBe('PENDING');
    const left = JSON.parse((await cli(['dlq-peek', '--json'], env)).out) as DeadLetterListing;
    // What is left: b's group, its unreadable head and b's delivery behind it.
    expect(left.messages.map((m) => m.event_id ?? m.reason)).toEqual(['unreadable', 'evt_b1']);
  }, 120_000);

  it('names the queues it knows when QUEUE is something else', async () => {
    const run = await cli(['dlq-requeue'], { ...stageEnv(platform), QUEUE: 'fifo' });
    expect(run.code).toBe(2);
    expect(run.err).toContain('QUEUE must be "deliveries", "ordered" or "inbound", not "fifo"');
  });
});
