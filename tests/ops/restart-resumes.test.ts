import { afterAll, describe, expect, it } from '@jest/globals';
import { client, eventually } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';
import { killablePlatforms } from './platform-process-control.js';

const EVENTS = 10;
// Shorter than a stage's 180 s, so that the test can wait it out; honoured all the same.
const VISIBILITY_SECONDS = 8;
const platforms = killablePlatforms('kill', { visibilitySeconds: VISIBILITY_SECONDS });
const { adminKey, start } = platforms;
const killGroup = platforms.kill;

let receiver: TestReceiver | undefined;
afterAll(async () => {
  await platforms.stopAll();
  await receiver?.close();
});

describe('a platform killed with -9 in the middle of deliveries, restarted on its data', () => {
  it('loses nothing: what the killed one held comes back once the visibility timeout has passed, as on SQS', async () => {
    // Slow answers: when the kill comes, deliveries are in flight.
    receiver = await startReceiver(() => ({ status: 200, delayMs: 2_000 }));
    const first = await start();
    const created = await client(first.apiUrl, adminKey).request('POST', '/v1/tenants', {
      tenant_id: 'killed',
      target_url: `${receiver.url}/in`,
    });
    expect(created.status).toBe(201);
    const tenantKey: string = created.body.api_key;
    const sentAt = Date.now();
    const batch = await client(first.apiUrl, tenantKey).request('POST', '/v1/events/batch', {
      events: Array.from({ length: EVENTS }, (_, n) => ({ type: 'order.created', data: { n } })),
    });
    expect(batch.status).toBe(201);
    const ids: string[] = batch.body.results.map((r: { event_id: string }) => r.event_id);
    // Every delivery is waiting on its 2 s answer: all of them are held when the kill comes.
    await eventually(async () => (receiver && receiver.requests.length >= EVENTS ? true : undefined), 30_000);
    await killGroup(first.child, 'SIGKILL');
    const beforeRestart = receiver.requests.length;

    const second = await start();
    const tenant = client(second.apiUrl, tenantKey);
    await eventually(
      async () => {
        const events = await Promise.all(ids.map((id) => tenant.request('GET', `/v1/events/${id}`)));
        return events.every((e) => e.body.status === 'DELIVERED') ? true : undefined;
      },
      60_000,
      500,
    );
    const received = new Set(receiver.requests.map((r) => r.headers['webhook-id']));
    for (const id of ids) expect(received.has(id)).toBe(true);
    // Nothing was released at the restart: every message the killed platform had received (all
    // were sent before it) stayed invisible for the visibility timeout from its receive.
    const afterRestart = receiver.requests.slice(beforeRestart);
    expect(afterRestart.length).toBeGreaterThan(0);
    for (const request of afterRestart) {
      expect(request.at).toBeGreaterThanOrEqual(sentAt + VISIBILITY_SECONDS * 1000);
    }
    await killGroup(second.child, 'SIGTERM');
  }, 150_000);
});
