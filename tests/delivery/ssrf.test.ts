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

  it.each(['127.0.0.1', 'localhost'])('never calls http://%s:<port>/', async (host) => {
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
