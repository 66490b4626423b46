import { request as httpRequest } from 'node:http';
import { SQSClient } from '@aws-sdk/client-sqs';
import { apiError, type HookrelayClient } from '@hookrelay/client';
import { systemClock } from '@hookrelay/domain';
import { requeueDeadLetters } from '@hookrelay/sqs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  apiClient,
  type Client,
  client,
  eventually,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';
import { localStores } from '../support/stores.js';

let platform: TestPlatform;
let receiver: TestReceiver;
/** The typed client, and a raw one for the malformed requests these tests send on purpose. */
let admin: { api: HookrelayClient } & Client;
let shop: { api: HookrelayClient; raw: Client; key: string; webhookId: string };

beforeAll(async () => {
  platform = await startTestPlatform();
  receiver = await startReceiver((req) => (req.body.includes('"gone"') ? { status: 410 } : { status: 200 }));
  admin = {
    ...client(platform.apiUrl, platform.adminKey),
    api: apiClient(platform.apiUrl, platform.adminKey),
  };
  const created = await admin.api.POST('/v1/tenants', {
    body: { tenant_id: 'holes', target_url: `${receiver.url}/holes` },
  });
  expect(created.response.status).toBe(201);
  const key = created.data?.api_key ?? '';
  shop = {
    api: apiClient(platform.apiUrl, key),
    raw: client(platform.apiUrl, key),
    key,
    webhookId: created.data?.webhook?.id ?? '',
  };
});

afterAll(async () => {
  await receiver?.close();
  await platform?.stop();
});

interface RawReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** A request exactly as written, path and headers untouched by any URL parser. */
const raw = (path: string, headers: Record<string, string> = {}): Promise<RawReply> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(platform.apiUrl);
    const req = httpRequest({ host: hostname, port, path, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });

const expectErrorShape = (reply: RawReply) => {
  expect(reply.headers['x-request-id']).toEqual(expect.any(String));
  expect(String(reply.headers['content-type'])).toMatch(/application\/json/);
  const body = JSON.parse(reply.text) as { error: { code: string; message: string } };
  expect(body.error.code).toMatch(/^[a-z_]+$/);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
};

describe('1. malformed percent-encoding in the path', () => {
  it.each([
    ['/v1/events/%ZZ', true],
    ['/v1/events/%ZZ', false],
    ['/v1/webhooks/%E0%A4%A', true],
    ['/v1/docs/assets/%ZZ', false],
  ])('GET %s (key: %s) is a 400 the gateway answers before any function runs', async (path, withKey) => {
    const reply = await raw(path, withKey ? { authorization: `Bearer ${shop.key}` } : {});
    expect(reply.status).toBe(400);
    if (platform.apiGateway === 'rest') {
      // A REST API answers in the platform's error shape (its gateway responses).
      expect(expectErrorShape(reply).code).toBe('bad_request');
    } else {
      // An HTTP API's own answers have fixed bodies and its request id header (docs/deploy.md).
      expect(JSON.parse(reply.text)).toEqual({ message: 'Bad Request' });
      expect(reply.headers['apigw-requestid']).toEqual(expect.any(String));
    }
  });
});

describe('2. oversized request line or header block', () => {
  it('a 20 KB header block is a 431 in the error shape', async () => {
    const reply = await raw('/v1/events', {
      authorization: `Bearer ${shop.key}`,
      'x-big': 'a'.repeat(20_000),
    });
    expect(reply.status).toBe(431);
    expect(expectErrorShape(reply)).toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/headers/),
    });
  });

  it('a 20 KB request line is a 414 in the error shape', async () => {
    const reply = await raw(`/v1/events?type=${'a'.repeat(20_000)}`, { authorization: `Bearer ${shop.key}` });
    expect(reply.status).toBe(414);
    expect(expectErrorShape(reply)).toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/URI/),
    });
  });
});

