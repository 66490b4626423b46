import type { DynamoDbWebhookStore } from '@hookrelay/dynamodb';
import { BatchedOutcomes } from '@hookrelay/worker/batched-outcomes';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Client, client, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { localStores } from '../support/stores.js';

/* The worker writes a webhook's counters once per batch; on DynamoDB Local. */
describe('webhook counters from a batch', () => {
  let platform: TestPlatform;
  let stores: ReturnType<typeof localStores>;
  let store: DynamoDbWebhookStore;
  let admin: Client;

  beforeAll(async () => {
    platform = await startTestPlatform({ startWorker: false });
    admin = client(platform.apiUrl, platform.adminKey);
    stores = localStores(platform);
    store = stores.webhooks;
  });
  afterAll(async () => {
    stores?.close();
    await platform?.stop();
  });

  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
  const webhookOf = async (tenantId: string) => {
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: tenantId,
      target_url: 'https://hooks.example.com/in',
    });
    return created.body.webhook.id as string;
  };

  it('holds outcomes until flushed, then writes counts, last_triggered_at and the failing streak', async () => {
    const id = await webhookOf('tally-a');
    const batch = new BatchedOutcomes(store);
    await batch.recordOutcome('tally-a', id, { success: false, at: at(1) });
    await batch.recordOutcome('tally-a', id, { success: true, at: at(2) });
    await batch.recordOutcome('tally-a', id, { success: false, at: at(3) });
    expect((await store.get('tally-a', id))?.delivery_failure_count).toBe(0);
    await batch.flush();
    const after = await store.get('tally-a', id);
    expect(after).toMatchObject({
      delivery_success_count: 1,
      delivery_failure_count: 2,
      last_triggered_at: at(3),
      failing_since: at(3),
    });
    // Flushing again writes nothing more.
    await batch.flush();
    expect((await store.get('tally-a', id))?.delivery_failure_count).toBe(2);
  });

  it('a failing streak carries over batches until a success ends it', async () => {
    const id = await webhookOf('tally-b');
    const batch = new BatchedOutcomes(store);
    await batch.recordOutcome('tally-b', id, { success: false, at: at(10) });
    await batch.flush();
    await batch.recordOutcome('tally-b', id, { success: false, at: at(20) });
    await batch.flush();
    expect((await store.get('tally-b', id))?.failing_since).toBe(at(10));
    await batch.recordOutcome('tally-b', id, { success: true, at: at(30) });
    await batch.flush();
    const healed = await store.get('tally-b', id);
    expect(healed?.failing_since).toBeUndefined();
    expect(healed).toMatchObject({
      delivery_success_count: 1,
      delivery_failure_count: 2,
      last_triggered_at: at(30),
    });
  });

  it('a batch older than what is recorded is counted without rewinding the time or the streak', async () => {
    const id = await webhookOf('tally-c');
    const batch = new BatchedOutcomes(store);
    await batch.recordOutcome('tally-c', id, { success: true, at: at(50) });
    await batch.flush();
    await batch.recordOutcome('tally-c', id, { success: false, at: at(40) });
    await batch.flush();
    const after = await store.get('tally-c', id);
    expect(after).toMatchObject({
      delivery_success_count: 1,
      delivery_failure_count: 1,
      last_triggered_at: at(50),
    });
    expect(after?.failing_since).toBeUndefined();
  });

  it('an outcome that disables the webhook is written at once', async () => {
    const id = await webhookOf('tally-d');
    const batch = new BatchedOutcomes(store);
    await batch.recordOutcome('tally-d', id, {
      success: false,
      at: at(60),
      disable: 'the endpoint answered 410 Gone',
    });
    const now = await store.get('tally-d', id);
    expect(now).toMatchObject({ active: false, delivery_failure_count: 1 });
  });
});
