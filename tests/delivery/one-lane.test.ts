import { createServer, type Server } from 'node:net';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { ENV } from '@hookrelay/definitions';
import { DestinationGuard, NodeHttpSender, parseAllowlist } from '@hookrelay/delivery';
import { type Outcome, processDelivery, type WorkerDeps } from '@hookrelay/delivery/attempt';
import { type Clock, DEFAULT_LANE_POLICY, type DeliveryMessage } from '@hookrelay/domain';
import { asFunction } from '@hookrelay/local';
import { SqsDeliveryQueue } from '@hookrelay/sqs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { localStores, localWorkerDeps } from '../support/stores.js';

/** What a queue holds, visible, delayed or in flight (fauxqs counts them as SQS does). */
const held = async (stores: ReturnType<typeof localStores>, queueUrl: string): Promise<number> => {
  const out = await stores.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesDelayed',
        'ApproximateNumberOfMessagesNotVisible',
      ],
    }),
  );
  return Object.values(out.Attributes ?? {}).reduce((sum, n) => sum + Number(n), 0);
};

/**
 * A stage of one delivery lane (`DELIVERY_LANES=1`, development's default): no slow queue and no
 * slow-lane consumer. A quarantined endpoint's deliveries stay in the main queue and are
 * attempted from it under the slow lane's policy, and its breaker still holds it back.
 */
describe('one delivery lane: an endpoint that stops answering', () => {
  let platform: TestPlatform;
  let stores: ReturnType<typeof localStores>;
  // A port that accepts connections and never answers: every attempt ends in a timeout.
  let silent: Server;
  let silentUrl: string;
  let deps: WorkerDeps;
  const nowMs = Date.now();
  const clock: Clock = { now: () => nowMs };

  beforeAll(async () => {
    platform = await startTestPlatform({ startWorker: false, deliveryLanes: 1 });
    stores = localStores(platform);
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    silentUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
    deps = localWorkerDeps(stores, {
      clock,
      schedule: [0, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000],
      random: () => 0,
      // The queue every function of the stage builds: the slow lane's URL is the main queue's.
      queue: new SqsDeliveryQueue(
        stores.sqs,
        platform.env[ENV.deliveryQueueUrl] ?? '',
        platform.env[ENV.dlqUrl] ?? '',
        platform.env[ENV.slowQueueUrl],
      ),
      deliveryLanes: 1,
      // A main-lane budget well under the attempt's timeout: with two lanes an attempt to an
      // endpoint that has not answered by then is abandoned and handed to the slow lane.
      lanes: { ...DEFAULT_LANE_POLICY, slowAfterMs: 100, mainLaneBudgetMs: 200 },
      sender: new NodeHttpSender({
        guard: new DestinationGuard(parseAllowlist('127.0.0.0/8')),
        timeoutMs: 600,
        httpsOnly: false,
      }),
    });
  });
  afterAll(async () => {
    stores?.close();
    silent?.close();
    await platform?.stop();
  });

  it('has no slow queue: the slow lane’s URL is the main queue’s', () => {
    expect(platform.queueUrls.slow).toBeUndefined();
    expect(platform.env[ENV.deliveryLanes]).toBe('1');
    expect(platform.env[ENV.slowQueueUrl]).toBe(platform.env[ENV.deliveryQueueUrl]);
  });

  it('attempts a quarantined endpoint’s deliveries from the main queue with the full timeout, sends each one message, and parks them once the breaker opens', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'one-lane',
      target_url: silentUrl,
    });
    expect(created.status).toBe(201);
    const api = client(platform.apiUrl, created.body.api_key);
    const webhookId: string = created.body.webhook.id;
    const messages: DeliveryMessage[] = [];
    for (let n = 0; n < 10; n++) {
      const sent = await api.request('POST', '/v1/events', { type: 'order.created', data: { n } });
      expect(sent.status).toBe(201);
      messages.push({
        v: 1,
        tenant_id: 'one-lane',
        event_id: sent.body.event_id,
        webhook_id: webhookId,
        attempt: 1,
      });
    }
    const mainQueue = platform.env[ENV.deliveryQueueUrl] ?? '';
    // The API's own messages, taken off the count: what follows is the worker's.
    const queued = await held(stores, mainQueue);
    const sendsBefore = platform.awsCalls()['worker SendMessageBatch'] ?? 0;
    const run = (message: DeliveryMessage) =>
      asFunction('worker', () => processDelivery(deps, message, 'main'));

    // The first attempt quarantines the endpoint (no answer within 100 ms), and runs on to its
    // 600 ms timeout: there is no other lane to abandon it to.
    const first = await run(messages[0] as DeliveryMessage);
    expect(first).toMatchObject({
      kind: 'retry',
      lane_change: 'quarantine',
      result: { error_kind: 'timeout' },
    });
    expect((first as Extract<Outcome, { kind: 'retry' }>).result.duration_ms).toBeGreaterThanOrEqual(590);
    expect((await stores.webhooks.get('one-lane', webhookId))?.lane).toBe('slow');

    // Quarantined: each next delivery is attempted from the main queue, not forwarded, until the
    // breaker has seen five go unanswered; then they are parked.
    const kinds: string[] = [];
    for (const message of messages.slice(1)) kinds.push((await run(message)).kind);
    expect(kinds).toEqual([
      'retry',
      'retry',
      'retry',
      'retry',
      'parked',
      'parked',
      'parked',
      'parked',
      'parked',
    ]);

    // Every message the worker sent (five retries, five parked) is in the main queue, one per
    // delivery, one request each; nothing was dead-lettered.
    expect(await held(stores, mainQueue)).toBe(queued + 10);
    expect((platform.awsCalls()['worker SendMessageBatch'] ?? 0) - sendsBefore).toBe(10);
    expect(await held(stores, platform.env[ENV.dlqUrl] ?? '')).toBe(0);
    const attempts = await stores.events.attemptsByWebhook('one-lane', webhookId, 100);
    expect(attempts.attempts.map((a) => a.error_kind)).toEqual(Array(5).fill('timeout'));
  }, 30_000);
});
