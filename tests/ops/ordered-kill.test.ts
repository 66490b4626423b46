import { afterAll, describe, expect, it } from '@jest/globals';
import { client, eventually } from '../support/platform.js';
import { type ReceivedRequest, startReceiver, type TestReceiver } from '../support/receiver.js';
import { killablePlatforms } from './platform-process-control.js';

const EVENTS = 1_000;
const KEYS = 20;
/** The share of requests the receiver fails (500), at random. */
const FAILING = 0.25;
const platforms = killablePlatforms('ordered-kill', {
  // Shorter than a stage's 180 s, so that the test can wait it out; honoured all the same.
  visibilitySeconds: 8,
  // Ten attempts a second apart: a failure costs a second, and 0.25^10 makes exhaustion
  // (which would end a delivery FAILED) practically impossible.
  env: { RETRY_SCHEDULE: '0,1s,1s,1s,1s,1s,1s,1s,1s,1s' },
});
const { adminKey, start } = platforms;
const killGroup = platforms.kill;

interface Seen {
  readonly key: string;
  readonly n: number;
  readonly ok: boolean;
}

const answers = new Map<ReceivedRequest, boolean>();
const seen = (receiver: TestReceiver): Seen[] =>
  receiver.requests.map((r) => {
    const data = (JSON.parse(r.body) as { data: { key: string; n: number } }).data;
    return { key: data.key, n: data.n, ok: answers.get(r) ?? false };
  });

let receiver: TestReceiver | undefined;
afterAll(async () => {
  await platforms.stopAll();
  await receiver?.close();
});

describe('an ordered webhook whose receiver fails at random, the platform killed with -9 in the middle', () => {
  it('receives every key’s events in acceptance order (after a success nothing earlier comes) and loses none', async () => {
    receiver = await startReceiver((req) => {
      const ok = Math.random() >= FAILING;
      answers.set(req, ok);
      return { status: ok ? 200 : 500 };
    });
    const first = await start();
    const created = await client(first.apiUrl, adminKey).request('POST', '/v1/tenants', {
      tenant_id: 'lines',
    });
    expect(created.status).toBe(201);
    const tenantKey: string = created.body.api_key;
    const tenant = client(first.apiUrl, tenantKey);
    const webhook = await tenant.request('POST', '/v1/webhooks', {
      url: `${receiver.url}/in`,
      ordering: 'per_key',
    });
    expect(webhook.status).toBe(201);

    // Accepted in this order: event i is the (i / KEYS)th of key i % KEYS.
    const ids: string[] = [];
    for (let b = 0; b < EVENTS / 100; b++) {
      const batch = await tenant.request('POST', '/v1/events/batch', {
        events: Array.from({ length: 100 }, (_, j) => {
          const i = b * 100 + j;
          const key = `customer-${i % KEYS}`;
          return { type: 'customer.updated', ordering_key: key, data: { key, n: Math.floor(i / KEYS) } };
        }),
      });
      expect(batch.status).toBe(201);
      ids.push(...batch.body.results.map((r: { event_id: string }) => r.event_id));
    }

    // Killed with about a third delivered: lines are in flight, some heads held for a retry.
    await eventually(
      async () =>
        seen(receiver as TestReceiver).filter((s) => s.ok).length >= EVENTS / 3 ? true : undefined,
      120_000,
      200,
    );
    await killGroup(first.child, 'SIGKILL');
    const beforeRestart = receiver.requests.length;
    expect(beforeRestart).toBeLessThan(EVENTS * 1.5);

    const second = await start();
    const again = client(second.apiUrl, tenantKey);
    const delivered = () =>
      new Set(
        seen(receiver as TestReceiver)
          .filter((s) => s.ok)
          .map((s) => `${s.key}/${s.n}`),
      );
    await eventually(async () => (delivered().size === EVENTS ? true : undefined), 180_000, 500);

    // Per key, in the order the receiver got them: never earlier than a success, never past the
    // next one (each waits for the one before it).
    const violations: string[] = [];
    for (let k = 0; k < KEYS; k++) {
      const key = `customer-${k}`;
      let done = -1;
      for (const s of seen(receiver).filter((x) => x.key === key)) {
        if (s.n < done || s.n > done + 1) violations.push(`${key}: ${s.n} after ${done} was delivered`);
        if (s.ok) done = Math.max(done, s.n);
      }
    }
    expect(violations).toEqual([]);

    // None lost: every event is DELIVERED.
    const statuses = new Map<string, number>();
    for (let i = 0; i < ids.length; i += 25) {
      const reads = await Promise.all(
        ids.slice(i, i + 25).map((id) => again.request('GET', `/v1/events/${id}`)),
      );
      for (const r of reads) statuses.set(r.body.status, (statuses.get(r.body.status) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ DELIVERED: EVENTS });
    await killGroup(second.child, 'SIGTERM');
  }, 420_000);
});
