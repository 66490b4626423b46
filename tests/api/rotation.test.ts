import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { post, signAs } from '../inbound/support/provider-requests.js';
import { type Client, client, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';

/** Whether a request the receiver got carries a valid signature made with `secret`. */
const verifies = (secret: string, request: TestReceiver['requests'][number]): boolean => {
  try {
    new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
};

describe('rotating a webhook secret', () => {
  let platform: TestPlatform;
  let receiver: TestReceiver;
  let tenant: Client;
  let tenantKey: string;
  let webhookId: string;

  beforeAll(async () => {
    platform = await startTestPlatform({ startWorker: false });
    receiver = await startReceiver();
    const created = await client(platform.apiUrl, platform.adminKey).request('POST', '/v1/tenants', {
      tenant_id: 'rotations',
      target_url: `${receiver.url}/in`,
    });
    tenantKey = created.body.api_key;
    tenant = client(platform.apiUrl, tenantKey);
    webhookId = created.body.webhook.id;
  });
  afterAll(async () => {
    await receiver?.close();
    await platform?.stop();
  });

  const signedTest = async () => {
    const test = await tenant.request('POST', `/v1/webhooks/${webhookId}/test`);
    expect(test.body.success).toBe(true);
    const last = receiver.requests[receiver.requests.length - 1];
    if (!last) throw new Error('the receiver got nothing');
    return last;
  };

  it('five at once: every secret a 200 hands out verifies; the others are refused with a 409', async () => {
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => tenant.request('POST', `/v1/webhooks/${webhookId}/rotate-secret`)),
    );
    const given = replies.filter((r) => r.status === 200).map((r) => r.body.secret as string);
    expect(given.length).toBeGreaterThan(0);
    expect(replies.filter((r) => r.status !== 200).map((r) => [r.status, r.body.error.code])).toEqual(
      replies.filter((r) => r.status !== 200).map(() => [409, 'rotation_conflict']),
    );
    const request = await signedTest();
    for (const secret of given) expect(verifies(secret, request)).toBe(true);
  });

  it('keeps at most three secrets live: the newest and two still in their overlap', async () => {
    const given: string[] = [];
    for (let n = 0; n < 4; n++) {
      const reply = await tenant.request('POST', `/v1/webhooks/${webhookId}/rotate-secret`);
      expect(reply.status).toBe(200);
      given.push(reply.body.secret);
    }
    const request = await signedTest();
    expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(3);
    expect(given.map((secret) => verifies(secret, request))).toEqual([false, true, true, true]);
  });

  it('a source: of five rotations at once, every secret a 200 hands out verifies; the others are a 409', async () => {
    const created = await tenant.request('POST', '/v1/sources', { name: 'repo', provider: 'github' });
    expect(created.status).toBe(201);
    const source = created.body.source;
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => tenant.request('POST', `/v1/sources/${source.id}/rotate-secret`, {})),
    );
    const given = replies.filter((r) => r.status === 200).map((r) => r.body.source.secret as string);
    expect(given.length).toBeGreaterThan(0);
    expect(replies.filter((r) => r.status !== 200).map((r) => [r.status, r.body.error.code])).toEqual(
      replies.filter((r) => r.status !== 200).map(() => [409, 'rotation_conflict']),
    );
    for (const secret of given) {
      const reply = await post(source.ingest_url, signAs('github', secret, { body: '{"zen":"rotated"}' }));
      expect(reply.status).toBe(202);
    }
  });

  it('a source rotated with no body at all (the body is optional) gets a generated secret', async () => {
    const created = await tenant.request('POST', '/v1/sources', { name: 'bare', provider: 'github' });
    const response = await fetch(`${platform.apiUrl}/v1/sources/${created.body.source.id}/rotate-secret`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenantKey}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { source: { secret?: string } };
    expect(body.source.secret).toMatch(/^whsec_/);
  });
});
