import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';

// A platform's handlers are loaded once per test file, so this file has a platform of its own.
describe('SSRF guard with an empty allow-list', () => {
  let platform: TestPlatform;
  let receiver: TestReceiver;

  beforeAll(async () => {
    platform = await startTestPlatform({ allowlist: '', retrySchedule: '0' });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await platform?.stop();
  });

  it.each([
    'http://169.254.169.254/latest',
    'http://10.0.0.1',
    'http://[::1]',
    'http://127.0.0.1:8080/hook',
    'http://[::ffff:169.254.169.254]/',
    'http://0x7f.1/',
  ])('refuses %s at creation and update with a clear 400', async (url) => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const name = `lit-${Math.random().toString(36).slice(2, 8)}`;
    const refusedTenant = await admin.request('POST', '/v1/tenants', { tenant_id: name, target_url: url });
    expect(refusedTenant.status).toBe(400);
    expect(refusedTenant.body.error.details).toEqual([
      { field: 'target_url', message: expect.stringMatching(/private|loopback|link-local/) },
    ]);
    const created = await admin.request('POST', '/v1/tenants', { tenant_id: name });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const refused = await tenant.request('POST', '/v1/webhooks', { url });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('validation_error');
    expect(refused.body.error.message).toMatch(/url .*(private|loopback|link-local)/);
    expect(refused.headers.get('x-request-id')).toBeTruthy();
    const fine = await tenant.request('POST', '/v1/webhooks', { url: 'https://example.com/hook' });
    expect(fine.status).toBe(201);
    const id = fine.body.webhook.id as string;
    expect((await tenant.request('PATCH', `/v1/webhooks/${id}`, { url })).status).toBe(400);
    expect((await tenant.request('PUT', `/v1/webhooks/${id}`, { url })).status).toBe(400);
    expect((await tenant.request('PATCH', '/v1/tenants/current', { target_url: url })).status).toBe(400);
    expect((await tenant.request('GET', `/v1/webhooks/${id}`)).body.webhook.url).toBe(
      'https://example.com/hook',
    );
  });

  // A name that resolves to a refused address passes creation: the connect-time guard stops it.
  it.each(['localhost'])('never calls http://%s:<port>/', async (host) => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const name = `ssrf-${host.replace(/\W/g, '')}`;
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: name,
      target_url: `http://${host}:${receiver.port}/`,
    });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const sent = await tenant.request('POST', '/v1/events', { type: 'a.b', data: {} });
    const event = await eventually(async () => {
      const got = await tenant.request('GET', `/v1/events/${sent.body.event_id}`);
      return got.body.status !== 'PENDING' ? got.body : undefined;
    });
    expect(event.status).toBe('FAILED');
    expect(event.deliveries[0].attempts[0].error_kind).toBe('blocked');
    const test = await tenant.request('POST', `/v1/webhooks/${created.body.webhook.id}/test`);
    expect(test.body).toMatchObject({ success: false, error_kind: 'blocked' });
    expect(receiver.requests).toHaveLength(0);
  });
});
