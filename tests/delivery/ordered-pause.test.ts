import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Client, eventually } from '../support/platform.js';
import type { TestReceiver } from '../support/receiver.js';
import { keyOf, type OrderedLines, startOrderedLines } from './support/ordered-lines.js';

describe('an ordered key paused when a delivery is exhausted (on_exhausted: "pause")', () => {
  let setup: OrderedLines;
  let receiver: TestReceiver;
  let tenant: Client;

  beforeAll(async () => {
    // One attempt: a failure is exhausted at once.
    setup = await startOrderedLines('paused', '0', ({ key, n }) => (key === 'p' && n === 0 ? 500 : 200));
    ({ receiver, tenant } = setup);
  });
  afterAll(async () => {
    await setup?.stop();
  });

  it('stops the key until resumed, lists it, and then delivers the rest in order; other keys go on', async () => {
    const made = await tenant.request('POST', '/v1/webhooks', {
      url: `${receiver.url}/paused`,
      ordering: 'per_key',
      on_exhausted: 'pause',
    });
    expect(made.status).toBe(201);
    const webhookId: string = made.body.webhook.id;
    const events = [
      { key: 'p', n: 0 },
      { key: 'p', n: 1 },
      { key: 'p', n: 2 },
      { key: 'q', n: 0 },
      { key: 'q', n: 1 },
    ];
    const batch = await tenant.request('POST', '/v1/events/batch', {
      events: events.map((d) => ({ type: 'customer.updated', ordering_key: d.key, data: d })),
    });
    const ids: string[] = batch.body.results.map((r: { event_id: string }) => r.event_id);
    const received = (key: string) =>
      receiver.requests.filter((r) => keyOf(r.body).key === key).map((r) => keyOf(r.body).n);

    const paused = await eventually(async () => {
      const list = await tenant.request('GET', `/v1/webhooks/${webhookId}/paused-keys`);
      return list.body.count === 1 && received('q').length === 2 ? list.body : undefined;
    }, 30_000);
    expect(paused.paused_keys[0]).toMatchObject({ ordering_key: 'p', event_id: ids[0] });
    expect(received('q')).toEqual([0, 1]);
    expect(received('p')).toEqual([0]);
    expect((await tenant.request('GET', `/v1/events/${ids[0]}`)).body.status).toBe('FAILED');
    const waiting = await tenant.request('GET', `/v1/events/${ids[1]}`);
    expect(waiting.body.deliveries[0]).toMatchObject({ status: 'PENDING', attempt_count: 0 });

    const resumed = await tenant.request('POST', `/v1/webhooks/${webhookId}/paused-keys/resume`, {
      ordering_key: 'p',
    });
    expect(resumed.status).toBe(200);
    await eventually(async () => (received('p').length === 3 ? true : undefined), 30_000);
    expect(received('p')).toEqual([0, 1, 2]);
    expect((await tenant.request('GET', `/v1/webhooks/${webhookId}/paused-keys`)).body.count).toBe(0);
    const again = await tenant.request('POST', `/v1/webhooks/${webhookId}/paused-keys/resume`, {
      ordering_key: 'p',
    });
    expect(again.status).toBe(404);
  });
});
