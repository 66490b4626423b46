import { randomBytes } from 'node:crypto';
import { freePort } from '@hookrelay/local';
import { afterAll, describe, expect, it } from '@jest/globals';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { ISSUED_SECRETS, post, signAs } from './support/provider-requests.js';

/*
 * The public ingest route behind either front door a stage may choose (`ingestGateway`): an
 * HTTP API hands the function payload format 2.0 events, a REST API v1 events. The same
 * function takes both: the provider's bytes verified, stored and routed, the same answers.
 */
let platform: TestPlatform | undefined;
// The functions load once per process, with the first platform's names and addresses: both
// platforms of this file are the same one (stage, ports), started again behind the other door.
let same:
  | { stage: string; adminKey: string; apiPort: number; ingestPort: number; busPort: number }
  | undefined;

afterAll(async () => {
  await platform?.stop();
});

describe.each(['http', 'rest'] as const)('ingest behind the %s front door', (door) => {
  it('takes a signed webhook (202), refuses a bad signature (401) and an unknown token (404), each with x-request-id', async () => {
    await platform?.stop();
    same ??= {
      stage: `d${randomBytes(4).toString('hex')}`,
      adminKey: `hr_admin_${randomBytes(16).toString('hex')}`,
      apiPort: await freePort(),
      ingestPort: await freePort(),
      busPort: await freePort(),
    };
    // The body is shown once the processor archived it, as it routed the request. The first
    // platform's processor, stopped mid long poll, may still take the next message from the
    // queue the second one shares; a short visibility timeout gives it back soon.
    platform = await startTestPlatform({ ...same, ingestGateway: door, inboundVisibilityTimeoutSeconds: 2 });
    const admin = client(platform.apiUrl, same.adminKey);
    const created = await admin.request('POST', '/v1/tenants', { tenant_id: `doors-${door}` });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const secret = ISSUED_SECRETS.stripe ?? '';
    const made = await tenant.request('POST', '/v1/sources', { name: door, provider: 'stripe', secret });
    expect(made.status).toBe(201);
    const url = String(made.body.source.ingest_url);

    const signed = signAs('stripe', secret);
    const accepted = await post(url, signed);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ message: 'Webhook received and queued for processing' });
    expect(accepted.headers.get('x-request-id')).toEqual(expect.any(String));
    const webhookId = String(accepted.body.webhook_id);
    await eventually(async () => {
      const stored = await tenant.request('GET', `/v1/inbound/${webhookId}`);
      expect(stored.status).toBe(200);
      // Byte for byte what the provider sent, whichever door carried it.
      expect(stored.body.body).toBe(signed.body);
      return stored.body;
    });

    const forged = await post(url, signAs('stripe', `${secret}-not`));
    expect(forged.status).toBe(401);
    expect(forged.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(forged.headers.get('x-request-id')).toEqual(expect.any(String));

    const unknown = await post(`${url.slice(0, url.lastIndexOf('/'))}/${'x'.repeat(32)}`, signed);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'not_found' });
    expect(unknown.headers.get('x-request-id')).toEqual(expect.any(String));
  });
});
