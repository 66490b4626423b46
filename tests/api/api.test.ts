import { apiError, type HookrelayClient } from '@hookrelay/client';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { captureOutput } from '../support/output.js';
import {
  apiClient,
  type Client,
  client,
  eventually,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';

/** A tenant as the tests hold it: the typed client, and a raw one for bodies the types refuse. */
interface TestTenant {
  readonly api: HookrelayClient;
  readonly raw: Client;
  readonly key: string;
  readonly webhookId: string;
}

let platform: TestPlatform;
let receiver: TestReceiver;
let admin: HookrelayClient;
const tenants: Record<string, TestTenant> = {};

const output: string[] = [];
/** Every API key any response showed, so the log test can look for each. */
const issuedKeys: string[] = [];
let restoreOutput: () => void = () => {};

/** The data of a call that must succeed; a failure shows its status and error. */
const ok = async <T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> => {
  const { data, error, response } = await call;
  if (data === undefined) throw new Error(`${response.status}: ${JSON.stringify(error)}`);
  return data;
};
const statusOf = async (call: Promise<{ response: Response }>): Promise<number> =>
  (await call).response.status;

beforeAll(async () => {
  // Capture every log line the handlers write, to prove no secret ever appears in one.
  restoreOutput = captureOutput(output);
  platform = await startTestPlatform();
  receiver = await startReceiver();
  admin = apiClient(platform.apiUrl, platform.adminKey);
  for (const name of ['alpha', 'beta']) {
    const created = await admin.POST('/v1/tenants', {
      body: { tenant_id: name, target_url: `${receiver.url}/${name}` },
    });
    expect(created.response.status).toBe(201);
    const key = created.data?.api_key ?? '';
    tenants[name] = {
      api: apiClient(platform.apiUrl, key),
      raw: client(platform.apiUrl, key),
      key,
      webhookId: created.data?.webhook?.id ?? '',
    };
  }
});

afterAll(async () => {
  restoreOutput();
  await receiver?.close();
  await platform?.stop();
});

const alpha = () => tenants.alpha as TestTenant;
const beta = () => tenants.beta as TestTenant;

describe('tenants', () => {
  it('only the admin key manages tenants', async () => {
    expect(await statusOf(alpha().api.POST('/v1/tenants', { body: { tenant_id: 'evil' } }))).toBe(403);
    expect(await statusOf(alpha().api.GET('/v1/tenants/{id}', { params: { path: { id: 'beta' } } }))).toBe(
      403,
    );
    expect(await statusOf(admin.POST('/v1/tenants', { body: { tenant_id: 'alpha' } }))).toBe(409);
    expect(await statusOf(admin.GET('/v1/tenants/{id}', { params: { path: { id: 'nobody' } } }))).toBe(404);
    const got = await ok(admin.GET('/v1/tenants/{id}', { params: { path: { id: 'alpha' } } }));
    expect(got).toMatchObject({ tenant_id: 'alpha', status: 'active', target_url: `${receiver.url}/alpha` });
    expect(got.api_key).toBeUndefined();
  });

  it('a tenant reads and updates itself through /v1/tenants/current', async () => {
    const current = await ok(alpha().api.GET('/v1/tenants/current'));
    expect(current.tenant_id).toBe('alpha');
    const patched = await alpha().api.PATCH('/v1/tenants/current', {
      body: { target_url: `${receiver.url}/alpha2` },
    });
    expect(patched.response.status).toBe(200);
    expect(patched.data?.target_url).toBe(`${receiver.url}/alpha2`);
    // The types refuse a plan here, as the API does: sent raw, it is a 400.
    expect((await alpha().raw.request('PATCH', '/v1/tenants/current', { plan: 'enterprise' })).status).toBe(
      400,
    );
  });

  it('a disabled tenant is refused once the authorizer cache turns over', async () => {
    const created = await ok(admin.POST('/v1/tenants', { body: { tenant_id: 'leaky' } }));
    const leaky = apiClient(platform.apiUrl, created.api_key);
    expect(await statusOf(leaky.GET('/v1/webhooks'))).toBe(200);
    expect(
      await statusOf(
        admin.PATCH('/v1/tenants/{id}', { params: { path: { id: 'leaky' } }, body: { status: 'disabled' } }),
      ),
    ).toBe(200);
    platform.api.flushAuthorizerCache();
    expect(await statusOf(leaky.GET('/v1/webhooks'))).toBe(401);
  });

  it('the admin issues, lists and revokes keys; a revoked key is refused once the cache turns over', async () => {
    const keyring = { params: { path: { id: 'keyring' } } };
    const created = await ok(admin.POST('/v1/tenants', { body: { tenant_id: 'keyring' } }));
    const firstKey = created.api_key ?? '';
    const firstId = created.api_key_id ?? '';
    const first = apiClient(platform.apiUrl, firstKey);
    issuedKeys.push(firstKey);

    const issued = await admin.POST('/v1/tenants/{id}/keys', keyring);
    expect(issued.response.status).toBe(201);
    const secondKey = issued.data?.api_key ?? '';
    expect(issued.data).toMatchObject({ tenant_id: 'keyring', hint: secondKey.slice(-4) });
    expect(secondKey).toMatch(/^hr_/);
    expect(issued.data?.key_id).not.toBe(firstId);
    issuedKeys.push(secondKey);
    const second = apiClient(platform.apiUrl, secondKey);
    expect((await ok(second.GET('/v1/tenants/current'))).tenant_id).toBe('keyring');

    // Listing shows ids and hints only: a key is never shown twice, nor its hash.
    const listed = await admin.GET('/v1/tenants/{id}/keys', keyring);
    expect(listed.response.status).toBe(200);
    expect(listed.data?.count).toBe(2);
    expect(listed.data?.keys.map((k) => k.key_id).sort()).toEqual([firstId, issued.data?.key_id].sort());
    const listedText = JSON.stringify(listed.data);
    expect(listedText).not.toContain(firstKey);
    expect(listedText).not.toContain(secondKey);
    expect(listedText).not.toMatch(/key_hash|[0-9a-f]{64}/);

    expect(await statusOf(first.GET('/v1/webhooks'))).toBe(200);
    expect(
      await statusOf(
        admin.DELETE('/v1/tenants/{id}/keys/{key_id}', {
          params: { path: { id: 'keyring', key_id: firstId } },
        }),
      ),
    ).toBe(204);
    // The authorizer's answer for the revoked key is still cached (300 s on API Gateway).
    expect(await statusOf(first.GET('/v1/webhooks'))).toBe(200);
    platform.api.flushAuthorizerCache();
    expect(await statusOf(first.GET('/v1/webhooks'))).toBe(401);
    expect(await statusOf(second.GET('/v1/webhooks'))).toBe(200);

    const after = await ok(admin.GET('/v1/tenants/{id}/keys', keyring));
    expect(after.keys.map((k) => k.key_id)).toEqual([issued.data?.key_id]);
  });

  it('key management is admin only, and unknown tenants or keys are 404', async () => {
    const path = (id: string) => ({ params: { path: { id } } });
    expect(await statusOf(alpha().api.POST('/v1/tenants/{id}/keys', path('alpha')))).toBe(403);
    expect(await statusOf(alpha().api.GET('/v1/tenants/{id}/keys', path('alpha')))).toBe(403);
    expect(
      await statusOf(
        alpha().api.DELETE('/v1/tenants/{id}/keys/{key_id}', {
          params: { path: { id: 'beta', key_id: 'key_x' } },
        }),
      ),
    ).toBe(403);
    expect(await statusOf(admin.POST('/v1/tenants/{id}/keys', path('nobody')))).toBe(404);
    expect(await statusOf(admin.GET('/v1/tenants/{id}/keys', path('nobody')))).toBe(404);
    const missing = await admin.DELETE('/v1/tenants/{id}/keys/{key_id}', {
      params: { path: { id: 'alpha', key_id: 'key_nope' } },
    });
    expect(missing.response.status).toBe(404);
    expect(apiError(missing.error)).toBeDefined();
    // beta's key cannot be revoked through alpha.
    const betaKeys = await ok(admin.GET('/v1/tenants/{id}/keys', path('beta')));
    const betaKeyId = betaKeys.keys[0]?.key_id ?? '';
    expect(
      await statusOf(
        admin.DELETE('/v1/tenants/{id}/keys/{key_id}', {
          params: { path: { id: 'alpha', key_id: betaKeyId } },
        }),
      ),
    ).toBe(404);
    expect(await statusOf(beta().api.GET('/v1/tenants/current'))).toBe(200);
  });
});

describe('webhooks', () => {
  it('creates, lists, reads, updates and deletes; the secret is shown once', async () => {
    const { api } = alpha();
    const created = await api.POST('/v1/webhooks', {
      body: {
        url: `${receiver.url}/extra`,
        events: ['invoice.paid'],
        description: 'billing',
        signature_schemes: ['standard', 'ed25519'],
      },
    });
    expect(created.response.status).toBe(201);
    expect(created.data?.webhook.secret).toMatch(/^whsec_/);
    // The public key of its ed25519 signing key is no secret: shown whenever it is read.
    const publicKeys = created.data?.webhook.public_keys ?? [];
    expect(publicKeys).toEqual([expect.stringMatching(/^whpk_/)]);
    const id = created.data?.webhook.id ?? '';
    const byId = { params: { path: { id } } };
    const list = await ok(api.GET('/v1/webhooks'));
    expect(list.count).toBe(list.webhooks.length);
    const listed = list.webhooks.find((w) => w.id === id);
    expect(listed).toMatchObject({
      delivery_success_count: 0,
      delivery_failure_count: 0,
      events: ['invoice.paid'],
    });
    expect(listed?.secret).toBeUndefined();
    expect(listed?.public_keys).toEqual(publicKeys);
    const read = (await ok(api.GET('/v1/webhooks/{id}', byId))).webhook;
    expect(read.secret).toBeUndefined();
    expect(read.public_keys).toEqual(publicKeys);
    const patched = await ok(api.PATCH('/v1/webhooks/{id}', { ...byId, body: { active: false } }));
    expect(patched.webhook.active).toBe(false);
    expect(await statusOf(api.DELETE('/v1/webhooks/{id}', byId))).toBe(204);
    expect(await statusOf(api.GET('/v1/webhooks/{id}', byId))).toBe(404);
  });

  it('rotates a secret, tests synchronously and shows delivery history', async () => {
    const { api, webhookId } = alpha();
    const byId = { params: { path: { id: webhookId } } };
    const rotated = await ok(api.POST('/v1/webhooks/{id}/rotate-secret', byId));
    expect(rotated.secret).toMatch(/^whsec_/);
    const test = await ok(api.POST('/v1/webhooks/{id}/test', byId));
    expect(test).toMatchObject({ success: true, status_code: 200 });
    const last = receiver.requests[receiver.requests.length - 1];
    // During the rotation every request carries one signature per valid secret.
    expect(String(last?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    const byQuery = await ok(api.POST('/v1/webhooks/test', { params: { query: { webhook_id: webhookId } } }));
    expect(byQuery.success).toBe(true);
    const sent = await ok(api.POST('/v1/events', { body: { type: 'a.b', data: {} } }));
    await eventually(async () => {
      const history = await ok(
        api.GET('/v1/webhooks/deliveries', { params: { query: { webhook_id: webhookId, limit: 5 } } }),
      );
      return history.attempts.some((d) => d.event_id === sent.event_id) ? true : undefined;
    });
  });

  it('the old spellings still work for one release, beside the new ones (docs/api.md)', async () => {
    const { api, raw, webhookId } = alpha();
    const sent = await ok(api.POST('/v1/events', { body: { type: 'alias.check', data: {} } }));
    expect(sent.delivery_count).toBe(1);
    expect(sent.deliveries).toBe(sent.delivery_count);
    const batch = await ok(api.POST('/v1/events/batch', { body: { events: [{ type: 'alias.check' }] } }));
    expect(batch.results[0]).toMatchObject({ delivery_count: 1, deliveries: 1 });

    // The old query name is not in the types any more: it is sent as an old client would.
    expect((await raw.request('POST', `/v1/webhooks/test?webhookId=${webhookId}`)).body.success).toBe(true);
    expect(
      (await ok(api.POST('/v1/webhooks/test', { params: { query: { webhook_id: webhookId } } }))).success,
    ).toBe(true);
    // Both events' deliveries (the single one and the batch's) before reading the history:
    // the reads below compare it with later reads of the same history.
    const delivered = [sent.event_id, batch.results[0]?.event_id];
    const history = await eventually(async () => {
      const page = await ok(
        api.GET('/v1/webhooks/{id}/deliveries', {
          params: { path: { id: webhookId }, query: { limit: 100 } },
        }),
      );
      return delivered.every((id) => page.attempts.some((a) => a.event_id === id)) ? page : undefined;
    });
    expect(history.deliveries).toEqual(history.attempts);
    expect(history.has_more).toBe(history.next_cursor !== null);
    const oldName = await raw.request('GET', `/v1/webhooks/deliveries?webhookId=${webhookId}&limit=100`);
    const newName = await ok(
      api.GET('/v1/webhooks/deliveries', { params: { query: { webhook_id: webhookId, limit: 100 } } }),
    );
    expect(oldName.status).toBe(200);
    expect(oldName.body).toEqual(newName);
    expect(newName.attempts).toEqual(history.attempts);
    const missing = await raw.request('GET', '/v1/webhooks/deliveries?limit=5');
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([{ field: 'webhook_id', message: 'is required' }]);
  });
});

describe('events', () => {
  it('an Idempotency-Key replays the same response and refuses another body', async () => {
    const { api } = alpha();
    const send = (n: number) =>
      api.POST('/v1/events', {
        params: { header: { 'Idempotency-Key': 'k-1' } },
        body: { type: 'a.b', data: { n } },
      });
    const first = await send(1);
    const again = await send(1);
    expect(first.response.status).toBe(201);
    expect(first.response.headers.get('idempotent-replayed')).toBe('false');
    expect(again.response.status).toBe(201);
    expect(again.data).toEqual(first.data);
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    const other = await send(2);
    expect(other.response.status).toBe(422);
    expect(apiError(other.error)?.code).toBe('idempotency_key_reused');
  });

  it('twenty at once with one Idempotency-Key: one event, and the others told when to ask again', async () => {
    const { api } = alpha();
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.POST('/v1/events', {
          params: { header: { 'Idempotency-Key': 'k-burst' } },
          body: { type: 'a.burst', data: { n: 1 } },
        }),
      ),
    );
    const ids = new Set(replies.flatMap((r) => (r.data ? [r.data.event_id] : [])));
    expect(ids.size).toBe(1);
    const waiting = replies.filter((r) => r.response.status !== 201);
    expect(waiting.length).toBeGreaterThan(0);
    for (const reply of waiting) {
      expect([reply.response.status, apiError(reply.error)?.code]).toEqual([409, 'idempotency_in_progress']);
      expect(reply.response.headers.get('retry-after')).toBe('1');
    }
  });

  it('takes a body without data whole, and batches with per-item results', async () => {
    const { api, raw } = alpha();
    const whole = await ok(
      api.POST('/v1/events', { body: { event: 'user.signed_up', email: 'a@example.com' } }),
    );
    const got = await ok(api.GET('/v1/events/{id}', { params: { path: { id: whole.event_id } } }));
    expect(got.data).toEqual({ event: 'user.signed_up', email: 'a@example.com' });
    expect(got.type).toBe('user.signed_up');
    const batch = await api.POST('/v1/events/batch', {
      body: {
        events: [
          { type: 'a.b', data: {} },
          { type: 'bad type!', data: {} },
          { type: 'c.d', data: { x: 1 } },
        ],
      },
    });
    expect(batch.response.status).toBe(207);
    expect(batch.data).toMatchObject({ accepted: 2, rejected: 1 });
    expect(batch.data?.results.map((r) => r.status)).toEqual(['PENDING', 'REJECTED', 'PENDING']);
    const duplicate = await api.POST('/v1/events/batch', {
      body: { events: [{ id: whole.event_id, type: 'a.b', data: {} }] },
    });
    expect(duplicate.response.status).toBe(207);
    expect(duplicate.data?.results[0]?.error?.code).toBe('event_exists');
    const twice = await api.POST('/v1/events/batch', {
      body: {
        events: [
          { id: 'evt_twice_in_one_batch', type: 'a.b', data: {} },
          { id: 'evt_twice_in_one_batch', type: 'c.d', data: {} },
        ],
      },
    });
    expect(twice.data?.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['PENDING', undefined],
      ['REJECTED', 'duplicate_id'],
    ]);
    const allAccepted = await api.POST('/v1/events/batch', {
      body: {
        events: [
          { type: 'a.b', data: {} },
          { type: 'c.d', data: {} },
        ],
      },
    });
    expect(allAccepted.response.status).toBe(201);
    expect(allAccepted.data).toMatchObject({ accepted: 2, rejected: 0 });
    // 101 events: more than the schema allows, sent raw.
    expect(
      (await raw.request('POST', '/v1/events/bulk', { events: Array(101).fill({ type: 'a' }) })).status,
    ).toBe(400);
  });

  it('lists newest first with filters and tamper-proof cursors', async () => {
    const { api, raw } = alpha();
    for (let i = 0; i < 7; i++) await ok(api.POST('/v1/events', { body: { type: 'page.me', data: { i } } }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: { type: string; limit: number; cursor?: string } = {
        type: 'page.me',
        limit: 3,
        ...(cursor ? { cursor } : {}),
      };
      const page = await ok(api.GET('/v1/events', { params: { query } }));
      expect(page.has_more).toBe(page.next_cursor !== null);
      seen.push(...page.events.map((e) => e.event_id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect([...seen].sort().reverse()).toEqual(seen);
    const token = (await ok(api.GET('/v1/events', { params: { query: { limit: 1 } } }))).next_cursor ?? '';
    expect(
      await statusOf(api.GET('/v1/events', { params: { query: { limit: 1, cursor: `${token}x` } } })),
    ).toBe(400);
    expect(
      await statusOf(beta().api.GET('/v1/events', { params: { query: { limit: 1, cursor: token } } })),
    ).toBe(400);
    const delivered = await ok(
      api.GET('/v1/events', { params: { query: { status: 'DELIVERED', limit: 100 } } }),
    );
    expect(delivered.events.every((e) => e.status === 'DELIVERED')).toBe(true);
    // NDJSON is not JSON: read as text.
    const exported = await raw.request('GET', '/v1/events/export?type=page.me');
    expect(exported.headers.get('content-type')).toMatch(/ndjson/);
    expect(exported.text.trim().split('\n')).toHaveLength(7);
  });

  it('retries only FAILED events and cancels only pending ones; stats count by status', async () => {
    const { api } = alpha();
    const sent = await ok(api.POST('/v1/events', { body: { type: 'a.b', data: {} } }));
    const byId = { params: { path: { id: sent.event_id } } };
    await eventually(async () => {
      const got = await ok(api.GET('/v1/events/{id}', byId));
      return got.status === 'DELIVERED' ? true : undefined;
    });
    expect(await statusOf(api.POST('/v1/events/{id}/retry', byId))).toBe(409);
    expect(await statusOf(api.DELETE('/v1/events/{id}', byId))).toBe(409);
    const stats = await api.GET('/v1/stats', { params: { query: { window: '1h' } } });
    expect(stats.response.status).toBe(200);
    expect(stats.data?.counts.DELIVERED).toBeGreaterThan(0);
  });
});

describe('tenant isolation', () => {
  it("tenant B can neither read, list, retry nor modify tenant A's resources", async () => {
    const a = alpha();
    const b = beta();
    const sent = await ok(a.api.POST('/v1/events', { body: { type: 'secret.thing', data: { x: 1 } } }));
    const event = { params: { path: { id: sent.event_id } } };
    expect(await statusOf(b.api.GET('/v1/events/{id}', event))).toBe(404);
    expect(await statusOf(b.api.POST('/v1/events/{id}/retry', event))).toBe(404);
    expect(await statusOf(b.api.DELETE('/v1/events/{id}', event))).toBe(404);
    const listed = await ok(b.api.GET('/v1/events', { params: { query: { limit: 100 } } }));
    expect(listed.events.some((e) => e.event_id === sent.event_id)).toBe(false);
    const webhook = { params: { path: { id: a.webhookId } } };
    expect(await statusOf(b.api.GET('/v1/webhooks/{id}', webhook))).toBe(404);
    expect(await statusOf(b.api.PATCH('/v1/webhooks/{id}', { ...webhook, body: { active: false } }))).toBe(
      404,
    );
    expect(await statusOf(b.api.DELETE('/v1/webhooks/{id}', webhook))).toBe(404);
    expect(await statusOf(b.api.POST('/v1/webhooks/{id}/rotate-secret', webhook))).toBe(404);
    expect(await statusOf(b.api.GET('/v1/webhooks/{id}/deliveries', webhook))).toBe(404);
    const bList = await ok(b.api.GET('/v1/webhooks'));
    expect(bList.webhooks.some((w) => w.id === a.webhookId)).toBe(false);
    expect((await ok(a.api.GET('/v1/webhooks/{id}', webhook))).webhook.active).toBe(true);
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
      'metadata address url',
      'POST',
      '/v1/webhooks',
      { url: 'http://169.254.169.254/latest' },
      {},
      400,
      'validation_error',
    ],
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
    const reply = await alpha().raw.request(method, path, body, headers as Record<string, string>);
    expect(reply.status).toBe(status);
    expect(reply.body.error.code).toBe(code);
    expect(typeof reply.body.error.message).toBe('string');
  });

  it('random bodies, headers and query strings never yield a 5xx, a stack trace or a change', async () => {
    const api = beta().raw;
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
  // No key: the document and its pages are public. Answers are checked against the document too.
  const docs = { request: (method: string, path: string) => client(platform.apiUrl).request(method, path) };

  it('serves every route the router has, and the document validates as OpenAPI 3.1', async () => {
    const doc = await apiClient(platform.apiUrl).GET('/v1/openapi.json');
    expect(doc.response.status).toBe(200);
    expect(doc.data?.openapi).toBe('3.1.0');
    const { Logger } = await import('@aws-lambda-powertools/logger');
    const { routeIndex } = await import('@hookrelay/api/routes');
    // API Gateway's greedy {proxy+} is documented as {proxy}: OpenAPI has no greedy variable.
    const served = routeIndex(new Logger({ logLevel: 'SILENT' }))
      .map((r) => `${r.method} ${r.path.replace(/\{(\w+)\+\}/g, '{$1}')}`)
      .sort();
    const documented = Object.entries(doc.data?.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(served);
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const result = await new Validator().validate(doc.data as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('serves Swagger UI and ReDoc without a key, with their assets from the API itself', async () => {
    for (const [page, asset] of [
      ['/v1/docs', '/v1/docs/assets/swagger-ui-bundle.js'],
      ['/v1/docs', '/v1/docs/assets/swagger-ui.css'],
      ['/v1/redoc', '/v1/docs/assets/redoc.standalone.js'],
    ] as const) {
      const html = await docs.request('GET', page);
      expect(html.status).toBe(200);
      const text = html.text;
      expect(linksOf(text).map((link) => new URL(link, `${platform.apiUrl}${page}`).pathname)).toContain(
        asset,
      );
      expect(text).not.toMatch(/https?:\/\//);
      const served = await docs.request('GET', asset);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toMatch(/javascript|css/);
      const body = served.text;
      expect(body.length).toBeGreaterThan(10_000);
      // Nothing the pages load comes from elsewhere: ReDoc's sidebar logo was Redocly's CDN.
      expect(body).not.toContain('cdn.redoc.ly');
    }
    expect((await docs.request('GET', '/v1/docs/assets/nope.js')).status).toBe(404);
  });

  it('the pages work under a stage prefix: every link is relative and lands on a route of the API', async () => {
    // On a default execute-api URL the API is under its stage: https://<id>.execute-api.<region>.amazonaws.com/prod
    const stageBase = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod';
    for (const page of ['/v1/docs', '/v1/redoc']) {
      const { text } = await docs.request('GET', page);
      const links = linksOf(text);
      expect(links.length).toBeGreaterThanOrEqual(2);
      for (const link of links) {
        const resolved = new URL(link, `${stageBase}${page}`);
        expect(resolved.pathname.startsWith('/prod/v1/')).toBe(true);
        const local = await docs.request('GET', resolved.pathname.slice('/prod'.length));
        expect([link, local.status]).toEqual([link, 200]);
      }
    }
  });
});

/** The URLs a documentation page loads: src, href and the document's url / spec-url. */
const linksOf = (html: string): string[] =>
  [...html.matchAll(/(?:src|href|spec-url)="([^"]+)"|url: '([^']+)'/g)].map((m) => m[1] ?? m[2] ?? '');

describe('logs', () => {
  it('never contain an API key, a webhook secret, a signing key or an Authorization header', () => {
    const text = output.join('');
    expect(text.length).toBeGreaterThan(0);
    for (const t of Object.values(tenants)) expect(text).not.toContain(t.key);
    for (const key of issuedKeys) expect(text).not.toContain(key);
    expect(text).not.toContain(platform.adminKey);
    expect(text).not.toMatch(/whsec_/);
    expect(text).not.toMatch(/whsk_/);
    expect(text.toLowerCase()).not.toContain('bearer ');
  });
});
