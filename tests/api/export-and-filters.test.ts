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
