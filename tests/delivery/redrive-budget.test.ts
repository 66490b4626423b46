import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ENV, queues, WORKER_TIMEOUT_SECONDS } from '@hookrelay/definitions';
import {
  asFunction,
  type EventSourceMapping,
  type LambdaInstances,
  startEventSourceMapping,
  startLambdaInstances,
} from '@hookrelay/local';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';

/** Short, so that what a killed instance held comes back soon. */
const VISIBILITY_SECONDS = 2;
const REDRIVE = queues.deliveries.redrive?.maxReceiveCount ?? 5;
/** More restarts than the queue's redrive allows receives. */
const KILLS = REDRIVE + 1;

/**
 * A delivery whose worker instance is killed in the middle of its attempt, again and again: its
 * batch is not deleted and comes back after the visibility timeout. Every return would spend one
 * of the queue's receives, which exist for poison messages; the worker sends a returned message
 * again as a new one instead.
 */
/** The worker's instances, as Lambda runs them behind its mapping: one at a time here. */
const startWorkerInstances = (): LambdaInstances =>
  startLambdaInstances({
    service: 'worker',
    module: '@hookrelay/worker/handler',
    maximum: 1,
    timeoutMs: WORKER_TIMEOUT_SECONDS * 1000,
  });

describe('a delivery whose worker instance keeps being killed mid-attempt', () => {
  let platform: TestPlatform;
  let receiver: TestReceiver;
  let instances: LambdaInstances;
  let mapping: EventSourceMapping;
  let sqs: SQSClient;

  beforeAll(async () => {
    platform = await startTestPlatform({
      startWorker: false,
      visibilityTimeoutSeconds: VISIBILITY_SECONDS,
      // The attempt stays on the main lane however long it hangs: only the instance's end stops it.
      extraEnv: { SLOW_LANE_AFTER_MS: '60000', MAIN_LANE_BUDGET_MS: '60000' },
    });
    // The first KILLS requests reach the endpoint while their instance is killed; then it answers.
    receiver = await startReceiver((_req, n) => {
      if (n > KILLS) return { status: 200 };
      const dying = instances;
      instances = startWorkerInstances();
      void dying.stop();
      return 'hang';
    });
    instances = startWorkerInstances();
    sqs = new SQSClient({
      endpoint: platform.sqsEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(async () => {
    await mapping?.stop();
    await instances?.stop();
    sqs?.destroy();
    await receiver?.close();
    await platform?.stop();
  });

  it('is delivered after more restarts than the redrive allows receives, and nothing reaches the DLQ', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'restarts',
      target_url: `${receiver.url}/in`,
    });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const sent = await tenant.request('POST', '/v1/events', { type: 'order.created', data: {} });
    expect(sent.status).toBe(201);
    const sentBefore = platform.messagesSent();

    mapping = await asFunction('worker', () =>
      startEventSourceMapping({
        sqs,
        queueUrl: platform.env[ENV.deliveryQueueUrl] ?? '',
        handler: (event) => instances.invoke(event),
        concurrency: 1,
        minimumConcurrency: 1,
        waitTimeSeconds: 1,
      }),
    );
    const delivered = await eventually(
      async () => {
        const event = await tenant.request('GET', `/v1/events/${sent.body.event_id}`);
        return event.body.status === 'DELIVERED' ? event.body : undefined;
      },
      60_000,
      250,
    );
    // Each instance died in the attempt; the one that got an answer recorded attempt 1, once.
    expect(receiver.requests).toHaveLength(KILLS + 1);
    expect(delivered.deliveries[0].attempts).toHaveLength(1);
    // One new message per return up to as many as the redrive allows, each replacing the one
    // returned; the return past them is left to the queue's receives (its first), so a message
    // that always fails still reaches the DLQ.
    expect(platform.messagesSent() - sentBefore).toBe(REDRIVE);
    const dlq = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: platform.queueUrls.dlq,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect(Number(dlq.Attributes?.ApproximateNumberOfMessages)).toBe(0);
    expect(Number(dlq.Attributes?.ApproximateNumberOfMessagesNotVisible)).toBe(0);
  }, 150_000);
});
