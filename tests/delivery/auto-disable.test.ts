import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ENV } from '@hookrelay/definitions';
import { processDelivery, type WorkerDeps } from '@hookrelay/delivery/attempt';
import { type DeliveryMessage, DISABLE_AFTER_FAILING_MS } from '@hookrelay/domain';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Client, client, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';
import { localStores, localWorkerDeps } from '../support/stores.js';

/*
 * The worker's own code on the real stores and queues, with the clock injected: days pass
 * between attempts without anyone waiting for them.
 */
const DAY = 86_400_000;

describe('a webhook failing for 5 days straight is disabled', () => {
  let platform: TestPlatform;
  let receiver: TestReceiver;
  let admin: Client;
  let stores: ReturnType<typeof localStores>;
  let worker: WorkerDeps;
  let clockNow = 0;
  let answer = 500;

  beforeAll(async () => {
    // No worker of the platform's own: this test makes every attempt itself, at the times it picks.
    platform = await startTestPlatform({ startWorker: false });
    receiver = await startReceiver(() => ({ status: answer }));
    admin = client(platform.apiUrl, platform.adminKey);
    stores = localStores(platform);
    worker = localWorkerDeps(stores, {
      clock: { now: () => clockNow },
      schedule: [0, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000],
      random: () => 0.5,
    });
  });
  afterAll(async () => {
    stores?.close();
    await receiver?.close();
    await platform?.stop();
  });

  const setUp = async (tenantId: string) => {
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: tenantId,
      target_url: `${receiver.url}/${tenantId}`,
    });
    expect(created.status).toBe(201);
    return {
      api: client(platform.apiUrl, created.body.api_key),
      webhookId: created.body.webhook.id as string,
    };
  };

  /** A new event, and the worker's first attempt at it at `at`. */
  const attemptAt = async (tenant: { api: Client; webhookId: string }, tenantId: string, at: number) => {
    const event = await tenant.api.request('POST', '/v1/events', { type: 'order.created', data: { at } });
    expect(event.status).toBe(201);
    clockNow = at;
    const message: DeliveryMessage = {
      v: 1,
      tenant_id: tenantId,
      event_id: event.body.event_id,
      webhook_id: tenant.webhookId,
      attempt: 1,
    };
    return { eventId: event.body.event_id as string, outcome: await processDelivery(worker, message) };
  };

  it('after 5 days of failures with no success: disabled, the delivery FAILED and in the DLQ', async () => {
    answer = 500;
    const tenant = await setUp('five-days');
    const t0 = Date.parse('2026-03-01T00:00:00Z');

    expect((await attemptAt(tenant, 'five-days', t0)).outcome.kind).toBe('retry');
    const failing = await tenant.api.request('GET', `/v1/webhooks/${tenant.webhookId}`);
    expect(failing.body.webhook.active).toBe(true);

    // Four days in: still failing, still on.
    expect((await attemptAt(tenant, 'five-days', t0 + 4 * DAY)).outcome.kind).toBe('retry');
    expect((await tenant.api.request('GET', `/v1/webhooks/${tenant.webhookId}`)).body.webhook.active).toBe(
      true,
    );

    // Just past five days since the first failure: this attempt's failure disables it.
    const last = await attemptAt(tenant, 'five-days', t0 + DISABLE_AFTER_FAILING_MS + 1);
    expect(last.outcome.kind).toBe('failed');
    const webhook = await tenant.api.request('GET', `/v1/webhooks/${tenant.webhookId}`);
    expect(webhook.body.webhook.active).toBe(false);
    expect(webhook.body.webhook.disabled_reason).toMatch(/5 days/);
    expect(webhook.body.webhook.delivery_failure_count).toBe(3);

    const event = await tenant.api.request('GET', `/v1/events/${last.eventId}`);
    expect(event.body.status).toBe('FAILED');
    expect(event.body.deliveries[0].attempts).toHaveLength(1);

    const dlq = await stores.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: platform.env[ENV.dlqUrl],
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    const dead = (dlq.Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}'));
    expect(dead).toContainEqual(
      expect.objectContaining({ event_id: last.eventId, reason: 'exhausted', last_status_code: 500 }),
    );

    // A disabled webhook gets no new deliveries, and is not called again.
    const before = receiver.requests.length;
    const after = await attemptAt(tenant, 'five-days', t0 + 6 * DAY);
    expect(after.outcome).toEqual({ kind: 'skipped', reason: 'no such delivery' });
    expect((await tenant.api.request('GET', `/v1/events/${after.eventId}`)).body.deliveries).toEqual([]);
    expect(receiver.requests.length).toBe(before);
  });

  it('one success restarts the count: failures on both sides of it do not add up to 5 days', async () => {
    const tenant = await setUp('comeback');
    const t0 = Date.parse('2026-04-01T00:00:00Z');
    answer = 500;
    expect((await attemptAt(tenant, 'comeback', t0)).outcome.kind).toBe('retry');
    answer = 200;
    expect((await attemptAt(tenant, 'comeback', t0 + 3 * DAY)).outcome.kind).toBe('delivered');
    answer = 500;
    expect((await attemptAt(tenant, 'comeback', t0 + 4 * DAY)).outcome.kind).toBe('retry');
    // Six days after the first failure, but only two since the last success.
    expect((await attemptAt(tenant, 'comeback', t0 + 6 * DAY)).outcome.kind).toBe('retry');
    const webhook = await tenant.api.request('GET', `/v1/webhooks/${tenant.webhookId}`);
    expect(webhook.body.webhook.active).toBe(true);
    expect(webhook.body.webhook.delivery_success_count).toBe(1);
    expect(webhook.body.webhook.delivery_failure_count).toBe(3);
  });
});
