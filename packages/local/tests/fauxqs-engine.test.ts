import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { listeningAddresses } from './listening-addresses.js';

/*
 * fauxqs as the local platform runs it: on persistent data (a dataDir), on loopback. Where
 * AWS accepts a call, the engine must too, and keep what it accepted across a restart.
 */
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const dir = mkdtempSync(join(tmpdir(), 'hookrelay-fauxqs-'));
let running: { server: FauxqsServer; sqs: SQSClient; s3: S3Client } | undefined;

const start = async (name: string) => {
  const server = await startFauxqs({
    port: 0,
    listenHost: '127.0.0.1',
    logger: false,
    dataDir: join(dir, name),
  });
  const endpoint = `http://127.0.0.1:${server.port}`;
  running = {
    server,
    sqs: new SQSClient({ endpoint, region: 'us-east-1', credentials }),
    s3: new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true }),
  };
  return running;
};
const stop = async () => {
  running?.sqs.destroy();
  running?.s3.destroy();
  await running?.server.stop();
  running = undefined;
};
afterEach(stop);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const queueIn = async (sqs: SQSClient, name: string) =>
  (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? '';
const receive = (sqs: SQSClient, queueUrl: string, visibility = 30) =>
  sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: visibility,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }),
  );

describe('fauxqs on persistent data', () => {
  it('makes a message visible again with a visibility of 0, and keeps it across a restart', async () => {
    const { sqs } = await start('visibility');
    const queueUrl = await queueIn(sqs, 'released');
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'dead letter' }));
    const [held] = (await receive(sqs, queueUrl)).Messages ?? [];
    expect(held?.Body).toBe('dead letter');

    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: held?.ReceiptHandle ?? '',
        VisibilityTimeout: 0,
      }),
    );
    const again = (await receive(sqs, queueUrl)).Messages ?? [];
    expect(again.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([['dead letter', '2']]);

    // Released once more, then the engine restarts on the same data: the message is there.
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: again[0]?.ReceiptHandle ?? '',
        VisibilityTimeout: 0,
      }),
    );
    await stop();
    const restarted = await start('visibility');
    const kept = (await receive(restarted.sqs, queueUrl)).Messages ?? [];
    expect(kept.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([['dead letter', '3']]);
  });

  it('accepts characters outside the Basic Multilingual Plane in a message body, as SQS does', async () => {
    const { sqs } = await start('unicode');
    const queueUrl = await queueIn(sqs, 'emoji');
    const body = JSON.stringify({ commits: [{ message: 'Ship it 🚀 (𝒻𝒶𝓈𝓉)' }] });
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    const batch = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'a', MessageBody: `${body} 🎉` }] }),
    );
    expect(batch.Failed ?? []).toEqual([]);
    await stop();
    const restarted = await start('unicode');
    const bodies = ((await receive(restarted.sqs, queueUrl)).Messages ?? []).map((m) => m.Body).sort();
    expect(bodies).toEqual([body, `${body} 🎉`].sort());
  });

  it('still refuses a control character in a message body', async () => {
    const { sqs } = await start('refused');
    const queueUrl = await queueIn(sqs, 'control');
    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'bell \u0007' })),
    ).rejects.toMatchObject({ name: expect.stringContaining('InvalidMessageContents') });
  });

  it("a FIFO receive takes as many of a group's messages as it may, in order; back from flight they keep that order", async () => {
    const { sqs } = await start('fifo-groups');
    const queueUrl = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: 'line.fifo',
          Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
        }),
      )
    ).QueueUrl as string;
    for (const [group, n] of [
      ['a', 1],
      ['a', 2],
      ['b', 1],
      ['a', 3],
    ] as const) {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `${group}${n}`, MessageGroupId: group }),
      );
    }
    const first = (await receive(sqs, queueUrl)).Messages ?? [];
    expect(first.map((m) => m.Body).sort()).toEqual(['a1', 'a2', 'a3', 'b1']);
    expect(first.map((m) => m.Body).filter((b) => b?.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    // Both groups are locked behind what is in flight.
    expect((await receive(sqs, queueUrl)).Messages ?? []).toEqual([]);
    // Released one by one, in any order, group a comes back in the order it was sent.
    for (const m of [...first].reverse()) {
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: m.ReceiptHandle ?? '',
          VisibilityTimeout: 0,
        }),
      );
    }
    const again = (await receive(sqs, queueUrl)).Messages ?? [];
    expect(again.map((m) => m.Body).filter((b) => b?.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
  });

  it('reads a range of an object, as S3 does for GetObject with Range', async () => {
    const { s3 } = await start('range');
    await s3.send(new CreateBucketCommand({ Bucket: 'archive' }));
    await s3.send(new PutObjectCommand({ Bucket: 'archive', Key: 'batch', Body: '{"a":1}{"b":"é"}' }));
    const out = await s3.send(new GetObjectCommand({ Bucket: 'archive', Key: 'batch', Range: 'bytes=7-16' }));
    expect(await out.Body?.transformToString('utf8')).toBe('{"b":"é"}');
  });

  it("stores a form-encoded object's bytes as they were sent", async () => {
    const { s3 } = await start('form');
    await s3.send(new CreateBucketCommand({ Bucket: 'archive' }));
    const form = 'token=gIkuvaNzQIHg97ATvDxqgjtO&command=%2Fweather&text=94070&text=again';
    await s3.send(
      new PutObjectCommand({
        Bucket: 'archive',
        Key: 'slack/1',
        Body: form,
        ContentType: 'application/x-www-form-urlencoded',
      }),
    );
    await stop();
    const restarted = await start('form');
    const object = await restarted.s3.send(new GetObjectCommand({ Bucket: 'archive', Key: 'slack/1' }));
    expect(object.ContentType).toBe('application/x-www-form-urlencoded');
    expect(await object.Body?.transformToString()).toBe(form);
  });

  it('listens on loopback only when told to', async () => {
    const { server } = await start('loopback');
    expect(listeningAddresses(server.port)).toEqual(['127.0.0.1']);
  });
});
