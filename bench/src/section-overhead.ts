import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { lambdaContext, proxyEvent } from '@hookrelay/local';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { Agent } from 'undici';
import { type FloorTarget, floorCountBatch, floorDeliver, floorIngest } from './floor.js';
import {
  createTenant,
  enginesFromEnv,
  type Harness,
  POLL_WAIT_SECONDS,
  pool,
  type Receiver,
  startHarness,
  startReceiver,
} from './harness.js';
import { invoicePaid } from './payload.js';
import { QUICK, runSection, say } from './section.js';
import { median, sum } from './stats.js';

/**
 * Overhead against the floor, in one process with real DynamoDB Local and fauxqs: the ingest
 * handler (invoked directly with the proxy event the gateway builds) against the same
 * DynamoDB and SQS calls made bare; the delivery path (event source mapping, worker, signed
 * POST to a loopback receiver, deletes) against bare pollers doing the same reads, POST,
 * writes and deletes. Ours and the floor alternate (ABBA) so drift hits both alike.
 */

const INGEST = QUICK
  ? { warmupSeconds: 6, rounds: 4, seconds: 3, concurrency: 8 }
  : { warmupSeconds: 6, rounds: 6, seconds: 6, concurrency: 8 };
const DELIVERY = QUICK
  ? { warmup: 500, rounds: 3, messages: 400, pollers: 4 }
  : { warmup: 1000, rounds: 4, messages: 1000, pollers: 4 };

const runFor = async (seconds: number, concurrency: number, op: (i: number) => Promise<void>) => {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await op(next++);
        done++;
      }
    }),
  );
  return { ops: done, seconds: (performance.now() - started) / 1000 };
};

/**
 * Ours against the floor: the median of the rounds' ratios (each round pairs one run of ours
 * with the adjacent run of the floor), so that one round disturbed by something else on the
 * machine does not decide it; the ratio of the totals is reported beside it.
 */
const ratioOf = (ours: { ops: number; seconds: number }[], floor: { ops: number; seconds: number }[]) => {
  const rate = (list: { ops: number; seconds: number }[]) =>
    sum(list.map((r) => r.ops)) / sum(list.map((r) => r.seconds));
  const o = rate(ours);
  const f = rate(floor);
  const pairs = ours.flatMap((r, i) => {
    const fr = floor[i];
    return fr ? [r.ops / r.seconds / (fr.ops / fr.seconds)] : [];
  });
  const two = (n: number) => Math.round(n * 100) / 100;
  return {
    ours_per_s: Math.round(o),
    floor_per_s: Math.round(f),
    ratio: two(median(pairs)),
    ratio_of_totals: two(o / f),
    ratio_per_round: pairs.map(two),
  };
};

/** Delivers `n` queued messages through the worker behind the event source mapping. */
const oursDeliver = async (h: Harness, receiver: Receiver, n: number) => {
  const target = receiver.receipts.length + n;
  const started = performance.now();
  await h.startWorker(DELIVERY.pollers);
  await receiver.waitFor(target, 180_000);
  const seconds = (performance.now() - started) / 1000;
  await h.stopWorker();
  return { ops: n, seconds };
};

/** Delivers `n` queued messages with bare pollers: receive 10, deliver them concurrently, delete. */
const floorDeliverAll = async (t: FloorTarget, agent: Agent, receiver: Receiver, n: number) => {
  const target = receiver.receipts.length + n;
  let running = true;
  const started = performance.now();
  const poller = async () => {
    while (running) {
      const out = await t.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: t.queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: POLL_WAIT_SECONDS,
        }),
      );
      const messages = out.Messages ?? [];
      if (messages.length === 0) continue;
      const results = await Promise.allSettled(messages.map((m) => floorDeliver(t, agent, m.Body ?? '')));
      const done = messages.filter((_, i) => results[i]?.status === 'fulfilled');
      const delivered = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const last = delivered
        .map((d) => d.at)
        .sort()
        .at(-1);
      const webhookId = delivered[0]?.webhookId;
      if (last && webhookId) await floorCountBatch(t, webhookId, delivered.length, last);
      if (done.length > 0) {
        await t.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: t.queueUrl,
            Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
          }),
        );
      }
    }
  };
  const loops = Array.from({ length: DELIVERY.pollers }, poller);
  await receiver.waitFor(target, 180_000);
  const seconds = (performance.now() - started) / 1000;
  running = false;
  await Promise.all(loops);
  return { ops: n, seconds };
};

