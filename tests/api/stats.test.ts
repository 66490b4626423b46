import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type Client,
  client,
  eventually,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';

// Stats are checked against what the API itself shows (events, attempt history), so they
// hold whatever the store does underneath.

let platform: TestPlatform;
let receiver: TestReceiver;
let api: Client;
let okId: string;
let badId: string;

beforeAll(async () => {
  // Three attempts, two seconds apart: long enough to act on a retrying delivery.
  platform = await startTestPlatform({ retrySchedule: '0,2s,2s' });
  receiver = await startReceiver((req) =>
    req.headers['x-path'] === 'bad' ? { status: 500 } : { status: 200 },
  );
  const admin = client(platform.apiUrl, platform.adminKey);
  const created = await admin.request('POST', '/v1/tenants', { tenant_id: 'numbers' });
  expect(created.status).toBe(201);
  api = client(platform.apiUrl, created.body.api_key);
  const ok = await api.request('POST', '/v1/webhooks', { url: `${receiver.url}/ok` });
  const bad = await api.request('POST', '/v1/webhooks', {
    url: `${receiver.url}/bad`,
    events: ['order.paid'],
    headers: { 'X-Path': 'bad' },
  });
  expect([ok.status, bad.status]).toEqual([201, 201]);
  okId = ok.body.webhook.id;
  badId = bad.body.webhook.id;
});

afterAll(async () => {
  await receiver?.close();
  await platform?.stop();
});

type HistoryEntry = { outcome: string; duration_ms: number; attempted_at: string };

