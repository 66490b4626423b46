import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { captureOutput } from '../support/output.js';
import { type Client, client, startTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
let admin: Client;
let api: Client;
let apiKey: string;
const output: string[] = [];
let restoreOutput: () => void = () => {};

beforeAll(async () => {
  // The functions write their JSON lines to stdout, as Lambda's runtime sends them to CloudWatch.
  restoreOutput = captureOutput(output);
  platform = await startTestPlatform();
  admin = client(platform.apiUrl, platform.adminKey);
  const created = await admin.request('POST', '/v1/tenants', { tenant_id: 'logged' });
  expect(created.status).toBe(201);
  apiKey = created.body.api_key;
  api = client(platform.apiUrl, apiKey);
});

afterAll(async () => {
  restoreOutput();
  await platform?.stop();
});

/** Every line the process wrote, each parsed as JSON (or kept as text when it is not). */
const lines = (): (Record<string, unknown> | string)[] =>
  output
    .join('')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return l;
      }
    });

const accessLine = (requestId: string) =>
  lines().find(
    (l): l is Record<string, unknown> =>
      typeof l === 'object' && l.message === 'request' && l.request_id === requestId,
  );

describe('API access log', () => {
  it.each([
    ['POST', '/v1/events', { type: 'order.paid', data: { card: 'SECRET-PAYLOAD-4242' } }, 201, '/v1/events'],
    ['GET', '/v1/events/evt_nope', undefined, 404, '/v1/events/{id}'],
    [
      'POST',
      '/v1/webhooks',
      { url: 'https://example.com/h', colour: 'SECRET-PAYLOAD-4242' },
      400,
      '/v1/webhooks',
    ],
    ['GET', '/v1/events?limit=1', undefined, 200, '/v1/events'],
  ] as const)(
    '%s %s → one JSON line with the route, status and tenant',
    async (method, path, body, status, route) => {
      const requestId = `req-${Math.random().toString(36).slice(2)}`;
      const reply = await api.request(method, path, body, { 'x-request-id': requestId });
      expect(reply.status).toBe(status);
      const line = accessLine(requestId);
      expect(line).toMatchObject({
        level: 'INFO',
        request_id: requestId,
        tenant_id: 'logged',
        method,
        route,
        status,
      });
      expect(line?.latency_ms).toEqual(expect.any(Number));
      const text = JSON.stringify(line);
      expect(text).not.toContain('SECRET-PAYLOAD');
      expect(text).not.toContain(apiKey);
      expect(text.toLowerCase()).not.toContain('bearer');
      expect(
        lines().filter((l) => typeof l === 'object' && l.request_id === requestId && l.message === 'request'),
      ).toHaveLength(1);
    },
  );

  it('logs admin calls without a tenant, and never the secrets a response shows', async () => {
    const requestId = `req-${Math.random().toString(36).slice(2)}`;
    const created = await admin.request(
      'POST',
      '/v1/tenants',
      { tenant_id: 'logged2' },
      { 'x-request-id': requestId },
    );
    expect(created.status).toBe(201);
    const line = accessLine(requestId);
    expect(line).toMatchObject({ route: '/v1/tenants', status: 201, method: 'POST' });
    const all = output.join('');
    expect(all).not.toContain(created.body.api_key);
    expect(all).not.toContain(platform.adminKey);
  });

  it('writes nothing but JSON lines', () => {
    expect(lines().filter((l) => typeof l === 'string')).toEqual([]);
  });
});
