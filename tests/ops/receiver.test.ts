import { sign } from '@hookrelay/signing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { receiverClient, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { eventIn, sendEvent, setReceiver, type TestTenant, tenantOnReceiver } from './ops-support.js';

let platform: TestPlatform;
let tenant: TestTenant;

beforeAll(async () => {
  platform = await startTestPlatform({ retrySchedule: '0,200ms,200ms' });
  tenant = await tenantOnReceiver(platform, 'recv-shop');
});

afterAll(async () => {
  await platform?.stop();
});

const now = () => Math.floor(Date.now() / 1000);

/** POSTs a body to the receiver signed with `secrets` (both schemes, as the worker sends). */
const post = async (
  tenantId: string,
  secrets: readonly string[],
  options: { body?: string; timestamp?: number; only?: 'standard' | 'stripe' } = {},
) => {
  const body = options.body ?? JSON.stringify({ id: 'evt_test', type: 'ping', data: {} });
  const headers: Record<string, string> = {
    ...sign({ msgId: 'evt_test', timestamp: options.timestamp ?? now(), body, secrets }),
  };
  if (options.only === 'stripe') {
    delete headers['webhook-id'];
    delete headers['webhook-timestamp'];
    delete headers['webhook-signature'];
  }
  if (options.only === 'standard') delete headers['stripe-signature'];
  return receiverClient(platform.receiverUrl).request('POST', `/${tenantId}/webhook`, body, {
    'content-type': 'application/json',
    ...headers,
  });
};

describe('the reference receiver', () => {
  it('GET /health answers without auth', async () => {
    const reply = await receiverClient(platform.receiverUrl).request('GET', '/health');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: 'healthy', service: 'webhook-receiver' });
  });

  it('accepts a delivery signed with one of the tenant webhook secrets, in either scheme', async () => {
    for (const only of ['standard', 'stripe'] as const) {
      const reply = await post(tenant.id, [tenant.webhookSecret], { only });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ status: 'received', tenant_id: tenant.id, scheme: only });
    }
    // A second webhook of the same tenant signs with its own secret, which the receiver also knows.
    const second = await tenant.api.request('POST', '/v1/webhooks', {
      url: `${platform.receiverUrl}/${tenant.id}/webhook`,
    });
    expect(second.status).toBe(201);
    expect((await post(tenant.id, [second.body.webhook.secret])).status).toBe(200);
  });

  it('keeps accepting the old secret for the rotation window, alongside the new one', async () => {
    const rotated = await tenant.api.request('POST', `/v1/webhooks/${tenant.webhookId}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const newSecret: string = rotated.body.secret;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(tenant.webhookSecret);
    expect((await post(tenant.id, [newSecret])).status).toBe(200);
    expect((await post(tenant.id, [tenant.webhookSecret])).status).toBe(200);
  });

  it('answers 401 to a bad, foreign, stale or missing signature', async () => {
    const other = await tenantOnReceiver(platform, 'recv-other');
    const cases = [
      await post(tenant.id, ['whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=']),
      await post(tenant.id, [other.webhookSecret]),
      await post(tenant.id, [tenant.webhookSecret], { timestamp: now() - 3600 }),
      await receiverClient(platform.receiverUrl).request('POST', `/${tenant.id}/webhook`, '{}'),
    ];
    for (const reply of cases) {
      expect(reply.status).toBe(401);
      expect(reply.body.error.code).toBe('invalid_signature');
    }
    // A body changed after signing does not verify either.
    const body = JSON.stringify({ id: 'evt_test', type: 'ping', data: { amount: 1 } });
    const headers = sign({ msgId: 'evt_test', timestamp: now(), body, secrets: [tenant.webhookSecret] });
    const tampered = await receiverClient(platform.receiverUrl).request(
      'POST',
      `/${tenant.id}/webhook`,
      body.replace('1', '1000'),
      { ...headers },
    );
    expect(tampered.status).toBe(401);
  });

  it('answers 404 for a tenant it has no secrets for, or a malformed tenant id', async () => {
    const unknown = await post('nobody-here', [tenant.webhookSecret]);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const malformed = await post('Not%20A%20Tenant', [tenant.webhookSecret]);
    expect(malformed.status).toBe(404);
    for (const [method, action] of [
      ['POST', 'enable'],
      ['POST', 'disable'],
      ['GET', 'status'],
    ] as const) {
      for (const who of ['Not%20A%20Tenant', 'nobody-here']) {
        const reply = await receiverClient(platform.receiverUrl).request(method, `/${who}/${action}`);
        expect(reply.status).toBe(404);
        expect(reply.body.error).toEqual(expect.objectContaining({ message: expect.any(String) }));
      }
    }
    // Switching an unknown tenant stored nothing: it is still unknown once it gets a webhook.
    const later = await tenantOnReceiver(platform, 'nobody-here');
    expect((await post(later.id, [later.webhookSecret])).status).toBe(200);
  });

  it('disable makes it answer 503 (even to a good signature), enable restores it, status reports it', async () => {
    const before = await receiverClient(platform.receiverUrl).request('GET', `/${tenant.id}/status`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ tenant_id: tenant.id, enabled: true });

    const disabled = await receiverClient(platform.receiverUrl).request('POST', `/${tenant.id}/disable`);
    expect(disabled.status).toBe(200);
    expect(disabled.body).toEqual({ tenant_id: tenant.id, enabled: false });
    const status = await receiverClient(platform.receiverUrl).request('GET', `/${tenant.id}/status`);
    expect(status.body).toMatchObject({ tenant_id: tenant.id, enabled: false });
    expect(Date.parse(status.body.updated_at)).not.toBeNaN();

    const refused = await post(tenant.id, [tenant.webhookSecret]);
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('receiver_disabled');

    // Only this tenant is switched off.
    const other = await tenantOnReceiver(platform, 'recv-still-on');
    expect((await post(other.id, [other.webhookSecret])).status).toBe(200);

    await setReceiver(platform, tenant.id, true);
    expect((await post(tenant.id, [tenant.webhookSecret])).status).toBe(200);
    const after = await receiverClient(platform.receiverUrl).request('GET', `/${tenant.id}/status`);
    expect(after.body).toMatchObject({ enabled: true });
  });

  it('a real delivery goes through the receiver: refused while disabled, accepted after enable', async () => {
    const demo = await tenantOnReceiver(platform, 'recv-demo');
    await setReceiver(platform, demo.id, false);
    const refusedId = await sendEvent(demo, { order_id: 'o_1' });
    const failed = await eventIn(demo, refusedId, 'FAILED');
    expect(failed.deliveries[0].attempts.every((a: { status_code: number }) => a.status_code === 503)).toBe(
      true,
    );

    await setReceiver(platform, demo.id, true);
    const okId = await sendEvent(demo, { order_id: 'o_2' });
    const delivered = await eventIn(demo, okId, 'DELIVERED');
    expect(JSON.parse(delivered.deliveries[0].attempts[0].response)).toMatchObject({
      status: 'received',
      tenant_id: demo.id,
    });
  });
});
