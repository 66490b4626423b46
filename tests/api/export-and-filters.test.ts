import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Client, client, startTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
let api: Client;

beforeAll(async () => {
  platform = await startTestPlatform();
  const admin = client(platform.apiUrl, platform.adminKey);
  const created = await admin.request('POST', '/v1/tenants', { tenant_id: 'exporter' });
  expect(created.status).toBe(201);
  api = client(platform.apiUrl, created.body.api_key);
});

afterAll(async () => {
  await platform?.stop();
});

const ndjson = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('GET /v1/events/export', () => {
  it('exports each event with its data, up to limit, and says so when it stops early', async () => {
    const sent: string[] = [];
    for (let i = 0; i < 5; i++) {
      const reply = await api.request('POST', '/v1/events', {
        type: 'export.me',
        data: { i, nested: { ok: true } },
      });
      sent.push(reply.body.event_id);
    }
    const all = await api.request('GET', '/v1/events/export?type=export.me');
    expect(all.status).toBe(200);
    expect(all.headers.get('x-export-truncated')).toBe('false');
    const lines = ndjson(all.text);
    expect(lines).toHaveLength(5);
    expect(lines.map((l) => l.event_id)).toEqual([...sent].reverse());
    expect(lines.map((l) => l.data)).toEqual([4, 3, 2, 1, 0].map((i) => ({ i, nested: { ok: true } })));

    const first = await api.request('GET', '/v1/events/export?type=export.me&limit=3');
    expect(first.headers.get('x-export-truncated')).toBe('true');
    const page = ndjson(first.text);
    const marker = page.at(-1) as {
      truncated: boolean;
      exported: number;
      limit: number;
      next_cursor: string;
    };
    expect(marker).toMatchObject({ truncated: true, exported: 3, limit: 3, next_cursor: expect.any(String) });
    expect(page.slice(0, -1).map((l) => l.event_id)).toEqual([...sent].reverse().slice(0, 3));
    // The marker's cursor resumes where the export stopped.
    const rest = await api.request(
      'GET',
      `/v1/events/export?type=export.me&limit=3&cursor=${encodeURIComponent(marker.next_cursor)}`,
    );
    expect(rest.headers.get('x-export-truncated')).toBe('false');
    expect(ndjson(rest.text).map((l) => l.event_id)).toEqual([...sent].reverse().slice(3));
  });

  it('refuses a limit outside 1..10000', async () => {
    expect((await api.request('GET', '/v1/events/export?limit=0')).status).toBe(400);
    expect((await api.request('GET', '/v1/events/export?limit=10001')).status).toBe(400);
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('created_after / created_before', () => {
  it('bound the events list, the export and the delivery history to [created_after, created_before)', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const created = await admin.request('POST', '/v1/tenants', {
        tenant_id: 'windowed',
        target_url: `http://127.0.0.1:${port}/hook`,
      });
      const tenant = client(platform.apiUrl, created.body.api_key);
      const webhookId = created.body.webhook.id as string;
      const ids: string[] = [];
      const marks: string[] = [];
      for (let i = 0; i < 3; i++) {
        marks.push(new Date().toISOString());
        await sleep(20);
        ids.push((await tenant.request('POST', '/v1/events', { type: 'w.t', data: { i } })).body.event_id);
        await sleep(20);
      }
      marks.push(new Date().toISOString());
      const q = (after: string, before: string) =>
        `created_after=${encodeURIComponent(after)}&created_before=${encodeURIComponent(before)}`;
      // [marks[1], marks[3]) holds the second and third events.
      const listed = await tenant.request('GET', `/v1/events?${q(marks[1] as string, marks[3] as string)}`);
      expect(listed.status).toBe(200);
      expect(listed.body.events.map((e: { event_id: string }) => e.event_id)).toEqual([ids[2], ids[1]]);
      const after = await tenant.request(
        'GET',
        `/v1/events?created_after=${encodeURIComponent(marks[2] as string)}`,
      );
      expect(after.body.events.map((e: { event_id: string }) => e.event_id)).toEqual([ids[2]]);
      const before = await tenant.request(
        'GET',
        `/v1/events?created_before=${encodeURIComponent(marks[1] as string)}&limit=1`,
      );
      expect(before.body.events.map((e: { event_id: string }) => e.event_id)).toEqual([ids[0]]);
      // Pages of one through the window, by cursor: the same two, in order, then the end.
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { events: { event_id: string }[]; next_cursor: string | null } } =
          await tenant.request(
            'GET',
            `/v1/events?${q(marks[1] as string, marks[3] as string)}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          );
        seen.push(...page.body.events.map((e) => e.event_id));
        cursor = page.body.next_cursor;
      } while (cursor);
      expect(seen).toEqual([ids[2], ids[1]]);
      // A cursor of the unbounded list is not one of the bounded list.
      const unbounded = await tenant.request('GET', '/v1/events?limit=1');
      const mixed = await tenant.request(
        'GET',
        `/v1/events?${q(marks[0] as string, marks[3] as string)}&cursor=${encodeURIComponent(unbounded.body.next_cursor)}`,
      );
      expect(mixed.status).toBe(400);

      const exported = await tenant.request(
        'GET',
        `/v1/events/export?${q(marks[0] as string, marks[2] as string)}`,
      );
      expect(ndjson(exported.text).map((l) => l.event_id)).toEqual([ids[1], ids[0]]);

      // Attempts are made as each event is delivered; bound by the attempts' own times.
      const history = await (async () => {
        for (let tries = 0; tries < 100; tries++) {
          const all = await tenant.request('GET', `/v1/webhooks/${webhookId}/deliveries?limit=100`);
          if (all.body.deliveries.length === 3)
            return all.body.deliveries as { event_id: string; attempted_at: string }[];
          await sleep(100);
        }
        throw new Error('not delivered');
      })();
      // One batch may hold all three, so attempts can share a millisecond: the bound splits the
      // history by time, [bound, ∞) and (−∞, bound), whatever the batching made of it.
      const bound = (history[0] as { attempted_at: string }).attempted_at;
      const eventIds = (list: { event_id: string }[]) => list.map((a) => a.event_id).sort();
      const bounded = await tenant.request(
        'GET',
        `/v1/webhooks/${webhookId}/deliveries?created_after=${encodeURIComponent(bound)}`,
      );
      const atOrAfter = history.filter((a) => a.attempted_at >= bound);
      expect(atOrAfter.length).toBeGreaterThan(0);
      expect(eventIds(bounded.body.deliveries)).toEqual(eventIds(atOrAfter));
      const alias = await tenant.request(
        'GET',
        `/v1/webhooks/deliveries?webhookId=${webhookId}&created_before=${encodeURIComponent(bound)}`,
      );
      expect(eventIds(alias.body.deliveries)).toEqual(
        eventIds(history.filter((a) => a.attempted_at < bound)),
      );

      const backwards = await tenant.request(
        'GET',
        `/v1/events?${q(marks[3] as string, marks[0] as string)}`,
      );
      expect(backwards.status).toBe(400);
      expect(backwards.body.error.details[0].field).toBe('created_after');
      expect((await tenant.request('GET', '/v1/events?created_after=yesterday')).status).toBe(400);
    } finally {
      server.close();
    }
  });
});

describe('dates a client may send but no clock can represent', () => {
  it('a leap second or an offset without minutes is a 400 naming the field, on every route that takes them', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', { tenant_id: 'odd-dates' });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const hook = await tenant.request('POST', '/v1/webhooks', { url: 'https://example.com/hook' });
    const webhookId: string = hook.body.webhook.id;
    for (const [field, value] of [
      ['created_after', '2026-06-30T23:59:60Z'],
      ['created_before', '2026-06-30T12:00:00+01'],
    ] as const) {
      for (const path of [
        '/v1/events',
        '/v1/events/export',
        `/v1/webhooks/${webhookId}/deliveries`,
        `/v1/webhooks/deliveries?webhookId=${webhookId}`,
      ]) {
        const reply = await tenant.request(
          'GET',
          `${path}${path.includes('?') ? '&' : '?'}${field}=${encodeURIComponent(value)}`,
        );
        expect([path, field, reply.status]).toEqual([path, field, 400]);
        expect(reply.body.error.details[0].field).toBe(field);
      }
    }
  });
});

describe('type filters with a trailing wildcard', () => {
  it('order.* gets every order event and nothing else; a wildcard elsewhere is refused', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', { tenant_id: 'wildcards' });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const orders = await tenant.request('POST', '/v1/webhooks', {
      url: 'https://example.com/orders',
      events: ['order.*', 'invoice.paid'],
    });
    expect(orders.status).toBe(201);
    expect(orders.body.webhook.events).toEqual(['order.*', 'invoice.paid']);
    const ordersId = orders.body.webhook.id as string;
    const deliveredTo = async (type: string): Promise<string[]> => {
      const sent = await tenant.request('POST', '/v1/events', { type, data: {} });
      const got = await tenant.request('GET', `/v1/events/${sent.body.event_id}`);
      return got.body.deliveries.map((d: { webhook_id: string }) => d.webhook_id);
    };
    expect(await deliveredTo('order.paid')).toEqual([ordersId]);
    expect(await deliveredTo('order.refund.created')).toEqual([ordersId]);
    expect(await deliveredTo('invoice.paid')).toEqual([ordersId]);
    expect(await deliveredTo('orders.paid')).toEqual([]);
    expect(await deliveredTo('order')).toEqual([]);

    for (const bad of ['order.*.paid', '*order', 'or*der', 'order.**']) {
      const refused = await tenant.request('POST', '/v1/webhooks', {
        url: 'https://example.com/x',
        events: [bad],
      });
      expect(refused.status).toBe(400);
    }
    // The platform's own types: a pattern must name some of them.
    const ops = await tenant.request('POST', '/v1/webhooks', {
      url: 'https://example.com/ops',
      events: ['hookrelay.endpoint.*'],
    });
    expect(ops.status).toBe(201);
    const none = await tenant.request('POST', '/v1/webhooks', {
      url: 'https://example.com/none',
      events: ['hookrelay.nothing.*'],
    });
    expect(none.status).toBe(400);
  });
});

describe('the webhook filter', () => {
  it('lists and exports only the events with a delivery to that webhook, in any status', async () => {
    // Two endpoints that never answer in time: their deliveries stay PENDING or end FAILED.
    const hook = async (types: string[]) =>
      (
        await api.request('POST', '/v1/webhooks', {
          url: 'https://example.com/filtered',
          events: types,
        })
      ).body.webhook.id as string;
    const both = await hook(['filter.a', 'filter.b']);
    const onlyB = await hook(['filter.b']);
    const a = (await api.request('POST', '/v1/events', { type: 'filter.a', data: {} })).body.event_id;
    const b = (await api.request('POST', '/v1/events', { type: 'filter.b', data: {} })).body.event_id;

    const ids = async (query: string) =>
      (await api.request('GET', `/v1/events?${query}`)).body.events.map(
        (e: { event_id: string }) => e.event_id,
      );
    expect(await ids(`webhook_id=${both}&type=filter.a`)).toEqual([a]);
    expect((await ids(`webhook_id=${both}`)).filter((id: string) => id === a || id === b)).toEqual([b, a]);
    expect((await ids(`webhook_id=${onlyB}`)).filter((id: string) => id === a || id === b)).toEqual([b]);
    expect(await ids(`webhook_id=${onlyB}&status=PENDING&type=filter.a`)).toEqual([]);
    const exported = await api.request('GET', `/v1/events/export?webhook_id=${onlyB}&type=filter.b`);
    expect(ndjson(exported.text).map((l) => l.event_id)).toEqual([b]);

    // A cursor of the filtered list does not page the unfiltered one.
    const first = await api.request('GET', `/v1/events?webhook_id=${both}&limit=1`);
    const other = await api.request('GET', `/v1/events?limit=1&cursor=${first.body.next_cursor}`);
    expect([other.status, other.body.error.code]).toEqual([400, 'validation_error']);
  });
});
