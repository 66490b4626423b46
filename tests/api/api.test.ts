import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  type Client,
  client,
  eventually,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';

let platform: TestPlatform;
let receiver: TestReceiver;
let admin: Client;
const tenants: Record<string, { api: Client; key: string; webhookId: string }> = {};

const output: string[] = [];
/** Every API key any response showed, so the log test can look for each. */
const issuedKeys: string[] = [];
const realWrite = process.stdout.write.bind(process.stdout);

beforeAll(async () => {
  // Capture every log line the handlers write, to prove no secret ever appears in one.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    output.push(String(chunk));
    return (realWrite as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  platform = await startTestPlatform();
  receiver = await startReceiver();
  admin = client(platform.apiUrl, platform.adminKey);
  for (const name of ['alpha', 'beta']) {
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: name,
      target_url: `${receiver.url}/${name}`,
    });
    expect(created.status).toBe(201);
    tenants[name] = {
      api: client(platform.apiUrl, created.body.api_key),
      key: created.body.api_key,
      webhookId: created.body.webhook.id,
    };
  }
});

afterAll(async () => {
  process.stdout.write = realWrite;
  await receiver?.close();
  await platform?.stop();
});

const alpha = () => tenants.alpha as { api: Client; key: string; webhookId: string };
const beta = () => tenants.beta as { api: Client; key: string; webhookId: string };

describe('tenants', () => {
  it('only the admin key manages tenants', async () => {
    expect((await alpha().api.request('POST', '/v1/tenants', { tenant_id: 'evil' })).status).toBe(403);
    expect((await alpha().api.request('GET', '/v1/tenants/beta')).status).toBe(403);
    expect((await admin.request('POST', '/v1/tenants', { tenant_id: 'alpha' })).status).toBe(409);
    expect((await admin.request('GET', '/v1/tenants/nobody')).status).toBe(404);
    const got = await admin.request('GET', '/v1/tenants/alpha');
    expect(got.body).toMatchObject({
      tenant_id: 'alpha',
      status: 'active',
      target_url: `${receiver.url}/alpha`,
    });
    expect(got.body.api_key).toBeUndefined();
  });

  it('a tenant reads and updates itself through /v1/tenants/current', async () => {
    const current = await alpha().api.request('GET', '/v1/tenants/current');
    expect(current.body.tenant_id).toBe('alpha');
    const patched = await alpha().api.request('PATCH', '/v1/tenants/current', {
      target_url: `${receiver.url}/alpha2`,
    });
    expect(patched.status).toBe(200);
    expect(patched.body.target_url).toBe(`${receiver.url}/alpha2`);
    expect((await alpha().api.request('PATCH', '/v1/tenants/current', { plan: 'enterprise' })).status).toBe(
      400,
    );
  });

  it('a disabled tenant is refused once the authorizer cache turns over', async () => {
    const created = await admin.request('POST', '/v1/tenants', { tenant_id: 'leaky' });
    const leaky = client(platform.apiUrl, created.body.api_key);
    expect((await leaky.request('GET', '/v1/webhooks')).status).toBe(200);
    expect((await admin.request('PATCH', '/v1/tenants/leaky', { status: 'disabled' })).status).toBe(200);
    platform.api.flushAuthorizerCache();
    expect((await leaky.request('GET', '/v1/webhooks')).status).toBe(401);
  });

  it('the admin issues, lists and revokes keys; a revoked key is refused once the cache turns over', async () => {
    const created = await admin.request('POST', '/v1/tenants', { tenant_id: 'keyring' });
    expect(created.status).toBe(201);
    const firstId = created.body.api_key_id as string;
    const first = client(platform.apiUrl, created.body.api_key);
    issuedKeys.push(created.body.api_key);

    const issued = await admin.request('POST', '/v1/tenants/keyring/keys');
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ tenant_id: 'keyring', hint: issued.body.api_key.slice(-4) });
    expect(issued.body.api_key).toMatch(/^hr_/);
    expect(issued.body.key_id).not.toBe(firstId);
    issuedKeys.push(issued.body.api_key);
    const second = client(platform.apiUrl, issued.body.api_key);
    expect((await second.request('GET', '/v1/tenants/current')).body.tenant_id).toBe('keyring');

    // Listing shows ids and hints only: a key is never shown twice, nor its hash.
    const listed = await admin.request('GET', '/v1/tenants/keyring/keys');
    expect(listed.status).toBe(200);
    expect(listed.body.count).toBe(2);
    expect(listed.body.keys.map((k: { key_id: string }) => k.key_id).sort()).toEqual(
      [firstId, issued.body.key_id].sort(),
    );
    const listedText = JSON.stringify(listed.body);
    expect(listedText).not.toContain(created.body.api_key);
    expect(listedText).not.toContain(issued.body.api_key);
    expect(listedText).not.toMatch(/key_hash|[0-9a-f]{64}/);

    expect((await first.request('GET', '/v1/webhooks')).status).toBe(200);
    expect((await admin.request('DELETE', `/v1/tenants/keyring/keys/${firstId}`)).status).toBe(204);
    // The authorizer's answer for the revoked key is still cached (300 s on API Gateway).
    expect((await first.request('GET', '/v1/webhooks')).status).toBe(200);
    platform.api.flushAuthorizerCache();
    expect((await first.request('GET', '/v1/webhooks')).status).toBe(401);
    expect((await second.request('GET', '/v1/webhooks')).status).toBe(200);

    const after = await admin.request('GET', '/v1/tenants/keyring/keys');
    expect(after.body.keys.map((k: { key_id: string }) => k.key_id)).toEqual([issued.body.key_id]);
  });

  it('key management is admin only, and unknown tenants or keys are 404', async () => {
    expect((await alpha().api.request('POST', '/v1/tenants/alpha/keys')).status).toBe(403);
    expect((await alpha().api.request('GET', '/v1/tenants/alpha/keys')).status).toBe(403);
    expect((await alpha().api.request('DELETE', '/v1/tenants/beta/keys/key_x')).status).toBe(403);
    expect((await admin.request('POST', '/v1/tenants/nobody/keys')).status).toBe(404);
    expect((await admin.request('GET', '/v1/tenants/nobody/keys')).status).toBe(404);
    const missing = await admin.request('DELETE', '/v1/tenants/alpha/keys/key_nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBeDefined();
    // beta's key cannot be revoked through alpha.
    const betaKeys = await admin.request('GET', '/v1/tenants/beta/keys');
    const betaKeyId = betaKeys.body.keys[0].key_id as string;
    expect((await admin.request('DELETE', `/v1/tenants/alpha/keys/${betaKeyId}`)).status).toBe(404);
    expect((await beta().api.request('GET', '/v1/tenants/current')).status).toBe(200);
  });
});

