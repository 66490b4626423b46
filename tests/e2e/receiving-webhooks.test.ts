import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { type ReceivedRequest, startReceiver, type TestReceiver } from '../support/receiver.js';

/*
 * docs/receiving-webhooks.md is what tenants copy: its Node verifier and its example request
 * are run here, against the example and against real deliveries, beside the two libraries.
 */
const doc = readFileSync(new URL('../../docs/receiving-webhooks.md', import.meta.url), 'utf8');
const EXAMPLE_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** The fenced block of `lang` that follows `heading`. */
const block = (heading: string, lang: string): string => {
  const from = doc.indexOf(heading);
  expect(from).toBeGreaterThanOrEqual(0);
  const fence = '`'.repeat(3);
  const match = new RegExp(`${fence}${lang}\\n([\\s\\S]*?)${fence}`).exec(doc.slice(from));
  if (!match?.[1]) throw new Error(`no ${lang} block after ${heading}`);
  return match[1];
};

type Verifier = (secret: string, headers: Record<string, unknown>, body: string, now?: number) => boolean;
type BodyVerifier = (secret: string, headers: Record<string, unknown>, body: string) => boolean;
type KeyVerifier = (
  publicKeys: string[],
  headers: Record<string, unknown>,
  body: string,
  now?: number,
) => boolean;

