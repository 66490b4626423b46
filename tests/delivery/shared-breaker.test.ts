import { createServer, type Server } from 'node:net';
import { DestinationGuard, NodeHttpSender, parseAllowlist } from '@hookrelay/delivery';
import { EndpointSlots, processDelivery, type WorkerDeps } from '@hookrelay/delivery/attempt';
import type { Clock, DeliveryMessage } from '@hookrelay/domain';
import { asFunction } from '@hookrelay/local';
import { BatchedOutcomes } from '@hookrelay/worker/batched-outcomes';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';
import { localStores, localWorkerDeps } from '../support/stores.js';

/**
 * Two worker instances that share nothing but the stores, as two Lambda instances: each its
 * own clients, its own in-process state (endpoint slots, held counters). The breaker on the
 * webhook item is what holds an endpoint that stops answering back, across both.
 */
describe('an endpoint that stops answering, seen by two worker instances', () => {
  let platform: TestPlatform;
  let receiver: TestReceiver;
  // A port that accepts connections and never answers: every attempt ends in a timeout.
  let silent: Server;
  let silentUrl: string;
  const instances: { deps: WorkerDeps; close: () => void }[] = [];
  let nowMs = Date.now();
  const clock: Clock = { now: () => nowMs };

  beforeAll(async () => {
    platform = await startTestPlatform({ startWorker: false });
    receiver = await startReceiver();
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    silentUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
    for (let i = 0; i < 2; i++) {
      const stores = localStores(platform);
      const deps = localWorkerDeps(stores, {
        clock,
        schedule: [0, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000],
        webhooks: new BatchedOutcomes(stores.webhooks),
        endpointSlots: new EndpointSlots(16),
        random: () => 0,
        // A short timeout: the silent endpoint's attempts end quickly.
        sender: new NodeHttpSender({
          guard: new DestinationGuard(parseAllowlist('127.0.0.0/8')),
          timeoutMs: 300,
          httpsOnly: false,
        }),
      });
      instances.push({ deps, close: stores.close });
    }
  });
  afterAll(async () => {
    for (const instance of instances) instance.close();
    silent?.close();
    await receiver?.close();
    await platform?.stop();
  });

  it('parks deliveries on every instance once it has gone unanswered, and lets one probe through at a time', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'breaker',
      target_url: silentUrl,
    });
    expect(created.status).toBe(201);
    const api = client(platform.apiUrl, created.body.api_key);
    const webhookId: string = created.body.webhook.id;
    const messages: DeliveryMessage[] = [];
    for (let n = 0; n < 12; n++) {
      const sent = await api.request('POST', '/v1/events', { type: 'order.created', data: { n } });
      expect(sent.status).toBe(201);
      messages.push({
        v: 1,
        tenant_id: 'breaker',
        event_id: sent.body.event_id,
        webhook_id: webhookId,
        attempt: 1,
      });
    }
    const run = (instance: number, message: DeliveryMessage) =>
      asFunction('worker', () =>
        processDelivery(instances[instance % 2]?.deps as WorkerDeps, message, 'slow'),
      );

    // Alternating between the instances, one at a time: five go unanswered, then the rest wait.
    const kinds: string[] = [];
    for (const [i, message] of messages.slice(0, 10).entries()) kinds.push((await run(i, message)).kind);
    expect(kinds.filter((k) => k === 'retry')).toHaveLength(5);
    expect(kinds.slice(5)).toEqual(['parked', 'parked', 'parked', 'parked', 'parked']);

    // Past the open period: the two instances together make exactly one probe.
    nowMs += 31_000;
    const both = await Promise.all([
      run(0, messages[10] as DeliveryMessage),
      run(1, messages[11] as DeliveryMessage),
    ]);
    expect(both.map((o) => o.kind).sort()).toEqual(['parked', 'retry']);

    // The endpoint answers again: the next probe closes the breaker for both instances.
    await api.request('PATCH', `/v1/webhooks/${webhookId}`, { url: `${receiver.url}/in` });
    nowMs += 61_000;
    expect((await run(0, messages[5] as DeliveryMessage)).kind).toBe('delivered');
    expect((await run(1, messages[6] as DeliveryMessage)).kind).toBe('delivered');
    expect((await run(0, messages[7] as DeliveryMessage)).kind).toBe('delivered');
    expect(receiver.requests).toHaveLength(3);
  });
});