describe('webhooks', () => {
  it('creates, lists, reads, updates and deletes; the secret is shown once', async () => {
    const created = await alpha().api.request('POST', '/v1/webhooks', {
      url: `${receiver.url}/extra`,
      events: ['invoice.paid'],
      description: 'billing',
    });
    expect(created.status).toBe(201);
    expect(created.body.webhook.secret).toMatch(/^whsec_/);
    const id = created.body.webhook.id;
    const list = await alpha().api.request('GET', '/v1/webhooks');
    expect(list.body.count).toBe(list.body.webhooks.length);
    const listed = list.body.webhooks.find((w: { id: string }) => w.id === id);
    expect(listed).toMatchObject({
      delivery_success_count: 0,
      delivery_failure_count: 0,
      events: ['invoice.paid'],
    });
    expect(listed.secret).toBeUndefined();
    expect((await alpha().api.request('GET', `/v1/webhooks/${id}`)).body.webhook.secret).toBeUndefined();
    const patched = await alpha().api.request('PATCH', `/v1/webhooks/${id}`, { active: false });
    expect(patched.body.webhook.active).toBe(false);
    expect((await alpha().api.request('DELETE', `/v1/webhooks/${id}`)).status).toBe(204);
    expect((await alpha().api.request('GET', `/v1/webhooks/${id}`)).status).toBe(404);
  });

  it('rotates a secret, tests synchronously and shows delivery history', async () => {
    const { api, webhookId } = alpha();
    const rotated = await api.request('POST', `/v1/webhooks/${webhookId}/rotate-secret`);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    const test = await api.request('POST', `/v1/webhooks/${webhookId}/test`);
    expect(test.body).toMatchObject({ success: true, status_code: 200 });
    const last = receiver.requests[receiver.requests.length - 1];
    // During the rotation every request carries one signature per valid secret.
    expect(String(last?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    const byQuery = await api.request('POST', `/v1/webhooks/test?webhook_id=${webhookId}`);
    expect(byQuery.body.success).toBe(true);
    const sent = await api.request('POST', '/v1/events', { type: 'a.b', data: {} });
    await eventually(async () => {
      const history = await api.request('GET', `/v1/webhooks/deliveries?webhook_id=${webhookId}&limit=5`);
      return history.body.attempts.some((d: { event_id: string }) => d.event_id === sent.body.event_id)
        ? true
        : undefined;
    });
  });

  it('the old spellings still work for one release, beside the new ones (docs/api.md)', async () => {
    const { api, webhookId } = alpha();
    const sent = await api.request('POST', '/v1/events', { type: 'alias.check', data: {} });
    expect(sent.status).toBe(201);
    expect(sent.body.delivery_count).toBe(1);
    expect(sent.body.deliveries).toBe(sent.body.delivery_count);
    const batch = await api.request('POST', '/v1/events/batch', { events: [{ type: 'alias.check' }] });
    expect(batch.body.results[0]).toMatchObject({ delivery_count: 1, deliveries: 1 });

    expect((await api.request('POST', `/v1/webhooks/test?webhookId=${webhookId}`)).body.success).toBe(true);
    expect((await api.request('POST', `/v1/webhooks/test?webhook_id=${webhookId}`)).body.success).toBe(true);
    const history = await eventually(async () => {
      const page = await api.request('GET', `/v1/webhooks/${webhookId}/deliveries?limit=100`);
      return page.body.attempts.some((a: { event_id: string }) => a.event_id === sent.body.event_id)
        ? page
        : undefined;
    });
    expect(history.body.deliveries).toEqual(history.body.attempts);
    expect(history.body.has_more).toBe(history.body.next_cursor !== null);
    const oldName = await api.request('GET', `/v1/webhooks/deliveries?webhookId=${webhookId}&limit=100`);
    const newName = await api.request('GET', `/v1/webhooks/deliveries?webhook_id=${webhookId}&limit=100`);
    expect(oldName.status).toBe(200);
    expect(oldName.body).toEqual(newName.body);
    expect(newName.body.attempts).toEqual(history.body.attempts);
    const missing = await api.request('GET', '/v1/webhooks/deliveries?limit=5');
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([{ field: 'webhook_id', message: 'is required' }]);
  });
});

describe('events', () => {
  it('an Idempotency-Key replays the same response and refuses another body', async () => {
    const { api } = alpha();
    const first = await api.request(
      'POST',
      '/v1/events',
      { type: 'a.b', data: { n: 1 } },
      { 'idempotency-key': 'k-1' },
    );
    const again = await api.request(
      'POST',
      '/v1/events',
      { type: 'a.b', data: { n: 1 } },
      { 'idempotency-key': 'k-1' },
    );
    expect(first.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const other = await api.request(
      'POST',
      '/v1/events',
      { type: 'a.b', data: { n: 2 } },
      { 'idempotency-key': 'k-1' },
    );
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
  });

  it('takes a body without data whole, and batches with per-item results', async () => {
    const { api } = alpha();
    const whole = await api.request('POST', '/v1/events', {
      event: 'user.signed_up',
      email: 'a@example.com',
    });
    const got = await api.request('GET', `/v1/events/${whole.body.event_id}`);
    expect(got.body.data).toEqual({ event: 'user.signed_up', email: 'a@example.com' });
    expect(got.body.type).toBe('user.signed_up');
    const batch = await api.request('POST', '/v1/events/batch', {
      events: [
        { type: 'a.b', data: {} },
        { type: 'bad type!', data: {} },
        { type: 'c.d', data: { x: 1 } },
      ],
    });
    expect(batch.status).toBe(207);
    expect(batch.body).toMatchObject({ accepted: 2, rejected: 1 });
    expect(
      (await api.request('POST', '/v1/events/bulk', { events: Array(101).fill({ type: 'a' }) })).status,
    ).toBe(400);
  });

  it('lists newest first with filters and tamper-proof cursors', async () => {
    const { api } = alpha();
    for (let i = 0; i < 7; i++) await api.request('POST', '/v1/events', { type: 'page.me', data: { i } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const path: string = `/v1/events?type=page.me&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await api.request('GET', path);
      expect(page.status).toBe(200);
      seen.push(...page.body.events.map((e: { event_id: string }) => e.event_id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect([...seen].sort().reverse()).toEqual(seen);
    const first = await api.request('GET', '/v1/events?limit=1');
    const token: string = first.body.next_cursor;
    expect(
      (await api.request('GET', `/v1/events?limit=1&cursor=${encodeURIComponent(`${token}x`)}`)).status,
    ).toBe(400);
    expect(
      (await beta().api.request('GET', `/v1/events?limit=1&cursor=${encodeURIComponent(token)}`)).status,
    ).toBe(400);
    const delivered = await api.request('GET', '/v1/events?status=DELIVERED&limit=100');
    expect(delivered.body.events.every((e: { status: string }) => e.status === 'DELIVERED')).toBe(true);
    const exported = await api.request('GET', '/v1/events/export?type=page.me');
    expect(exported.headers.get('content-type')).toMatch(/ndjson/);
    expect(exported.text.trim().split('\n')).toHaveLength(7);
  });

  it('retries only FAILED events and cancels only pending ones; stats count by status', async () => {
    const { api } = alpha();
    const sent = await api.request('POST', '/v1/events', { type: 'a.b', data: {} });
    await eventually(async () => {
      const got = await api.request('GET', `/v1/events/${sent.body.event_id}`);
      return got.body.status === 'DELIVERED' ? true : undefined;
    });
    expect((await api.request('POST', `/v1/events/${sent.body.event_id}/retry`)).status).toBe(409);
    expect((await api.request('DELETE', `/v1/events/${sent.body.event_id}`)).status).toBe(409);
    const stats = await api.request('GET', '/v1/stats?window=1h');
    expect(stats.status).toBe(200);
    expect(stats.body.counts.DELIVERED).toBeGreaterThan(0);
  });
});

describe('tenant isolation', () => {
  it("tenant B can neither read, list, retry nor modify tenant A's resources", async () => {
    const a = alpha();
    const b = beta();
    const sent = await a.api.request('POST', '/v1/events', { type: 'secret.thing', data: { x: 1 } });
    const id = sent.body.event_id;
    expect((await b.api.request('GET', `/v1/events/${id}`)).status).toBe(404);
    expect((await b.api.request('POST', `/v1/events/${id}/retry`)).status).toBe(404);
    expect((await b.api.request('DELETE', `/v1/events/${id}`)).status).toBe(404);
    const listed = await b.api.request('GET', '/v1/events?limit=100');
    expect(listed.body.events.some((e: { event_id: string }) => e.event_id === id)).toBe(false);
    expect((await b.api.request('GET', `/v1/webhooks/${a.webhookId}`)).status).toBe(404);
    expect((await b.api.request('PATCH', `/v1/webhooks/${a.webhookId}`, { active: false })).status).toBe(404);
    expect((await b.api.request('DELETE', `/v1/webhooks/${a.webhookId}`)).status).toBe(404);
    expect((await b.api.request('POST', `/v1/webhooks/${a.webhookId}/rotate-secret`)).status).toBe(404);
    expect((await b.api.request('GET', `/v1/webhooks/${a.webhookId}/deliveries`)).status).toBe(404);
    const bList = await b.api.request('GET', '/v1/webhooks');
    expect(bList.body.webhooks.some((w: { id: string }) => w.id === a.webhookId)).toBe(false);
    expect((await a.api.request('GET', `/v1/webhooks/${a.webhookId}`)).body.webhook.active).toBe(true);
  });
});

describe('bad input', () => {
  it.each([
    ['malformed JSON', 'POST', '/v1/events', '{"type":', {}, 400, 'invalid_json'],
    [
      'wrong content type',
      'POST',
      '/v1/webhooks',
      'url=x',
      { 'content-type': 'text/plain' },
      415,
      'unsupported_media_type',
    ],
    [
      'unknown field',
      'POST',
      '/v1/webhooks',
      { url: 'https://example.com', color: 'red' },
      {},
      400,
      'validation_error',
    ],
    ['non-http url', 'POST', '/v1/webhooks', { url: 'ftp://example.com' }, {}, 400, 'validation_error'],
    [
      'overlong url',
      'POST',
      '/v1/webhooks',
      { url: `https://e.com/${'a'.repeat(2050)}` },
      {},
      400,
      'validation_error',
    ],
    ['bad event type', 'POST', '/v1/events', { type: 'no spaces', data: {} }, {}, 400, 'validation_error'],
    [
      'too large',
      'POST',
      '/v1/events',
      { type: 'a', data: 'x'.repeat(262_145) },
      {},
      413,
      'payload_too_large',
    ],
    ['bad limit', 'GET', '/v1/events?limit=0', undefined, {}, 400, 'validation_error'],
    ['unknown status', 'GET', '/v1/events?status=LOST', undefined, {}, 400, 'validation_error'],
  ])('%s → %s', async (_name, method, path, body, headers, status, code) => {
    const reply = await alpha().api.request(method, path, body, headers as Record<string, string>);
    expect(reply.status).toBe(status);
    expect(reply.body.error.code).toBe(code);
    expect(typeof reply.body.error.message).toBe('string');
  });

  it('random bodies, headers and query strings never yield a 5xx, a stack trace or a change', async () => {
    const { api } = beta();
    const before = await api.request('GET', '/v1/webhooks');
    const routes = [
      '/v1/webhooks',
      '/v1/events',
      '/v1/events/batch',
      `/v1/webhooks/${beta().webhookId}`,
      '/v1/tenants/current',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'PATCH', 'PUT', 'GET'),
        fc.constantFrom(...routes),
        fc.oneof(fc.string(), fc.json(), fc.constant('{"url": 5}'), fc.constant('{"events": [1]}')),
        fc.dictionary(fc.constantFrom('limit', 'cursor', 'status', 'type', 'webhookId', 'x'), fc.string()),
        fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8'),
        async (method, route, body, query, contentType) => {
          const qs = new URLSearchParams(query).toString();
          const isWrite = method !== 'GET';
          // Writes are sent only as documents that fail validation: a valid webhook body would rightly change state.
          const payload = isWrite
            ? `{"__invalid__":true,${body.startsWith('{') ? body.slice(1) : `"v":${JSON.stringify(body)}}`}`
            : undefined;
          const reply = await api.request(method, `${route}${qs ? `?${qs}` : ''}`, payload, {
            'content-type': contentType,
          });
          expect(reply.status).toBeLessThan(500);
          expect(reply.text).not.toMatch(/at .*\.ts:\d+|Error: /);
        },
      ),
      { numRuns: 60 },
    );
    const after = await api.request('GET', '/v1/webhooks');
    expect(after.body).toEqual(before.body);
  });
});

describe('OpenAPI', () => {
  it('serves every route the router has, and the document validates as OpenAPI 3.1', async () => {
    const doc = await client(platform.apiUrl).request('GET', '/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    const { Logger } = await import('@aws-lambda-powertools/logger');
    const { routeIndex } = await import('@hookrelay/api/routes');
    const served = routeIndex(new Logger({ logLevel: 'SILENT' }))
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    const documented = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(served);
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const result = await new Validator().validate(doc.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('serves Swagger UI and ReDoc without a key, with their assets from the API itself', async () => {
    for (const [page, asset] of [
      ['/v1/docs', '/v1/docs/assets/swagger-ui-bundle.js'],
      ['/v1/docs', '/v1/docs/assets/swagger-ui.css'],
      ['/v1/redoc', '/v1/docs/assets/redoc.standalone.js'],
    ] as const) {
      const html = await fetch(`${platform.apiUrl}${page}`);
      expect(html.status).toBe(200);
      const text = await html.text();
      expect(linksOf(text).map((link) => new URL(link, `${platform.apiUrl}${page}`).pathname)).toContain(
        asset,
      );
      expect(text).not.toMatch(/https?:\/\//);
      const served = await fetch(`${platform.apiUrl}${asset}`);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toMatch(/javascript|css/);
      const body = await served.text();
      expect(body.length).toBeGreaterThan(10_000);
      // Nothing the pages load comes from elsewhere: ReDoc's sidebar logo was Redocly's CDN.
      expect(body).not.toContain('cdn.redoc.ly');
    }
    expect((await fetch(`${platform.apiUrl}/v1/docs/assets/nope.js`)).status).toBe(404);
  });

  it('the pages work under a stage prefix: every link is relative and lands on a route of the API', async () => {
    // On a default execute-api URL the API is under its stage: https://<id>.execute-api.<region>.amazonaws.com/prod
    const stageBase = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod';
    for (const page of ['/v1/docs', '/v1/redoc']) {
      const text = await (await fetch(`${platform.apiUrl}${page}`)).text();
      const links = linksOf(text);
      expect(links.length).toBeGreaterThanOrEqual(2);
      for (const link of links) {
        const resolved = new URL(link, `${stageBase}${page}`);
        expect(resolved.pathname.startsWith('/prod/v1/')).toBe(true);
        const local = await fetch(`${platform.apiUrl}${resolved.pathname.slice('/prod'.length)}`);
        expect([link, local.status]).toEqual([link, 200]);
      }
    }
  });
});

/** The URLs a documentation page loads: src, href and the document's url / spec-url. */
const linksOf = (html: string): string[] =>
  [...html.matchAll(/(?:src|href|spec-url)="([^"]+)"|url: '([^']+)'/g)].map((m) => m[1] ?? m[2] ?? '');

describe('logs', () => {
  it('never contain an API key, a webhook secret or an Authorization header', () => {
    const text = output.join('');
    expect(text.length).toBeGreaterThan(0);
    for (const t of Object.values(tenants)) expect(text).not.toContain(t.key);
    for (const key of issuedKeys) expect(text).not.toContain(key);
    expect(text).not.toContain(platform.adminKey);
    expect(text).not.toMatch(/whsec_/);
    expect(text.toLowerCase()).not.toContain('bearer ');
  });
});