describe('docs/receiving-webhooks.md', () => {
  let verifyWebhook: Verifier;
  let verifyBodyHmac: BodyVerifier;
  let verifyWebhookEd25519: KeyVerifier;
  let dir: string;
  let platform: TestPlatform;
  let receiver: TestReceiver;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookrelay-doc-'));
    const file = join(dir, 'verify.mjs');
    writeFileSync(file, block('## Node.js, with no library', 'js'));
    ({ verifyWebhook } = (await import(pathToFileURL(file).href)) as { verifyWebhook: Verifier });
    const bodyFile = join(dir, 'verify-body-hmac.mjs');
    writeFileSync(bodyFile, block('### Node.js, body-hmac', 'js'));
    ({ verifyBodyHmac } = (await import(pathToFileURL(bodyFile).href)) as { verifyBodyHmac: BodyVerifier });
    const keyFile = join(dir, 'verify-ed25519.mjs');
    writeFileSync(keyFile, block('### Node.js, ed25519', 'js'));
    ({ verifyWebhookEd25519 } = (await import(pathToFileURL(keyFile).href)) as {
      verifyWebhookEd25519: KeyVerifier;
    });
    platform = await startTestPlatform();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await receiver?.close();
    await platform?.stop();
  });

  describe('the example request', () => {
    const http = block('## The request', 'http');
    const [head = '', body = ''] = http.split('\n\n');
    const headers = Object.fromEntries(
      head
        .split('\n')
        .slice(1)
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
    );
    const rawBody = body.trim();
    const timestamp = Number(headers['webhook-timestamp']);

    it('verifies with the documented Node code at its timestamp, and not 6 minutes later', () => {
      expect(verifyWebhook(EXAMPLE_SECRET, headers, rawBody, timestamp)).toBe(true);
      expect(verifyWebhook(EXAMPLE_SECRET, headers, rawBody, timestamp + 360)).toBe(false);
      expect(verifyWebhook(EXAMPLE_SECRET, headers, rawBody.replace('o_1', 'o_2'), timestamp)).toBe(false);
      expect(verifyWebhook('whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', headers, rawBody, timestamp)).toBe(
        false,
      );
    });

    it('verifies with the standardwebhooks and Stripe libraries', () => {
      jest.useFakeTimers({ now: timestamp * 1000, doNotFake: ['setTimeout', 'setInterval', 'nextTick'] });
      try {
        expect(new Webhook(EXAMPLE_SECRET).verify(rawBody, headers)).toEqual(JSON.parse(rawBody));
        const stripe = new Stripe('sk_test_unused');
        expect(
          stripe.webhooks.constructEvent(rawBody, String(headers['stripe-signature']), EXAMPLE_SECRET),
        ).toEqual(JSON.parse(rawBody));
      } finally {
        jest.useRealTimers();
      }
    });
  });

  it('the documented body-hmac verifier accepts the documented value and real deliveries, in a rotation too', async () => {
    const http = block('## The request', 'http');
    const exampleBody = (http.split('\n\n')[1] ?? '').trim();
    const value = block('## The body-hmac scheme', 'http').split(':')[1]?.trim() ?? '';
    expect(verifyBodyHmac(EXAMPLE_SECRET, { 'x-hookrelay-signature': value }, exampleBody)).toBe(true);
    expect(verifyBodyHmac(EXAMPLE_SECRET, { 'x-hookrelay-signature': value }, `${exampleBody} `)).toBe(false);

    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', { tenant_id: 'docs-hmac' });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const hook = await tenant.request('POST', '/v1/webhooks', {
      url: `${receiver.url}/hmac`,
      signature_schemes: ['body-hmac'],
    });
    const oldSecret = hook.body.webhook.secret as string;
    const rotated = await tenant.request('POST', `/v1/webhooks/${hook.body.webhook.id}/rotate-secret`);
    const sent = await tenant.request('POST', '/v1/events', { type: 'order.created', data: { n: 3 } });
    const got = await eventually(async () =>
      receiver.requests.find((r) => r.headers['webhook-id'] === sent.body.event_id),
    );
    expect(String(got.headers['x-hookrelay-signature']).split(',')).toHaveLength(2);
    expect(verifyBodyHmac(rotated.body.secret, got.headers, got.body)).toBe(true);
    expect(verifyBodyHmac(oldSecret, got.headers, got.body)).toBe(true);
    expect(verifyBodyHmac(EXAMPLE_SECRET, got.headers, got.body)).toBe(false);
  });

  it('the documented ed25519 verifier accepts the documented signature and real deliveries, before and after a rotation', async () => {
    const http = block('## The request', 'http');
    const [head = '', exampleBody = ''] = http.split('\n\n');
    const headerOf = (name: string) =>
      head
        .split('\n')
        .find((line) => line.startsWith(`${name}:`))
        ?.slice(name.length + 1)
        .trim() ?? '';
    const section = doc.slice(doc.indexOf('## Ed25519 signatures'));
    const examplePublicKey = /`(whpk_[A-Za-z0-9+/=]+)`/.exec(section)?.[1] ?? '';
    const exampleHeaders = {
      'webhook-id': headerOf('webhook-id'),
      'webhook-timestamp': headerOf('webhook-timestamp'),
      'webhook-signature': block('## Ed25519 signatures', 'http').split(': ')[1]?.trim(),
    };
    const at = Number(exampleHeaders['webhook-timestamp']);
    const rawBody = exampleBody.trim();
    expect(verifyWebhookEd25519([examplePublicKey], exampleHeaders, rawBody, at)).toBe(true);
    expect(verifyWebhookEd25519([examplePublicKey], exampleHeaders, rawBody, at + 360)).toBe(false);
    expect(verifyWebhookEd25519([examplePublicKey], exampleHeaders, rawBody.replace('o_1', 'o_2'), at)).toBe(
      false,
    );

    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', { tenant_id: 'docs-ed25519' });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const hook = await tenant.request('POST', '/v1/webhooks', {
      url: `${receiver.url}/ed25519`,
      signature_schemes: ['ed25519'],
    });
    const [oldKey = ''] = hook.body.webhook.public_keys as string[];
    const deliver = async (n: number): Promise<ReceivedRequest> => {
      const sent = await tenant.request('POST', '/v1/events', { type: 'order.created', data: { n } });
      return eventually(async () =>
        receiver.requests.find((r) => r.headers['webhook-id'] === sent.body.event_id),
      );
    };
    const first = await deliver(1);
    expect(verifyWebhookEd25519([oldKey], first.headers, first.body)).toBe(true);
    expect(verifyWebhookEd25519([examplePublicKey], first.headers, first.body)).toBe(false);

    const rotated = await tenant.request('POST', `/v1/webhooks/${hook.body.webhook.id}/rotate-secret`);
    const newKey = rotated.body.public_key as string;
    const second = await deliver(2);
    expect(verifyWebhookEd25519([newKey], second.headers, second.body)).toBe(true);
    expect(verifyWebhookEd25519([oldKey], second.headers, second.body)).toBe(true);
    expect(verifyWebhookEd25519([examplePublicKey], second.headers, second.body)).toBe(false);
  });

  it('the documented verifier accepts real deliveries, with either secret during a rotation', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'docs',
      target_url: `${receiver.url}/hooks`,
    });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const oldSecret = created.body.webhook_secret as string;
    const deliver = async (n: number): Promise<ReceivedRequest> => {
      const sent = await tenant.request('POST', '/v1/events', { type: 'order.created', data: { n } });
      return eventually(async () =>
        receiver.requests.find((r) => r.headers['webhook-id'] === sent.body.event_id),
      );
    };

    const first = await deliver(1);
    expect(verifyWebhook(oldSecret, first.headers, first.body)).toBe(true);
    expect(new Webhook(oldSecret).verify(first.body, first.headers as Record<string, string>)).toMatchObject({
      type: 'order.created',
      data: { n: 1 },
    });

    const rotated = await tenant.request('POST', `/v1/webhooks/${created.body.webhook.id}/rotate-secret`);
    const newSecret = rotated.body.secret as string;
    expect(newSecret).toMatch(/^whsec_/);
    const second = await deliver(2);
    expect(String(second.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifyWebhook(newSecret, second.headers, second.body)).toBe(true);
    expect(verifyWebhook(oldSecret, second.headers, second.body)).toBe(true);
    expect(verifyWebhook(EXAMPLE_SECRET, second.headers, second.body)).toBe(false);
    const stripe = new Stripe('sk_test_unused');
    for (const secret of [newSecret, oldSecret]) {
      expect(
        stripe.webhooks.constructEvent(second.body, String(second.headers['stripe-signature']), secret),
      ).toMatchObject({ data: { n: 2 } });
    }
  });
});
