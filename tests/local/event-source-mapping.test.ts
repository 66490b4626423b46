import { randomBytes } from 'node:crypto';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startEventSourceMapping } from '@hookrelay/local';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SQSEvent } from 'aws-lambda';
import { eventually } from '../support/platform.js';

describe('the local event source mapping scales its pollers with the backlog', () => {
  let sqs: SQSClient;
  let queueUrl: string;

  beforeAll(async () => {
    sqs = new SQSClient({
      endpoint: process.env.TEST_SQS_ENDPOINT,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const out = await sqs.send(
      new CreateQueueCommand({
        QueueName: `esm-${randomBytes(4).toString('hex')}`,
        Attributes: { VisibilityTimeout: '60' },
      }),
    );
    queueUrl = out.QueueUrl ?? '';
  });
  afterAll(() => sqs?.destroy());

  const depth = async () => {
    const out = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) +
      Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  };

  it('adds pollers while messages wait, never more than its maximum, and lets them go when the queue is empty', async () => {
    const total = 400;
    for (let i = 0; i < total; i += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Array.from({ length: 10 }, (_, j) => ({ Id: String(j), MessageBody: String(i + j) })),
        }),
      );
    }
    const seen = new Map<string, number>();
    let running = 0;
    let mostAtOnce = 0;
    // Each invocation holds its batch a while, as one with a slow endpoint in it does.
    const handler = async (event: SQSEvent) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await new Promise((r) => setTimeout(r, 150));
      for (const r of event.Records) seen.set(r.body, (seen.get(r.body) ?? 0) + 1);
      running -= 1;
      return { batchItemFailures: [] };
    };
    const mapping = await startEventSourceMapping({
      sqs,
      queueUrl,
      handler,
      batchSize: 10,
      concurrency: 8,
      minimumConcurrency: 2,
      waitTimeSeconds: 1,
    });
    try {
      await eventually(async () => (seen.size === total ? true : undefined), 30_000);
      // Every message handled once, by more invocations at once than the pollers it started with.
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
      expect(mostAtOnce).toBeGreaterThan(2);
      expect(mostAtOnce).toBeLessThanOrEqual(8);
      expect(mapping.stats().peakPollers).toBeLessThanOrEqual(8);
      expect(await depth()).toBe(0);
      // With the queue empty, the extra pollers go; the minimum stays.
      await eventually(async () => (mapping.stats().pollers === 2 ? true : undefined), 15_000);
    } finally {
      await mapping.stop();
    }
    expect(mapping.stats().pollers).toBe(0);
  });
});

describe("the mapping's batching window", () => {
  let sqs: SQSClient;

  beforeAll(() => {
    sqs = new SQSClient({
      endpoint: process.env.TEST_SQS_ENDPOINT,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(() => sqs?.destroy());

  const trickle = async (batchingWindowSeconds: number) => {
    const out = await sqs.send(
      new CreateQueueCommand({
        QueueName: `esm-window-${randomBytes(4).toString('hex')}`,
        Attributes: { VisibilityTimeout: '60' },
      }),
    );
    const queueUrl = out.QueueUrl ?? '';
    const batches: number[] = [];
    const esm = await startEventSourceMapping({
      sqs,
      queueUrl,
      handler: async (event: SQSEvent) => {
        batches.push(event.Records.length);
        return { batchItemFailures: [] };
      },
      concurrency: 2,
      minimumConcurrency: 1,
      batchingWindowSeconds,
    });
    // Eight messages, one every 50 ms: a tenant sending a few events a second.
    for (let i = 0; i < 8; i++) {
      await sqs.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: '0', MessageBody: String(i) }] }),
      );
      await new Promise((r) => setTimeout(r, 50));
    }
    await eventually(async () => (batches.reduce((a, b) => a + b, 0) === 8 ? true : undefined));
    await esm.stop();
    return batches;
  };

  it('gathers what arrives within the window into one invocation, as Lambda does; without one, each poll is a batch', async () => {
    const windowed = await trickle(1);
    expect(windowed.length).toBeLessThanOrEqual(2);
    const immediate = await trickle(0);
    expect(immediate.length).toBeGreaterThan(windowed.length);
  });
});