/** A webhook's whole attempt history, page by page. */
const history = async (webhookId: string): Promise<HistoryEntry[]> => {
  const all: HistoryEntry[] = [];
  let cursor: string | null = null;
  do {
    const page = await api.request(
      'GET',
      `/v1/webhooks/${webhookId}/deliveries?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(page.status).toBe(200);
    all.push(...page.body.attempts);
    cursor = page.body.next_cursor;
  } while (cursor);
  return all;
};

const eventStatus = async (id: string): Promise<string> =>
  (await api.request('GET', `/v1/events/${id}`)).body.status;

const deliveryOf = async (eventId: string, webhookId: string) =>
  (await api.request('GET', `/v1/events/${eventId}`)).body.deliveries.find(
    (d: { webhook_id: string }) => d.webhook_id === webhookId,
  );

describe('GET /v1/stats', () => {
  it('counts failed attempts of retrying deliveries in the success rate', async () => {
    const fine = await api.request('POST', '/v1/events', { type: 'ping', data: {} });
    await eventually(async () =>
      (await eventStatus(fine.body.event_id)) === 'DELIVERED' ? true : undefined,
    );
    const paid = await api.request('POST', '/v1/events', { type: 'order.paid', data: { n: 1 } });
    // The failing endpoint's first attempt is made; the event is still retrying.
    await eventually(async () => ((await history(badId)).length >= 1 ? true : undefined));
    expect(await eventStatus(paid.body.event_id)).toBe('PENDING');

    // The worker writes its counters once its batch is done: they catch up with the history then.
    const { stats, attempts } = await eventually(async () => {
      const stats = await api.request('GET', '/v1/stats?window=1h');
      expect(stats.status).toBe(200);
      const attempts = [...(await history(okId)), ...(await history(badId))];
      return stats.body.attempts.total === attempts.length ? { stats, attempts } : undefined;
    });
    const succeeded = attempts.filter((a) => a.outcome === 'success').length;
    expect(stats.body.attempts).toMatchObject({
      total: attempts.length,
      succeeded,
      failed: attempts.length - succeeded,
      complete: true,
    });
    expect(stats.body.success_rate).toBeLessThan(1);
    expect(stats.body.success_rate).toBeCloseTo(succeeded / attempts.length, 10);
    // The response says what it covers.
    expect(stats.body).toMatchObject({ window: '1h' });
    expect(Date.parse(stats.body.since)).toBeLessThan(Date.parse(stats.body.until));
    expect(typeof stats.body.covers.events).toBe('string');
    expect(typeof stats.body.covers.attempts).toBe('string');

    await eventually(async () => ((await eventStatus(paid.body.event_id)) === 'FAILED' ? true : undefined));
  });

  it('an event whose pending delivery was cancelled (DELETE /v1/events/{id}) is CANCELLED, and counted so', async () => {
    const before = (await api.request('GET', '/v1/stats?window=1h')).body.counts.CANCELLED as number;
    const sent = await api.request('POST', '/v1/events', { type: 'order.paid', data: { n: 2 } });
    const id = sent.body.event_id as string;
    // The healthy endpoint got it; the failing one is waiting for its second attempt.
    await eventually(async () => {
      const [good, bad] = [await deliveryOf(id, okId), await deliveryOf(id, badId)];
      return good?.status === 'DELIVERED' && bad?.attempt_count === 1 ? true : undefined;
    });
    const cancelled = await api.request('DELETE', `/v1/events/${id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED', cancelled: 1 });
    expect(await eventStatus(id)).toBe('CANCELLED');
    const stats = await api.request('GET', '/v1/stats?window=1h');
    expect(stats.body.counts.CANCELLED).toBe(before + 1);
    const listed = await api.request('GET', '/v1/events?status=CANCELLED&limit=100');
    expect(listed.body.events.map((e: { event_id: string }) => e.event_id)).toContain(id);
  });

  it('an event whose webhook was deleted before its delivery was made is CANCELLED, not DELIVERED', async () => {
    const doomed = await api.request('POST', '/v1/webhooks', {
      url: `${receiver.url}/doomed`,
      events: ['order.shipped'],
      headers: { 'X-Path': 'bad' },
    });
    const doomedId = doomed.body.webhook.id as string;
    const sent = await api.request('POST', '/v1/events', { type: 'order.shipped', data: {} });
    const id = sent.body.event_id as string;
    await eventually(async () => ((await deliveryOf(id, doomedId))?.attempt_count === 1 ? true : undefined));
    expect((await api.request('DELETE', `/v1/webhooks/${doomedId}`)).status).toBe(204);
    await eventually(async () => ((await eventStatus(id)) !== 'PENDING' ? true : undefined));
    expect(await eventStatus(id)).toBe('CANCELLED');
    expect((await deliveryOf(id, okId)).status).toBe('DELIVERED');
  });

  it('counts every attempt of the window: the latency sample grows with the attempts', async () => {
    const first = (await api.request('GET', '/v1/stats?window=1h')).body;
    expect(first.attempt_latency_ms.sample).toBe(first.attempts.total);
    const batch = await api.request('POST', '/v1/events/batch', {
      events: Array.from({ length: 100 }, (_, i) => ({ type: 'ping', data: { i } })),
    });
    expect(batch.status).toBe(201);
    // Each event of the batch settled, read one by one: each event's own status says when its
    // attempt is recorded.
    const ids = (batch.body.results as { event_id: string }[]).map((r) => r.event_id);
    await eventually(
      async () => {
        const statuses = await Promise.all(ids.map((id) => eventStatus(id)));
        return statuses.every((s) => s !== 'PENDING') ? true : undefined;
      },
      60_000,
      250,
    );
    const second = await eventually(async () => {
      const body = (await api.request('GET', '/v1/stats?window=1h')).body;
      return body.attempts.total >= first.attempts.total + 100 ? body : undefined;
    });
    expect(second.attempt_latency_ms.sample).toBe(second.attempts.total);
    expect(second.attempts.complete).toBe(true);
    expect(second.deliveries.delivered).toBeGreaterThanOrEqual(first.deliveries.delivered + 100);
    // Within the bins' 4.5 % of the exact median of the healthy endpoint's attempts.
    const own = (await api.request('GET', `/v1/stats?window=1h&webhook_id=${okId}`)).body;
    const durations = (await history(okId)).map((a) => a.duration_ms).sort((a, b) => a - b);
    const exact = durations[Math.floor(durations.length / 2)] ?? 0;
    expect(own.attempts.total).toBe(durations.length);
    expect(Math.abs(own.attempt_latency_ms.p50 - exact)).toBeLessThanOrEqual(0.045 * exact + 0.5);
  });

  it('gives the window as a series and names the endpoint failing now', async () => {
    const stats = (await api.request('GET', '/v1/stats?window=1h')).body;
    expect(stats.bucket).toBe('5m');
    expect(stats.since).toBe(stats.series[0].start);
    expect(stats.series.length).toBeGreaterThanOrEqual(12);
    for (const field of ['attempts', 'succeeded', 'failed', 'delivered', 'exhausted']) {
      const inSeries = stats.series.reduce((n: number, p: Record<string, number>) => n + (p[field] ?? 0), 0);
      expect(inSeries).toBe(
        field === 'delivered' || field === 'exhausted'
          ? stats.deliveries[field]
          : field === 'attempts'
            ? stats.attempts.total
            : stats.attempts[field],
      );
    }
    // The first test's order.paid spent its three attempts on the failing endpoint.
    expect(stats.deliveries.exhausted).toBeGreaterThanOrEqual(1);
    const bad = await history(badId);
    const failed = bad.filter((a) => a.outcome === 'failure');
    expect(stats.failing_endpoints).toEqual([
      {
        webhook_id: badId,
        url: `${receiver.url}/bad`,
        failures: failed.length,
        last_failure_at: failed
          .map((a) => a.attempted_at)
          .sort()
          .at(-1),
        state: 'failing',
        failing_since: expect.any(String),
      },
    ]);
    const one = (await api.request('GET', `/v1/stats?window=1h&webhook_id=${badId}`)).body;
    expect(one).toMatchObject({ webhook_id: badId, success_rate: 0, attempts: { total: bad.length } });
    expect((await api.request('GET', '/v1/stats?window=1h&webhook_id=wh_nothere')).status).toBe(404);
  });
});
