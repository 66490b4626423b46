import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { captureOutput } from '../support/output.js';
import {
  type Client,
  client,
  eventually,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';
import { type ReceivedRequest, startReceiver, type TestReceiver } from '../support/receiver.js';
import { localStores } from '../support/stores.js';

/*
 * Standard Webhooks v1a end to end: the platform keeps each webhook's ed25519 signing key and
 * shows only its public key; a receiver holding nothing but that public key and node:crypto
 * verifies every delivery, through a rotation too.
 */

/** What a tenant's receiver does: only node:crypto and the whpk_ public key, nothing of ours. */
const receiverVerifies = (publicKey: string, request: ReceivedRequest): boolean => {
  const id = String(request.headers['webhook-id']);
  const timestamp = String(request.headers['webhook-timestamp']);
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const raw = Buffer.from(publicKey.replace(/^whpk_/, ''), 'base64');
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
  const signed = Buffer.from(`${id}.${timestamp}.${request.body}`);
  return String(request.headers['webhook-signature'] ?? '')
    .split(' ')
    .some((entry) => {
      const [version, signature = ''] = entry.split(',');
      return version === 'v1a' && verify(null, signed, key, Buffer.from(signature, 'base64'));
    });
};

const entriesOf = (request: ReceivedRequest): string[] =>
  String(request.headers['webhook-signature'] ?? '')
    .split(' ')
    .map((entry) => entry.split(',')[0] ?? '');

describe('ed25519 signatures (Standard Webhooks v1a)', () => {
  let platform: TestPlatform;
  let receiver: TestReceiver;
  let tenant: Client;
  let stores: ReturnType<typeof localStores>;
  /** Every response body the API gave, to prove no private key was ever in one. */
  const answers: string[] = [];
  const stdout: string[] = [];
  let restoreOutput: () => void = () => {};

  const call = async (method: string, path: string, body?: unknown) => {
    const reply = await tenant.request(method, path, body);
    answers.push(JSON.stringify(reply.body));
    return reply;
  };
  const deliver = async (n: number): Promise<ReceivedRequest> => {
    const sent = await call('POST', '/v1/events', { type: 'order.created', data: { n } });
    expect(sent.status).toBe(201);
    return eventually(async () =>
      receiver.requests.find((r) => r.headers['webhook-id'] === sent.body.event_id),
    );
  };

  beforeAll(async () => {
    restoreOutput = captureOutput(stdout);
    platform = await startTestPlatform();
    receiver = await startReceiver();
    stores = localStores(platform);
    const created = await client(platform.apiUrl, platform.adminKey).request('POST', '/v1/tenants', {
      tenant_id: 'ed-shop',
    });
    tenant = client(platform.apiUrl, created.body.api_key);
  });
  afterAll(async () => {
    restoreOutput();
    stores?.close();
    await receiver?.close();
    await platform?.stop();
  });

  it('a receiver with only the public key verifies deliveries, before and after a rotation', async () => {
    const created = await call('POST', '/v1/webhooks', {
      url: `${receiver.url}/ed`,
      signature_schemes: ['ed25519'],
    });
    expect(created.status).toBe(201);
    const id: string = created.body.webhook.id;
    expect(created.body.webhook.signature_schemes).toEqual(['ed25519']);
    const [oldKey] = created.body.webhook.public_keys as string[];
    expect(created.body.webhook.public_keys).toEqual([expect.stringMatching(/^whpk_[A-Za-z0-9+/]{43}=$/)]);

    const first = await deliver(1);
    expect(entriesOf(first)).toEqual(['v1a']);
    expect(first.headers['stripe-signature']).toBeUndefined();
    expect(receiverVerifies(String(oldKey), first)).toBe(true);
    expect(receiverVerifies(String(oldKey), { ...first, body: first.body.replace('"n":1', '"n":2') })).toBe(
      false,
    );

    const rotated = await call('POST', `/v1/webhooks/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const newKey: string = rotated.body.public_key;
    expect(newKey).toMatch(/^whpk_/);
    expect(newKey).not.toBe(oldKey);
    expect((await call('GET', `/v1/webhooks/${id}`)).body.webhook.public_keys).toEqual([newKey, oldKey]);
    const listed = (await call('GET', '/v1/webhooks')).body.webhooks.find((w: { id: string }) => w.id === id);
    expect(listed.public_keys).toEqual([newKey, oldKey]);

    // During the overlap each delivery carries one v1a signature per live key: either verifies.
    const second = await deliver(2);
    expect(entriesOf(second)).toEqual(['v1a', 'v1a']);
    expect(receiverVerifies(newKey, second)).toBe(true);
    expect(receiverVerifies(String(oldKey), second)).toBe(true);
    const stranger = await call('POST', '/v1/webhooks', {
      url: `${receiver.url}/other`,
      signature_schemes: ['ed25519'],
    });
    expect(receiverVerifies(stranger.body.webhook.public_keys[0], second)).toBe(false);
  });

  it('signs v1a beside v1 and Stripe when the webhook asks for all of them; the test delivery too', async () => {
    const created = await call('POST', '/v1/webhooks', {
      url: `${receiver.url}/all`,
      signature_schemes: ['standard', 'stripe', 'ed25519'],
      events: ['invoice.paid'],
    });
    const { id, secret, public_keys } = created.body.webhook;
    const test = await call('POST', `/v1/webhooks/${id}/test`);
    expect(test.body).toMatchObject({ success: true, status_code: 200 });
    const got = receiver.requests[receiver.requests.length - 1];
    if (!got) throw new Error('the receiver got nothing');
    expect(entriesOf(got)).toEqual(['v1', 'v1a']);
    expect(got.headers['stripe-signature']).toMatch(/^t=\d+,v1=/);
    expect(receiverVerifies(public_keys[0], got)).toBe(true);
    expect(new Webhook(secret).verify(got.body, got.headers as Record<string, string>)).toMatchObject({
      type: 'webhook.test',
    });
  });

  it('a webhook whose secret predates the scheme gets a signing key when it chooses ed25519', async () => {
    const created = await call('POST', '/v1/webhooks', { url: `${receiver.url}/legacy` });
    const { id, secret } = created.body.webhook;
    expect(created.body.webhook.public_keys).toBeUndefined();
    // As a secret stored before ed25519 existed: no signing key beside it.
    await stores.secrets.put('ed-shop', id, [{ secret }]);

    const patched = await call('PATCH', `/v1/webhooks/${id}`, { signature_schemes: ['ed25519'] });
    expect(patched.status).toBe(200);
    const [publicKey] = patched.body.webhook.public_keys as string[];
    expect(publicKey).toMatch(/^whpk_/);
    const stored = await stores.secrets.get('ed-shop', id, Date.now());
    expect(stored).toEqual([{ secret, signing_key: expect.stringMatching(/^whsk_/) }]);
    // Asked again, it keeps the key it has.
    const again = await call('PATCH', `/v1/webhooks/${id}`, { signature_schemes: ['ed25519', 'standard'] });
    expect(again.body.webhook.public_keys).toEqual([publicKey]);

    const test = await call('POST', `/v1/webhooks/${id}/test`);
    expect(test.body.success).toBe(true);
    const got = receiver.requests[receiver.requests.length - 1];
    if (!got) throw new Error('the receiver got nothing');
    expect(receiverVerifies(String(publicKey), got)).toBe(true);
  });

  it("the reference receiver verifies ed25519 with the tenant's public keys", async () => {
    const created = await call('POST', '/v1/webhooks', {
      url: `${platform.receiverUrl}/ed-shop/webhook`,
      signature_schemes: ['ed25519'],
    });
    const test = await call('POST', `/v1/webhooks/${created.body.webhook.id}/test`);
    expect(test.body).toMatchObject({ success: true, status_code: 200 });
    expect(JSON.parse(test.body.response)).toMatchObject({ status: 'received', scheme: 'ed25519' });
  });

  it('no response and no log line ever holds a private key', async () => {
    const stored = await stores.secrets.listForTenant('ed-shop', Date.now());
    const keys = [...stored.values()].flat().flatMap((s) => (s.signing_key ? [s.signing_key] : []));
    expect(keys.length).toBeGreaterThanOrEqual(5);
    const everything = [...answers, ...stdout, ...platform.logs.map((l) => JSON.stringify(l))].join('\n');
    expect(everything.length).toBeGreaterThan(0);
    expect(everything).not.toContain('whsk_');
    for (const key of keys) expect(everything).not.toContain(key.slice('whsk_'.length));
  });
});
