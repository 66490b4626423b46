import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Client, eventually } from '../support/platform.js';
import type { TestReceiver } from '../support/receiver.js';
import { keyOf, type OrderedLines, startOrderedLines } from './support/ordered-lines.js';

describe('ordered delivery per key', () => {
  let setup: OrderedLines;
  let receiver: TestReceiver;
  let tenant: Client;

  beforeAll(async () => {
    // Retries a minute apart: a failing key's head waits that long, in its place.
    // Key "stuck" always fails; every other key is answered at once.
    setup = await startOrderedLines('ordered', '0,1m,1m', ({ key }) => (key === 'stuck' ? 500 : 200));
    ({ receiver, tenant } = setup);
  });
  afterAll(async () => {
    await setup?.stop();
  });

  it('shows the webhook’s ordering and the event’s key, and refuses keys that are not strings of 1 to 256 characters', async () => {
    const made = await tenant.request('POST', '/v1/webhooks', {
      url: `${receiver.url}/shown`,
      events: ['customer.shown'],
      ordering: 'per_key',
      on_exhausted: 'continue',
    });
    expect(made.status).toBe(201);
    expect(made.body.webhook).toMatchObject({ ordering: 'per_key', on_exhausted: 'continue' });
    const event = await tenant.request('POST', '/v1/events', {
      type: 'customer.shown',
      ordering_key: 'customer-42',
      data: { key: 'shown', n: 0 },
    });
    expect(event.status).toBe(201);
    expect(event.body.ordering_key).toBe('customer-42');
    const read = await tenant.request('GET', `/v1/events/${event.body.event_id}`);
    expect(read.body.ordering_key).toBe('customer-42');

    for (const ordering_key of ['', 'k'.repeat(257), 42]) {
      const refused = await tenant.request('POST', '/v1/events', { type: 'a.b', ordering_key, data: {} });
      expect(refused.status).toBe(400);
      expect(refused.headers.get('x-request-id')).toBeTruthy();
    }
    const batch = await tenant.request('POST', '/v1/events/batch', {
      events: [
        { type: 'a.b', ordering_key: 'k'.repeat(257), data: {} },
        { type: 'customer.shown', ordering_key: 'ok', data: { key: 'shown', n: 1 } },
      ],
    });
    expect(batch.status).toBe(207);
    expect(batch.body.results[0]).toMatchObject({ status: 'REJECTED', error: { code: 'validation_error' } });
    expect(batch.body.results[1]).toMatchObject({ status: 'PENDING', ordering_key: 'ok' });
    const bad = await tenant.request('POST', '/v1/webhooks', { url: `${receiver.url}/x`, ordering: 'fifo' });
    expect(bad.status).toBe(400);
  });

  it('delivers a key’s events one at a time in acceptance order, and one failing key does not delay another', async () => {
    const made = await tenant.request('POST', '/v1/webhooks', {
      url: `${receiver.url}/lines`,
      events: ['customer.updated'],
      ordering: 'per_key',
    });
    expect(made.status).toBe(201);
    // The stuck key first: its head fails and waits a minute in its place.
    const events = [
      ...Array.from({ length: 3 }, (_, n) => ({ key: 'stuck', n })),
      ...Array.from({ length: 15 }, (_, n) => ({ key: 'flowing', n })),
    ];
    const batch = await tenant.request('POST', '/v1/events/batch', {
      events: events.map((d) => ({ type: 'customer.updated', ordering_key: d.key, data: d })),
    });
    expect(batch.status).toBe(201);
    const ids: string[] = batch.body.results.map((r: { event_id: string }) => r.event_id);
    const lines = () =>
      receiver.requests.filter(
        (r) => r.headers['webhook-id'] && ids.includes(String(r.headers['webhook-id'])),
      );

    // Every event of the flowing key arrives, in order, while the stuck key's head waits its retry.
    await eventually(
      async () => (lines().filter((r) => keyOf(r.body).key === 'flowing').length >= 15 ? true : undefined),
      30_000,
    );
    expect(
      lines()
        .filter((r) => keyOf(r.body).key === 'flowing')
        .map((r) => keyOf(r.body).n),
    ).toEqual(Array.from({ length: 15 }, (_, n) => n));
    // The stuck key: its head was tried once, and nothing behind it went out.
    const stuck = lines().filter((r) => keyOf(r.body).key === 'stuck');
    expect(stuck.map((r) => keyOf(r.body).n)).toEqual([0]);
    const head = await tenant.request('GET', `/v1/events/${ids[0]}`);
    expect(head.body.deliveries[0]).toMatchObject({ status: 'PENDING', attempt_count: 1 });
    const behind = await tenant.request('GET', `/v1/events/${ids[1]}`);
    expect(behind.body.deliveries[0]).toMatchObject({ status: 'PENDING', attempt_count: 0 });
  });
});
