import { apiError, type HookrelayClient } from '@hookrelay/client';
import { postmanCollection, requestsOf } from '@hookrelay/ops-cli';
import { SIGNATURE_SCHEMES } from '@hookrelay/signing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { apiClient, type Client, client, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';

let platform: TestPlatform;
let receiver: TestReceiver;
let api: HookrelayClient;
/** For bodies the client's types refuse, sent as a careless client would. */
let raw: Client;

beforeAll(async () => {
  platform = await startTestPlatform();
  receiver = await startReceiver();
  const created = await apiClient(platform.apiUrl, platform.adminKey).POST('/v1/tenants', {
    body: { tenant_id: 'options' },
  });
  api = apiClient(platform.apiUrl, created.data?.api_key);
  raw = client(platform.apiUrl, created.data?.api_key);
});

afterAll(async () => {
  await receiver?.close();
  await platform?.stop();
});

const TOKEN = 'tok_live_0123456789abcdef';

describe('webhook options', () => {
  it('defaults: both signature schemes, no custom headers, no rate limit', async () => {
    const created = await api.POST('/v1/webhooks', { body: { url: `${receiver.url}/plain` } });
    expect(created.response.status).toBe(201);
    expect(created.data?.webhook).toMatchObject({ signature_schemes: ['standard', 'stripe'], headers: {} });
    expect(created.data?.webhook.rate_limit).toBeUndefined();
  });

  it('takes schemes, headers and a rate limit; header values are never shown in full', async () => {
    const created = await api.POST('/v1/webhooks', {
      body: {
        url: `${receiver.url}/opts`,
        signature_schemes: ['body-hmac'],
        headers: { Authorization: `Bearer ${TOKEN}`, 'X-Team': 'ops' },
        rate_limit: 5,
      },
    });
    expect(created.response.status).toBe(201);
    const id = created.data?.webhook.id ?? '';
    const byId = { params: { path: { id } } };
    expect(created.data?.webhook).toMatchObject({
      signature_schemes: ['body-hmac'],
      headers: { Authorization: '****cdef', 'X-Team': '****' },
      rate_limit: 5,
    });
    const got = await api.GET('/v1/webhooks/{id}', byId);
    const texts = [created.data, (await api.GET('/v1/webhooks')).data, got.data].map((d) =>
      JSON.stringify(d),
    );
    for (const text of texts) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('"ops"');
    }

    // Sending back what was read keeps the stored values; a new value replaces one.
    const roundTrip = await api.PUT('/v1/webhooks/{id}', {
      ...byId,
      body: {
        url: got.data?.webhook.url ?? '',
        headers: { ...got.data?.webhook.headers, 'X-Team': 'billing' },
      },
    });
    expect(roundTrip.response.status).toBe(200);
    const test = await api.POST('/v1/webhooks/{id}/test', byId);
    expect(test.data?.success).toBe(true);
    const seen = receiver.requests.at(-1);
    expect(seen?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen?.headers['x-team']).toBe('billing');
    expect(seen?.headers['x-hookrelay-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(seen?.headers['webhook-signature']).toBeUndefined();
    expect(seen?.headers['stripe-signature']).toBeUndefined();

    const cleared = await api.PATCH('/v1/webhooks/{id}', {
      ...byId,
      body: { rate_limit: null, headers: {} },
    });
    expect(cleared.response.status).toBe(200);
    expect(cleared.data?.webhook.rate_limit).toBeUndefined();
    expect(cleared.data?.webhook.headers).toEqual({});
  });

  it.each([
    ['an unknown scheme', { signature_schemes: ['md5'] }, 'signature_schemes.0'],
    ['no scheme at all', { signature_schemes: [] }, 'signature_schemes'],
    ['a header the platform sets', { headers: { 'Webhook-Signature': 'x' } }, 'headers.Webhook-Signature'],
    ['our own prefix', { headers: { 'X-Hookrelay-Tenant': 'x' } }, 'headers.X-Hookrelay-Tenant'],
    ['a hop-by-hop header', { headers: { Connection: 'close' } }, 'headers.Connection'],
    ['a header named twice', { headers: { 'X-A': '1', 'x-a': '2' } }, 'headers.x-a'],
    ['a proxy header', { headers: { Forwarded: 'for=10.0.0.1' } }, 'headers.Forwarded'],
    ['an X-Forwarded-* header', { headers: { 'X-Forwarded-For': '10.0.0.1' } }, 'headers.X-Forwarded-For'],
    ['a Via header', { headers: { Via: '1.1 proxy' } }, 'headers.Via'],
    ['an X-Real-IP header', { headers: { 'X-Real-IP': '10.0.0.1' } }, 'headers.X-Real-IP'],
    [
      'headers that together pass 4 KB',
      { headers: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`X-H${i}`, 'v'.repeat(1000)])) },
      'headers',
    ],
    ['a bad header name', { headers: { 'bad name': 'x' } }, 'headers'],
    ['a value with a line break', { headers: { 'X-A': 'a\r\nInjected: 1' } }, 'headers.X-A'],
    [
      'more than 20 headers',
      { headers: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v'])) },
      'headers',
    ],
    ['a zero rate limit', { rate_limit: 0 }, 'rate_limit'],
    ['a fractional rate limit', { rate_limit: 1.5 }, 'rate_limit'],
    ['an unknown platform type', { events: ['hookrelay.endpoint.exploded'] }, 'events'],
  ])('refuses %s (400 naming the field) and creates nothing', async (_name, fields, field) => {
    const before = (await api.GET('/v1/webhooks')).data?.count;
    // Most of these the client's types already refuse: they are sent raw, as another client could.
    const reply = await raw.request('POST', '/v1/webhooks', { url: `${receiver.url}/bad`, ...fields });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('validation_error');
    expect(reply.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect((await api.GET('/v1/webhooks')).data?.count).toBe(before);
  });
});

