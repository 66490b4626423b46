import { SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetter, DeliveryMessage, DeliveryQueue } from '@hookrelay/domain';
import type { DeadLetterListing } from '@hookrelay/ops-cli';
import { SqsDeliveryQueue } from '@hookrelay/sqs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import {
  cli,
  eventIn,
  make,
  portOf,
  sendEvent,
  setReceiver,
  stageEnv,
  type TestTenant,
  tenantOnReceiver,
} from './ops-support.js';

let platform: TestPlatform;
let sqs: SQSClient;

beforeAll(async () => {
  // Three quick attempts, so an event reaches FAILED (and the DLQ) within seconds.
  platform = await startTestPlatform({ retrySchedule: '0,200ms,200ms' });
  sqs = new SQSClient({
    endpoint: platform.sqsEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  sqs?.destroy();
  await platform?.stop();
});

const peek = async (): Promise<DeadLetterListing> => {
  const run = await cli(['dlq-peek', '--json'], stageEnv(platform));
  expect(run).toMatchObject({ code: 0, err: '' });
  return JSON.parse(run.out) as DeadLetterListing;
};

/** An event that exhausted its schedule against a disabled receiver: FAILED, copy in the DLQ. */
const failedEvent = async (tenant: TestTenant, data: Record<string, unknown>): Promise<string> => {
  await setReceiver(platform, tenant.id, false);
  const eventId = await sendEvent(tenant, data);
  const failed = await eventIn(tenant, eventId, 'FAILED');
  expect(failed.deliveries[0].attempts).toHaveLength(3);
  expect(failed.deliveries[0].attempts.map((a: { status_code: number }) => a.status_code)).toEqual([
    503, 503, 503,
  ]);
  return eventId;
};

describe('dead-letter queue: peek and requeue', () => {
  it('a delivery that failed against a disabled receiver is peeked, requeued and then DELIVERED', async () => {
    const tenant = await tenantOnReceiver(platform, 'dlq-shop');
    const eventId = await failedEvent(tenant, { order_id: 'o_1' });

    const listing = await peek();
    expect(listing.queue).toBe(`hookrelay-webhook-deliveries-dlq-${platform.env.STAGE}`);
    expect(listing.count).toBe(1);
    expect(listing.messages[0]).toMatchObject({
      tenant_id: 'dlq-shop',
      event_id: eventId,
      webhook_id: tenant.webhookId,
      attempts: 3,
      last_status_code: 503,
      last_error: 'HTTP 503',
      reason: 'exhausted',
    });

    // A peek consumes nothing: the table view sees the same message again at once.
    const table = await cli(['dlq-peek'], stageEnv(platform));
    expect(table.code).toBe(0);
    expect(table.out).toContain('TENANT');
    expect(table.out).toContain(eventId);
    expect(table.out).toContain('HTTP 503');
    expect(table.out).toContain('1 message in hookrelay-webhook-deliveries-dlq-');

    await setReceiver(platform, tenant.id, true);
    const requeue = await cli(['dlq-requeue', '--max', '100', '--batch', '10'], stageEnv(platform));
    expect(requeue).toEqual({ code: 0, out: '{"requeued": 1, "failed": 0}\n', err: '' });

    const delivered = await eventIn(tenant, eventId, 'DELIVERED');
    const [delivery] = delivered.deliveries;
    expect(delivery.status).toBe('DELIVERED');
    expect(delivery.attempts).toHaveLength(4);
    const last = delivery.attempts.find((a: { attempt: number }) => a.attempt === 4);
    expect(last).toMatchObject({ status_code: 200, outcome: 'success' });
    expect(JSON.parse(last.response)).toMatchObject({
      status: 'received',
      tenant_id: 'dlq-shop',
    });
    expect((await peek()).count).toBe(0);
  });

  it('make dlq-peek and make dlq-requeue work against the running platform', async () => {
    const tenant = await tenantOnReceiver(platform, 'dlq-make');
    const eventId = await failedEvent(tenant, { order_id: 'o_make' });
    // What `make dev` users type, with the engines' ports and this platform's stage name.
    const env = {
      LOCAL_STAGE: platform.env.STAGE ?? '',
      DYNAMODB_PORT: portOf(platform.dynamodbEndpoint),
      SQS_PORT: portOf(platform.sqsEndpoint),
    };

    const peeked = await make(['dlq-peek', 'STAGE=local'], env);
    expect(peeked.err).toBe('');
    expect(peeked.code).toBe(0);
    expect(peeked.out).toContain(eventId);
    expect(peeked.out).toContain('dlq-make');

    const json = await make(['dlq-peek', 'STAGE=local', 'JSON=1', 'MAX=5'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ count: 1, messages: [{ event_id: eventId, attempts: 3 }] });

    await setReceiver(platform, tenant.id, true);
    const requeued = await make(['dlq-requeue', 'STAGE=local', 'MAX=100', 'BATCH=10'], env);
    expect(requeued).toEqual({ code: 0, out: '{"requeued": 1, "failed": 0}\n', err: '' });
    await eventIn(tenant, eventId, 'DELIVERED');

    const empty = await make(['dlq-peek', 'STAGE=local'], env);
    expect(empty.code).toBe(0);
    expect(empty.out).toBe(`hookrelay-webhook-deliveries-dlq-${platform.env.STAGE} is empty.\n`);
  });

  it('a requeue whose send fails for one message loses nothing: that message stays in the DLQ', async () => {
    const tenant = await tenantOnReceiver(platform, 'dlq-half');
    const unlucky = await failedEvent(tenant, { order_id: 'o_unlucky' });
    const lucky = await failedEvent(tenant, { order_id: 'o_lucky' });
    await setReceiver(platform, tenant.id, true);

    // The real queue, except that SQS "refuses" the unlucky event's message.
    const real = new SqsDeliveryQueue(sqs, platform.queueUrls.deliveries ?? '', platform.queueUrls.dlq ?? '');
    const flaky: DeliveryQueue = {
      send: async (messages: readonly { message: DeliveryMessage; delaySeconds: number }[]) => {
        if (messages.some((m) => m.message.event_id === unlucky))
          throw new Error('SQS refused 1 of 1 messages');
        await real.send(messages);
      },
      deadLetter: (message: DeadLetter) => real.deadLetter(message),
    };
    const half = await cli(['dlq-requeue'], stageEnv(platform), { requeue: { queue: flaky } });
    expect(half.out).toBe('{"requeued": 1, "failed": 1}\n');
    expect(half.code).toBe(1);
    expect(half.err).toContain('SQS refused 1 of 1 messages');

    await eventIn(tenant, lucky, 'DELIVERED');
    // Still there, and visible at once for on-call (not after the requeue's visibility timeout).
    const left = await peek();
    expect(left.messages.map((m) => m.event_id)).toEqual([unlucky]);
    // Its delivery was reopened before the send failed: PENDING, so the sweeper would also pick it up.
    const pending = await tenant.api.request('GET', `/v1/events/${unlucky}`);
    expect(pending.body.status).toBe('PENDING');

    const again = await cli(['dlq-requeue'], stageEnv(platform));
    expect(again).toEqual({ code: 0, out: '{"requeued": 1, "failed": 0}\n', err: '' });
    const delivered = await eventIn(tenant, unlucky, 'DELIVERED');
    expect(delivered.deliveries[0].attempts).toHaveLength(4);
    expect((await peek()).count).toBe(0);
  });

  it('the DLQ processor Lambda takes {batchSize, maxMessages} and answers the same counts', async () => {
    const tenant = await tenantOnReceiver(platform, 'dlq-lambda');
    const first = await failedEvent(tenant, { n: 1 });
    const second = await failedEvent(tenant, { n: 2 });
    await setReceiver(platform, tenant.id, true);

    // Imported only now: the handler reads its configuration (queue URLs, table) at init.
    const { handler } = await import('@hookrelay/dlq-processor/handler');
    const { asFunction, lambdaContext } = await import('@hookrelay/local');
    // Invoked as the function, so that each of its calls is checked against its own grants.
    const invoke = (event: unknown, context: unknown) =>
      asFunction('dlq-processor', () =>
        (handler as unknown as (event: unknown, context: unknown) => Promise<unknown>)(event, context),
      );

    const one = await invoke({ batchSize: 1, maxMessages: 1 }, lambdaContext('dlq-processor', 60_000));
    expect(one).toEqual({ statusCode: 200, body: expect.any(String) });
    expect(JSON.parse((one as { body: string }).body)).toEqual({ requeued: 1, failed: 0 });
    expect((await peek()).count).toBe(1);

    // Nonsense input falls back to the defaults (10 per batch, 100 at most).
    const rest = await invoke({ batchSize: 'ten', maxMessages: -3 }, lambdaContext('dlq-processor', 60_000));
    expect(JSON.parse((rest as { body: string }).body)).toEqual({ requeued: 1, failed: 0 });

    await eventIn(tenant, first, 'DELIVERED');
    await eventIn(tenant, second, 'DELIVERED');
    const none = await invoke({}, lambdaContext('dlq-processor', 60_000));
    expect(JSON.parse((none as { body: string }).body)).toEqual({ requeued: 0, failed: 0 });
    expect(platform.iamDenials().filter((d) => d.function === 'dlq-processor')).toEqual([]);
  });

  it('says what is wrong instead of failing obscurely', async () => {
    const bad = await cli(['dlq-requeue', '--batch', '11'], stageEnv(platform));
    expect(bad).toMatchObject({ code: 2, out: '' });
    expect(bad.err).toContain('BATCH must be a whole number from 1 to 10');

    const noQueue = await cli(['dlq-peek'], { ...stageEnv(platform), STAGE: 'nosuchstage' });
    expect(noQueue.code).toBe(2);
    expect(noQueue.err).toContain('Queue hookrelay-webhook-deliveries-dlq-nosuchstage does not exist');

    const unknown = await cli(['dlq-purge'], stageEnv(platform));
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Unknown command "dlq-purge"');
  });
});