runSection(async () => {
  const engines = enginesFromEnv();
  const adminKey = `hr_admin_${randomBytes(16).toString('hex')}`;
  const h = await startHarness({ engines, stage: 'overhead', adminKey });
  const receiver = await startReceiver();
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const floorTarget: FloorTarget = {
    ddb: new DynamoDBClient({ endpoint: engines.dynamodb, region: 'us-east-1', credentials }),
    sqs: new SQSClient({ endpoint: engines.sqs, region: 'us-east-1', credentials }),
    dataTable: h.env.DATA_TABLE ?? '',
    secretsTable: h.env.SECRETS_TABLE ?? '',
    queueUrl: h.queueUrl,
    tenantId: 'bench-overhead',
  };
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  try {
    const tenant = await createTenant(h.apiUrl, adminKey, floorTarget.tenantId, `${receiver.url}/hooks`);
    const methodArn = 'arn:aws:execute-api:us-east-1:000000000000:local-api/local/POST/v1/events';
    const auth = await h.handlers.authorizer(
      { type: 'TOKEN', authorizationToken: `Bearer ${tenant.apiKey}`, methodArn },
      lambdaContext('authorizer', 10_000),
    );
    const authorizer = { principalId: auth.principalId, ...auth.context };

    /** The proxy event the local gateway (and API Gateway) hands the API for POST /v1/events. */
    const ingestEvent = (body: string): APIGatewayProxyEvent =>
      proxyEvent({
        method: 'POST',
        resource: '/v1/events',
        path: '/v1/events',
        headers: [
          ['Authorization', `Bearer ${tenant.apiKey}`],
          ['Content-Type', 'application/json'],
          ['Host', '127.0.0.1'],
          ['User-Agent', 'bench'],
        ],
        body,
        authorizer,
      });
    const oursIngest = async (i: number) => {
      const result = await h.handlers.api(
        ingestEvent(JSON.stringify(invoicePaid(i))),
        lambdaContext('api', 29_000),
      );
      if (result.statusCode !== 201) throw new Error(`ingest answered ${result.statusCode}: ${result.body}`);
    };
    const bareIngest = async (i: number) => {
      const e = invoicePaid(i);
      await floorIngest(floorTarget, e.data, e.type);
    };

    say('overhead: ingest, warming up');
    await runFor(INGEST.warmupSeconds, INGEST.concurrency, oursIngest);
    await runFor(INGEST.warmupSeconds, INGEST.concurrency, bareIngest);
    const ingest = {
      ours: [] as { ops: number; seconds: number }[],
      floor: [] as { ops: number; seconds: number }[],
    };
    for (let r = 0; r < INGEST.rounds; r++) {
      const order = r % 2 === 0 ? (['ours', 'floor'] as const) : (['floor', 'ours'] as const);
      for (const side of order) {
        const result = await runFor(
          INGEST.seconds,
          INGEST.concurrency,
          side === 'ours' ? oursIngest : bareIngest,
        );
        ingest[side].push(result);
        say(`overhead: ingest round ${r + 1} ${side}: ${Math.round(result.ops / result.seconds)}/s`);
      }
    }
    await h.purgeQueue();
    await new Promise((r) => setTimeout(r, 1_000));

    say('overhead: delivery, warming up');
    await pool(DELIVERY.warmup, 8, oursIngest);
    await oursDeliver(h, receiver, DELIVERY.warmup);
    await pool(DELIVERY.warmup, 8, oursIngest);
    await floorDeliverAll(floorTarget, agent, receiver, DELIVERY.warmup);
    const delivery = {
      ours: [] as { ops: number; seconds: number }[],
      floor: [] as { ops: number; seconds: number }[],
    };
    for (let r = 0; r < DELIVERY.rounds; r++) {
      const order = r % 2 === 0 ? (['ours', 'floor'] as const) : (['floor', 'ours'] as const);
      for (const side of order) {
        await pool(DELIVERY.messages, 8, oursIngest);
        const result =
          side === 'ours'
            ? await oursDeliver(h, receiver, DELIVERY.messages)
            : await floorDeliverAll(floorTarget, agent, receiver, DELIVERY.messages);
        delivery[side].push(result);
        say(`overhead: delivery round ${r + 1} ${side}: ${Math.round(result.ops / result.seconds)}/s`);
      }
    }
    const duplicates = receiver.receipts.length - new Set(receiver.receipts.map((x) => x.webhookId)).size;
    return {
      ingest: {
        ...ratioOf(ingest.ours, ingest.floor),
        concurrency: INGEST.concurrency,
        rounds: INGEST.rounds,
        seconds_per_round: INGEST.seconds,
        runs: ingest,
      },
      delivery: {
        ...ratioOf(delivery.ours, delivery.floor),
        pollers: DELIVERY.pollers,
        batch_size: 10,
        messages_per_round: DELIVERY.messages,
        rounds: DELIVERY.rounds,
        runs: delivery,
        duplicates,
      },
    };
  } finally {
    await agent.close();
    floorTarget.ddb.destroy();
    floorTarget.sqs.destroy();
    await receiver.close();
    await h.stop();
  }
});