describe('3. impossible ports in URLs', () => {
  it('is refused on webhook create, update and tenant target_url, and changes nothing', async () => {
    for (const url of [
      'http://127.0.0.1:99999/x',
      'http://127.0.0.1:0/x',
      'https://example.com:65536/',
      'https://hjm$&l5mz/',
    ]) {
      const webhook = { params: { path: { id: shop.webhookId } }, body: { url } };
      const created = await shop.api.POST('/v1/webhooks', { body: { url } });
      expect(created.response.status).toBe(400);
      expect(apiError(created.error)?.details?.[0]?.field).toBe('url');
      expect((await shop.api.PATCH('/v1/webhooks/{id}', webhook)).response.status).toBe(400);
      expect((await shop.api.PUT('/v1/webhooks/{id}', webhook)).response.status).toBe(400);
      expect(
        (await shop.api.PATCH('/v1/tenants/current', { body: { target_url: url } })).response.status,
      ).toBe(400);
      const holes = { params: { path: { id: 'holes' } }, body: { target_url: url } };
      expect((await admin.api.PATCH('/v1/tenants/{id}', holes)).response.status).toBe(400);
      expect(
        (await admin.api.POST('/v1/tenants', { body: { tenant_id: 'portless', target_url: url } })).response
          .status,
      ).toBe(400);
    }
    expect(
      (await admin.api.GET('/v1/tenants/{id}', { params: { path: { id: 'portless' } } })).response.status,
    ).toBe(404);
    const list = await shop.api.GET('/v1/webhooks');
    expect(list.data?.webhooks.map((w) => w.url)).toEqual([`${receiver.url}/holes`]);
  });
});

describe('4. route words are reserved', () => {
  it('a tenant cannot be called "current"', async () => {
    const reply = await admin.api.POST('/v1/tenants', { body: { tenant_id: 'current' } });
    expect(reply.response.status).toBe(400);
    expect(apiError(reply.error)?.details).toEqual([{ field: 'tenant_id', message: 'is reserved' }]);
  });

  it('an event cannot take an id a route already uses', async () => {
    const reply = await shop.api.POST('/v1/events', { body: { id: 'export', type: 'a.b', data: {} } });
    expect(reply.response.status).toBe(400);
    expect(apiError(reply.error)?.details).toEqual([{ field: 'id', message: 'is reserved' }]);
    const batch = await shop.api.POST('/v1/events/batch', {
      body: { events: [{ id: 'export', type: 'a.b' }] },
    });
    expect(batch.data?.results[0]?.status).toBe('REJECTED');
  });
});

