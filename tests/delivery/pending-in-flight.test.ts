import { ENV } from '@hookrelay/definitions';
import { newId } from '@hookrelay/domain';
import { DynamoDbEventStore } from '@hookrelay/dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';
import { localStores } from '../support/stores.js';

/**
 * `?status=PENDING` reads the status index, and the time listing back to the sweeper's mark for
 * events nothing has touched. An old event whose first attempt is in flight is neither touched
 * nor recorded yet: the worker lists it before it makes the attempt, so the list shows it
 * whatever the mark.
 */
describe('an old event whose first attempt is in flight', () => {
  let platform: TestPlatform;
  let hanging: TestReceiver;
  let stores: ReturnType<typeof localStores>;

  beforeAll(async () => {
    platform = await startTestPlatform();
    hanging = await startReceiver(() => 'hang');
    stores = localStores(platform);
  });
  afterAll(async () => {
    stores?.close();
    await hanging?.close();
    await platform?.stop();
  });

  it('is on the PENDING list while the attempt runs, after the sweeper has marked past it', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'in-flight',
      target_url: `${hanging.url}/hang`,
    });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const webhookId = created.body.default_webhook_id as string;
    // Accepted five minutes ago, its message only now taken (a long queue, a lost message resent).
    const createdAt = Date.now() - 5 * 60_000;
    const eventId = newId('evt', createdAt);
    await stores.events.create({
      tenant_id: 'in-flight',
      event_id: eventId,
      type: 'order.created',
      data: {},
      created_at: new Date(createdAt).toISOString(),
      webhook_ids: [webhookId],
    });
    await stores.queue.send([
      {
        message: { v: 1, tenant_id: 'in-flight', event_id: eventId, webhook_id: webhookId, attempt: 1 },
        delaySeconds: 0,
      },
    ]);
    await eventually(async () => (hanging.requests.length > 0 ? true : undefined));
    // The sweeper's mark passes the event's creation while the attempt hangs.
    const events = new DynamoDbEventStore(stores.db, platform.env[ENV.dataTable] ?? '', {
      retentionDays: 30,
      sweepGraceMs: 60_000,
    });
    await events.markSwept(Date.now() - 60_000);
    const pending = await tenant.request('GET', '/v1/events?status=PENDING');
    expect(pending.body.events.map((e: { event_id: string }) => e.event_id)).toContain(eventId);
  }, 60_000);
});
