import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';

/**
 * A main-lane attempt unanswered after the lane's budget (2 s) is given up and handed to the slow
 * lane. Its request reached the endpoint all the same: the history shows it, so that every
 * request an endpoint received is an attempt the tenant can see.
 */
describe('an attempt abandoned on the main lane', () => {
  let platform: TestPlatform;
  let receiver: TestReceiver;

  beforeAll(async () => {
    platform = await startTestPlatform();
    // The first request answers after 4 s (past the budget, inside the timeout); later ones at once.
    let first = true;
    receiver = await startReceiver(() => {
      const slow = first;
      first = false;
      return slow ? { status: 200, delayMs: 4_000 } : { status: 200 };
    });
  });
  afterAll(async () => {
    await receiver?.close();
    await platform?.stop();
  });

  it('is in the history as an attempt: as many attempts as requests the endpoint received', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'abandoned',
      target_url: `${receiver.url}/slow-first`,
    });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const sent = await tenant.request('POST', '/v1/events', { type: 'order.created', data: { n: 1 } });
    const id = sent.body.event_id as string;
    const event = await eventually(async () => {
      const got = await tenant.request('GET', `/v1/events/${id}`);
      return got.body.status === 'DELIVERED' ? got.body : undefined;
    }, 60_000);
    const [delivery] = event.deliveries;
    const requests = receiver.requests.filter((r) => r.headers['webhook-id'] === id);
    expect(requests).toHaveLength(2);
    expect(
      delivery.attempts.map((a: { attempt: number; error_kind?: string; status_code?: number }) => [
        a.attempt,
        a.error_kind ?? a.status_code,
      ]),
    ).toEqual([
      [1, 'abandoned'],
      [2, 200],
    ]);
    expect(delivery.attempt_count).toBe(2);
    const history = await tenant.request('GET', `/v1/webhooks/${created.body.default_webhook_id}/deliveries`);
    expect(history.body.deliveries.filter((a: { event_id: string }) => a.event_id === id)).toHaveLength(2);
  }, 90_000);
});