describe('the platform event types', () => {
  it('a tenant cannot send them, alone or in a batch', async () => {
    const single = await api.POST('/v1/events', { body: { type: 'hookrelay.endpoint.disabled', data: {} } });
    expect(single.response.status).toBe(400);
    expect(apiError(single.error)?.details).toEqual([{ field: 'type', message: 'is reserved' }]);
    const legacy = await api.POST('/v1/events', { body: { event: 'hookrelay.anything', data: {} } });
    expect(legacy.response.status).toBe(400);
    // In any case: a receiver comparing types without case must not take a tenant's for the platform's.
    const cased = await api.POST('/v1/events', { body: { type: 'HookRelay.endpoint.disabled', data: {} } });
    expect(cased.response.status).toBe(400);
    expect(apiError(cased.error)?.details).toEqual([{ field: 'type', message: 'is reserved' }]);
    const batch = await api.POST('/v1/events/batch', {
      body: { events: [{ type: 'hookrelay.delivery.exhausted' }, { type: 'order.created' }] },
    });
    expect(batch.response.status).toBe(207);
    expect(batch.data?.results[0]).toMatchObject({ status: 'REJECTED', error: { code: 'validation_error' } });
  });

  it('a webhook may subscribe to them by name', async () => {
    const reply = await api.POST('/v1/webhooks', {
      body: {
        url: `${receiver.url}/ops`,
        events: ['hookrelay.endpoint.disabled', 'hookrelay.endpoint.failing'],
      },
    });
    expect(reply.response.status).toBe(201);
    expect(reply.data?.webhook.events).toEqual(['hookrelay.endpoint.disabled', 'hookrelay.endpoint.failing']);
  });
});

describe('the documents show every new field', () => {
  it('in the OpenAPI document, requests and responses, and in the Postman collection made from it', async () => {
    const doc = (await client(platform.apiUrl).request('GET', '/v1/openapi.json')).body;
    const fields = ['signature_schemes', 'headers', 'rate_limit'];
    for (const method of ['post', 'put', 'patch']) {
      const path = method === 'post' ? '/v1/webhooks' : '/v1/webhooks/{id}';
      const op = doc.paths[path][method];
      const body = op.requestBody.content['application/json'].schema;
      expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(fields));
      const reply = op.responses[method === 'post' ? '201' : '200'].content['application/json'].schema;
      expect(Object.keys(reply.properties.webhook.properties)).toEqual(expect.arrayContaining(fields));
    }
    expect(
      doc.paths['/v1/webhooks'].post.requestBody.content['application/json'].schema.properties
        .signature_schemes.items.enum,
    ).toEqual([...SIGNATURE_SCHEMES]);
    expect(JSON.stringify(doc.paths['/v1/webhooks'].post)).toContain('hookrelay.endpoint.disabled');

    const collection = await postmanCollection(doc, { baseUrl: platform.apiUrl });
    const create = requestsOf(collection).find((item) => {
      const request = item.request as { method?: string; url?: { path?: string[] } };
      return request.method === 'POST' && request.url?.path?.join('/') === 'v1/webhooks';
    });
    if (!create) throw new Error('no POST /v1/webhooks in the collection');
    const raw = (create.request as { body?: { raw?: string } }).body?.raw ?? '';
    for (const field of fields) expect(raw).toContain(`"${field}"`);
  });
});
