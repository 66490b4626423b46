import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { ENV } from '@hookrelay/definitions';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Client, client, startTestPlatform, type TestPlatform } from '../support/platform.js';

/**
 * Portal sessions against the local platform, whose gateway caches the authorizer's answer for
 * 300 s per token as API Gateway does: a session that ends must stop at once all the same.
 */
describe('portal sessions', () => {
  let platform: TestPlatform;
  let admin: Client;
  let acme: Client;
  let other: Client;

  const tokenOf = (url: string): string => {
    const token = new URL(url).hash.replace(/^#token=/, '');
    expect(token).toMatch(/^hrps_ps_/);
    return token;
  };
  const open = async (body: Record<string, unknown> = {}, as: Client = acme) => {
    const created = await as.request('POST', '/v1/portal/sessions', body);
    expect(created.status).toBe(201);
    return {
      ...created.body,
      token: tokenOf(created.body.url),
      api: client(platform.apiUrl, tokenOf(created.body.url)),
    };
  };

  beforeAll(async () => {
    platform = await startTestPlatform({ startWorker: false });
    admin = client(platform.apiUrl, platform.adminKey);
    const make = async (tenant_id: string) =>
      client(platform.apiUrl, (await admin.request('POST', '/v1/tenants', { tenant_id })).body.api_key);
    acme = await make('portal-acme');
    other = await make('portal-other');
  });
  afterAll(async () => platform?.stop());

  it('opens a link for the calling tenant only: the token in the fragment, never the key', async () => {
    const session = await open({ ttl_seconds: 600, theme: { accent: '#5b4cdb', name: 'Acme' } });
    const url = new URL(session.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${platform.apiUrl}/portal`);
    expect(url.searchParams.get('session')).toBe(session.session_id);
    expect(session.capabilities).toEqual(['read', 'manage']);
    expect(Date.parse(session.expires_at) - Date.now()).toBeGreaterThan(590_000);
    expect(Date.parse(session.expires_at) - Date.now()).toBeLessThanOrEqual(600_000);

    const me = await session.api.request('GET', '/v1/portal/session');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      session_id: session.session_id,
      tenant_id: 'portal-acme',
      theme: { accent: '#5b4cdb', name: 'Acme' },
    });
    const created = await session.api.request('POST', '/v1/webhooks', { url: 'https://example.com/hook' });
    expect(created.status).toBe(201);
    const seen = await acme.request('GET', `/v1/webhooks/${created.body.webhook.id}`);
    expect([seen.status, seen.body.webhook.url]).toEqual([200, 'https://example.com/hook']);
    expect((await other.request('GET', `/v1/webhooks/${created.body.webhook.id}`)).status).toBe(404);
  });

  it('reaches its own tenant and nothing under /v1/tenants, keys or sessions', async () => {
    const { api } = await open();
    const hook = await other.request('POST', '/v1/webhooks', { url: 'https://example.com/other' });
    expect((await api.request('GET', `/v1/webhooks/${hook.body.webhook.id}`)).status).toBe(404);
    for (const [method, path] of [
      ['GET', '/v1/tenants/current'],
      ['GET', '/v1/tenants/portal-acme'],
      ['POST', '/v1/tenants/portal-acme/keys'],
      ['POST', '/v1/portal/sessions'],
      ['DELETE', '/v1/portal/sessions'],
      ['POST', '/v1/events'],
    ] as const) {
      const reply = await api.request(method, path, method === 'POST' ? {} : undefined);
      expect([method, path, reply.status, reply.body.error.code]).toEqual([method, path, 403, 'forbidden']);
    }
    // A key is not a session: the portal's own route is for sessions.
    expect((await acme.request('GET', '/v1/portal/session')).status).toBe(403);
  });

  it('a read-only session reads everything and changes nothing', async () => {
    const hook = await acme.request('POST', '/v1/webhooks', { url: 'https://example.com/read-only' });
    const { api, capabilities } = await open({ capabilities: ['read'] });
    expect(capabilities).toEqual(['read']);
    expect((await api.request('GET', '/v1/webhooks')).status).toBe(200);
    expect((await api.request('GET', '/v1/events')).status).toBe(200);
    expect((await api.request('GET', '/v1/sources')).status).toBe(200);
    expect((await api.request('GET', '/v1/stats')).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', '/v1/webhooks', { url: 'https://example.com/nope' }],
      ['PATCH', `/v1/webhooks/${hook.body.webhook.id}`, { description: 'changed' }],
      ['DELETE', `/v1/webhooks/${hook.body.webhook.id}`, undefined],
      ['POST', `/v1/webhooks/${hook.body.webhook.id}/rotate-secret`, undefined],
      ['POST', '/v1/sources', { provider: 'github', name: 'gh', secret: 'x'.repeat(24) }],
    ] as const) {
      const reply = await api.request(method, path, body);
      expect([method, path, reply.status, reply.body.error.code]).toEqual([method, path, 403, 'forbidden']);
    }
    const unchanged = await acme.request('GET', `/v1/webhooks/${hook.body.webhook.id}`);
    expect([unchanged.status, unchanged.body.webhook.description]).toEqual([200, undefined]);
  });

  it('refuses bad requests for a session with a 400 that says why', async () => {
    for (const body of [
      { capabilities: [] },
      { capabilities: ['manage'] },
      { capabilities: ['read', 'admin'] },
      { ttl_seconds: 8 * 86_400 },
      { ttl_seconds: 10 },
      { theme: { accent: 'red' } },
      { theme: { logo_url: 'javascript:alert(1)' } },
      { frame_origins: ["https://a.example; script-src 'unsafe-inline'"] },
      { frame_origins: ['http://evil.example'] },
    ]) {
      const reply = await acme.request('POST', '/v1/portal/sessions', body);
      expect([JSON.stringify(body), reply.status, reply.body.error.code]).toEqual([
        JSON.stringify(body),
        400,
        'validation_error',
      ]);
    }
  });

  it('ending one session stops it at once, inside the authorizer cache window; others go on', async () => {
    const ended = await open();
    const kept = await open();
    expect((await ended.api.request('GET', '/v1/webhooks')).status).toBe(200);
    expect((await kept.api.request('GET', '/v1/webhooks')).status).toBe(200);

    expect((await other.request('DELETE', `/v1/portal/sessions/${ended.session_id}`)).status).toBe(404);
    expect((await acme.request('DELETE', `/v1/portal/sessions/${ended.session_id}`)).status).toBe(204);
    const refused = await ended.api.request('GET', '/v1/webhooks');
    expect([refused.status, refused.body.error.code]).toEqual([401, 'unauthorized']);
    expect((await kept.api.request('GET', '/v1/webhooks')).status).toBe(200);
    expect((await acme.request('DELETE', `/v1/portal/sessions/${ended.session_id}`)).status).toBe(404);
  });

  it("ending all of a tenant's sessions stops every one opened before, not the next ones", async () => {
    const first = await open();
    const second = await open({ capabilities: ['read'] });
    const elsewhere = await open({}, other);
    for (const s of [first, second, elsewhere])
      expect((await s.api.request('GET', '/v1/events')).status).toBe(200);

    expect((await acme.request('DELETE', '/v1/portal/sessions')).status).toBe(204);
    for (const s of [first, second]) expect((await s.api.request('GET', '/v1/events')).status).toBe(401);
    expect((await elsewhere.api.request('GET', '/v1/events')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 5));
    const later = await open();
    expect((await later.api.request('GET', '/v1/events')).status).toBe(200);
  });

  it('refuses forged, tampered, expired and disabled-tenant tokens', async () => {
    const session = await open({ ttl_seconds: 60 });
    const [head = '', secret = ''] = session.token.split('.');
    const flipped = `${head}.${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    for (const token of [
      flipped,
      `${head}.${'A'.repeat(43)}`,
      'hrps_ps_01JD6Z9M3QH4T2W7X9RZ5K8B1C.x',
      'hrps_',
    ]) {
      expect((await client(platform.apiUrl, token).request('GET', '/v1/webhooks')).status).toBe(401);
    }
    expect((await session.api.request('GET', '/v1/webhooks')).status).toBe(200);
    // Its hour passes: the stored expiry moves into the past (the gateway still holds its allow).
    const db = new DynamoDBClient({
      endpoint: platform.dynamodbEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await db.send(
      new UpdateItemCommand({
        TableName: platform.env[ENV.keysTable],
        Key: { pk: { S: `PSESSION#${session.session_id}` } },
        UpdateExpression: 'SET expires_at = :past',
        ExpressionAttributeValues: { ':past': { S: new Date(Date.now() - 1000).toISOString() } },
      }),
    );
    expect((await session.api.request('GET', '/v1/webhooks')).status).toBe(401);

    const live = await open();
    expect((await live.api.request('GET', '/v1/webhooks')).status).toBe(200);
    expect((await admin.request('PATCH', '/v1/tenants/portal-acme', { status: 'disabled' })).status).toBe(
      200,
    );
    try {
      expect((await live.api.request('GET', '/v1/webhooks')).status).toBe(401);
    } finally {
      await admin.request('PATCH', '/v1/tenants/portal-acme', { status: 'active' });
    }
  });
});