describe('5. unknown fields on routes that take no body', () => {
  it('POST /v1/tenants/{id}/keys with fields is a 400 and issues nothing', async () => {
    const before = await admin.request('GET', '/v1/tenants/holes/keys');
    const reply = await admin.request('POST', '/v1/tenants/holes/keys', {
      tenant_id: 'holes',
      scope: 'admin',
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('validation_error');
    expect(reply.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'scope',
      'tenant_id',
    ]);
    expect((await admin.request('GET', '/v1/tenants/holes/keys')).body.count).toBe(before.body.count);
    // An empty object, or no body at all, is still fine.
    expect((await admin.request('POST', '/v1/tenants/holes/keys', {})).status).toBe(201);
  });

  it('rotate-secret and retry refuse fields too', async () => {
    const rotate = await shop.raw.request('POST', `/v1/webhooks/${shop.webhookId}/rotate-secret`, {
      keep: true,
    });
    expect(rotate.status).toBe(400);
    expect((await shop.raw.request('POST', '/v1/events/evt_nope/retry', { force: true })).status).toBe(400);
  });
});

describe('6. a cursor used elsewhere', () => {
  it('is a 400, not a 409', async () => {
    for (let i = 0; i < 3; i++)
      await shop.api.POST('/v1/events', { body: { type: 'cursor.me', data: { i } } });
    const page = await shop.api.GET('/v1/events', { params: { query: { type: 'cursor.me', limit: 1 } } });
    const cursor = page.data?.next_cursor ?? '';
    const other = await shop.api.GET('/v1/events', {
      params: { query: { status: 'DELIVERED', limit: 1, cursor } },
    });
    expect(other.response.status).toBe(400);
    expect(apiError(other.error)?.details).toEqual([{ field: 'cursor', message: expect.any(String) }]);

    const second = await shop.api.POST('/v1/webhooks', { body: { url: `${receiver.url}/second` } });
    const secondId = second.data?.webhook.id ?? '';
    await eventually(async () => {
      const h = await shop.api.GET('/v1/webhooks/{id}/deliveries', {
        params: { path: { id: shop.webhookId }, query: { limit: 1 } },
      });
      return h.data?.next_cursor ? h.data.next_cursor : undefined;
    }).then(async (historyCursor) => {
      const reply = await shop.api.GET('/v1/webhooks/{id}/deliveries', {
        params: { path: { id: secondId }, query: { cursor: historyCursor } },
      });
      expect(reply.response.status).toBe(400);
    });
    await shop.api.DELETE('/v1/webhooks/{id}', { params: { path: { id: secondId } } });
  });
});

describe('7. credentials in a URL', () => {
  it('are used for delivery but never returned after creation', async () => {
    const url = `http://hook-user:s3cr3t-pass@127.0.0.1:${receiver.port}/basic`;
    const created = await shop.api.POST('/v1/webhooks', { body: { url } });
    expect(created.response.status).toBe(201);
    const id = created.data?.webhook.id ?? '';
    const byId = { params: { path: { id } } };
    const shown = [
      created.data,
      (await shop.api.GET('/v1/webhooks')).data,
      (await shop.api.GET('/v1/webhooks/{id}', byId)).data,
      (await shop.api.PATCH('/v1/webhooks/{id}', { ...byId, body: { description: 'basic' } })).data,
    ].map((d) => JSON.stringify(d));
    for (const text of shown) expect(text).not.toContain('s3cr3t-pass');
    expect((await shop.api.GET('/v1/webhooks/{id}', byId)).data?.webhook.url).toBe(
      `http://hook-user:****@127.0.0.1:${receiver.port}/basic`,
    );
    const test = await shop.api.POST('/v1/webhooks/{id}/test', byId);
    expect(test.data?.success).toBe(true);
    const last = receiver.requests.at(-1);
    expect(last?.headers.authorization).toBe(
      `Basic ${Buffer.from('hook-user:s3cr3t-pass').toString('base64')}`,
    );
    await shop.api.DELETE('/v1/webhooks/{id}', byId);

    const tenant = await admin.api.POST('/v1/tenants', {
      body: { tenant_id: 'basic-auth', target_url: url },
    });
    expect(tenant.response.status).toBe(201);
    const read = await admin.api.GET('/v1/tenants/{id}', { params: { path: { id: 'basic-auth' } } });
    expect(JSON.stringify(read.data)).not.toContain('s3cr3t-pass');
  });
});

describe('8. requeueing a delivery whose webhook a 410 disabled', () => {
  it('leaves the event FAILED with counts that agree with its attempts', async () => {
    const created = await admin.api.POST('/v1/tenants', {
      body: { tenant_id: 'gone-shop', target_url: `${receiver.url}/gone` },
    });
    const api = apiClient(platform.apiUrl, created.data?.api_key);
    const sent = await api.POST('/v1/events', { body: { type: 'a.b', data: { gone: true } } });
    const event = { params: { path: { id: sent.data?.event_id ?? '' } } };
    const failed = await eventually(async () => {
      const got = await api.GET('/v1/events/{id}', event);
      return got.data?.status === 'FAILED' ? got.data : undefined;
    });
    expect(failed.deliveries[0]?.attempt_count).toBe(1);

    const stores = localStores(platform);
    const sqs = new SQSClient({
      endpoint: platform.sqsEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const reasons: string[] = [];
    const result = await requeueDeadLetters(
      {
        sqs,
        dlqUrl: platform.env.DLQ_URL ?? '',
        queue: stores.queue,
        events: stores.events,
        webhooks: stores.webhooks,
        clock: systemClock,
      },
      {
        waitTimeSeconds: 0,
        onFailure: ({ error }) => reasons.push(error instanceof Error ? error.message : String(error)),
      },
    );
    // The endpoint is gone: nothing is sent again, and the message stays for on-call.
    expect(result).toEqual({ requeued: 0, failed: 1 });
    expect(reasons[0]).toMatch(/disabled/);
    await new Promise((r) => setTimeout(r, 500));
    const after = await api.GET('/v1/events/{id}', event);
    expect(after.data?.status).toBe('FAILED');
    const delivery = after.data?.deliveries[0];
    expect(delivery?.status).toBe('FAILED');
    expect(delivery?.attempt_count).toBe(delivery?.attempts.length);

    // A retry asked for by the tenant meets the disabled webhook: cancelled, no attempt counted.
    expect((await api.POST('/v1/events/{id}/retry', event)).response.status).toBe(202);
    const cancelled = await eventually(async () => {
      const got = await api.GET('/v1/events/{id}', event);
      return got.data?.status === 'CANCELLED' ? got.data : undefined;
    });
    expect(cancelled.deliveries[0]?.attempt_count).toBe(cancelled.deliveries[0]?.attempts.length);
    sqs.destroy();
    stores.close();
  });
});

describe('5. ids longer than any id can be', () => {
  it.each([
    ['GET', '/v1/webhooks/{long}'],
    ['GET', '/v1/events/{long}'],
    ['GET', '/v1/sources/{long}'],
    ['GET', '/v1/inbound/{long}'],
    ['POST', '/v1/events/{long}/retry'],
    ['POST', '/v1/events/{long}/deliveries/{long}/resend'],
    ['DELETE', '/v1/webhooks/{long}'],
  ])('%s %s with an id of 1,500 characters is a 404, before any store sees it', async (method, template) => {
    const path = template.replaceAll('{long}', 'x'.repeat(1_500));
    const reply = await shop.raw.request(method, path);
    expect(reply.status).toBe(404);
    expect(reply.headers.get('x-request-id')).toEqual(expect.any(String));
    expect(reply.body.error.code).toBe('not_found');
  });

  it('an id of the longest valid length is looked up as usual', async () => {
    const reply = await shop.raw.request('GET', `/v1/webhooks/${'w'.repeat(128)}`);
    expect(reply.status).toBe(404);
    expect(reply.body.error.message).toContain('w'.repeat(128));
  });
});

describe('9. a recovery window written with offsets (found by the contract fuzz test)', () => {
  const recover = (body: unknown) => shop.raw.request('POST', `/v1/webhooks/${shop.webhookId}/recover`, body);

  it('is read as the instants it names, whatever the order of its text', async () => {
    // 10:00+09:00 is 01:00Z, before 05:00Z; 05:00Z is before 23:00-08:00 (07:00Z).
    for (const body of [
      { since: '2026-01-01T10:00:00+09:00', until: '2026-01-01T05:00:00Z' },
      { since: '2026-01-01T05:00:00Z', until: '2025-12-31T23:00:00-08:00' },
    ]) {
      const reply = await recover(body);
      expect([reply.status, reply.body]).toEqual([202, { webhook_id: shop.webhookId, recovered: 0 }]);
    }
    const backwards = await recover({ since: '2026-01-01T05:00:00Z', until: '2026-01-01T10:00:00+09:00' });
    expect([backwards.status, backwards.body.error.details]).toEqual([
      400,
      [{ field: 'since', message: 'must be before until' }],
    ]);
  });

  it('refuses a date-time no clock can represent with a 400 naming the field', async () => {
    for (const [field, value] of [
      ['since', '2026-06-30T23:59:60Z'],
      ['since', '2026-01-01T00:00:00+01'],
      ['until', '2026-06-30T23:59:60.5+02:00'],
    ] as const) {
      const reply = await recover({ since: '2026-01-01T00:00:00Z', [field]: value });
      expect([field, value, reply.status, reply.body.error.details?.[0]?.field]).toEqual([
        field,
        value,
        400,
        field,
      ]);
    }
  });
});
