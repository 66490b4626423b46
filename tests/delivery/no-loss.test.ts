import {
  CursorCodec,
  createDocumentClient,
  DynamoDbEventStore,
  DynamoDbWebhookStore,
} from '@hookrelay/dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';

describe('no accepted event is lost', () => {
  let platform: TestPlatform;
  let receiver: TestReceiver;

  beforeAll(async () => {
    platform = await startTestPlatform({ sweepGraceMs: 300 });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await platform?.stop();
  });

  it('an event stored but never enqueued (the enqueue failed) is delivered by the sweeper', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'outbox',
      target_url: `${receiver.url}/in`,
    });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const { createEvent } = await import('@hookrelay/api/routes/events');
    const db = createDocumentClient({
      endpoint: platform.dynamodbEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const table = platform.env.DATA_TABLE ?? '';
    const events = new DynamoDbEventStore(db, table, new CursorCodec('x'), {
      retentionDays: 30,
      sweepGraceMs: 300,
    });
    const webhooks = new DynamoDbWebhookStore(db, table);
    // The real use case, with a queue whose every send fails (the fault between write and enqueue).
    const failingQueue = {
      send: async () => {
        throw new Error('injected: SQS unavailable');
      },
      deadLetter: async () => undefined,
    };
    const accepted = await createEvent(
      { events, queue: failingQueue, clock: { now: () => Date.now() } } as never,
      'outbox',
      { type: 'order.created', data: { n: 1 } },
      await webhooks.list('outbox'),
    );
    expect(accepted.status).toBe('PENDING');
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver.requests).toHaveLength(0);
    await platform.sweepNow();
    const event = await eventually(async () => {
      const got = await tenant.request('GET', `/v1/events/${accepted.event_id}`);
      return got.body.status === 'DELIVERED' ? got.body : undefined;
    });
    expect(event.deliveries[0].attempts).toHaveLength(1);
    expect(receiver.requests).toHaveLength(1);
  });
});
