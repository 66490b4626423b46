import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV } from '@hookrelay/definitions';
import { asFunction, startEventSourceMapping } from '@hookrelay/local';
import { SqsQueueDepths } from '@hookrelay/sqs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';
import { localStores } from '../support/stores.js';

const EVENTS = 200;
// Longer than an API call takes to store a batch of events and send their messages (in the
// cloud the grace is 4 minutes against the API's 28 s timeout); shorter than the backlog lasts.
const GRACE_MS = 4_000;

describe('a backlog the worker cannot keep up with', () => {
  let platform: TestPlatform;
  let receiver: TestReceiver;
  let stores: ReturnType<typeof localStores>;
  let mapping: { stop(): Promise<void> } | undefined;

  beforeAll(async () => {
    // A grace period far shorter than the backlog lasts: every waiting delivery will look overdue.
    platform = await startTestPlatform({ startWorker: false, sweepGraceMs: GRACE_MS });
    stores = localStores(platform, { sweepGraceMs: GRACE_MS });
    receiver = await startReceiver(() => ({ status: 200, delayMs: 100 }));
  });
  afterAll(async () => {
    await mapping?.stop();
    stores?.close();
    await receiver?.close();
    await platform?.stop();
  });

  // The worker on both lanes (an endpoint slowed down by a busy machine may move to the slow
  // one), one poller each: far fewer deliveries a second than the events arrive.
  const startWorker = async () => {
    const { handler } = await import('@hookrelay/worker/handler');
    // Through the platform's IAM front, as the worker's role.
    const workerSqs = new SQSClient({
      endpoint: platform.env.AWS_ENDPOINT_URL_SQS,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const mappings = await Promise.all(
      [ENV.deliveryQueueUrl, ENV.slowQueueUrl].map((name) =>
        asFunction('worker', () =>
          startEventSourceMapping({
            sqs: workerSqs,
            queueUrl: platform.env[name] ?? '',
            handler: handler as never,
            concurrency: 1,
            minimumConcurrency: 1,
            waitTimeSeconds: 1,
          }),
        ),
      ),
    );
    return {
      stop: async () => {
        await Promise.all(mappings.map((m) => m.stop()));
        workerSqs.destroy();
      },
    };
  };

  it('is never queued again by the no-loss job, and drains once a worker runs again', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'backlog',
      target_url: `${receiver.url}/in`,
    });
    const tenant = client(platform.apiUrl, created.body.api_key);
    mapping = await startWorker();
    for (let i = 0; i < EVENTS; i += 100) {
      const batch = await tenant.request('POST', '/v1/events/batch', {
        events: Array.from({ length: 100 }, (_, n) => ({ type: 'order.created', data: { n: i + n } })),
      });
      expect(batch.status).toBe(201);
    }
    await eventually(async () => (receiver.requests.length >= 20 ? true : undefined), 50_000);
    await mapping.stop();
    mapping = undefined;

    const depths = new SqsQueueDepths(stores.sqs, {
      main: platform.env[ENV.deliveryQueueUrl] ?? '',
      slow: platform.env[ENV.slowQueueUrl] ?? '',
    });
    const queued = async () =>
      (await depths.depths()).reduce((sum, d) => sum + d.visible + d.inFlight + d.delayed, 0);
    const waiting = await queued();
    const outstanding = EVENTS - new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size;
    expect(waiting).toBeGreaterThan(100);
    // One message per outstanding delivery, no more.
    expect(waiting).toBeLessThanOrEqual(outstanding);

    // The job runs again and again once everything waiting is overdue; it adds nothing.
    await new Promise((r) => setTimeout(r, GRACE_MS));
    for (let run = 0; run < 5; run++) {
      await new Promise((r) => setTimeout(r, 300));
      const report = (await platform.sweepNow()) as { requeued: number };
      expect(report.requeued).toBe(0);
      expect(await queued()).toBe(waiting);
    }

    mapping = await startWorker();
    await eventually(
      async () =>
        new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size === EVENTS ? true : undefined,
      60_000,
    );
    // Each event reached the receiver once: nothing was queued twice.
    expect(receiver.requests).toHaveLength(EVENTS);
    await eventually(async () => ((await queued()) === 0 ? true : undefined));
  }, 120_000);
});
