import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { type Provider, verifiers, verifyWithAny } from '../src/verifiers/index.js';

const body = (text: string) => Buffer.from(text, 'utf8');
const NOW = 1_764_500_000_000;
const seconds = (ms: number) => String(Math.floor(ms / 1000));

describe('github (the vector GitHub documents)', () => {
  const secret = "It's a Secret to Everybody";
  const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
  const headers = {
    'x-hub-signature-256': signature,
    'x-github-event': 'push',
    'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
  };

  it('verifies and reads the event and delivery headers', () => {
    expect(verifiers.github.verify(body('Hello, World!'), headers, secret, NOW)).toEqual({
      ok: true,
      eventId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      type: 'push',
      typeFrom: 'X-GitHub-Event',
    });
  });
  it('refuses another body, another secret, a missing or malformed header', () => {
    expect(verifiers.github.verify(body('Hello, World?'), headers, secret, NOW)).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifiers.github.verify(body('Hello, World!'), headers, 'other', NOW)).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifiers.github.verify(body('Hello, World!'), {}, secret, NOW)).toMatchObject({
      ok: false,
      reason: 'missing_header',
      header: 'X-Hub-Signature-256',
    });
    expect(
      verifiers.github.verify(body('Hello, World!'), { 'x-hub-signature-256': 'sha1=abc' }, secret, NOW),
    ).toMatchObject({ ok: false, reason: 'malformed_header' });
  });
});

describe('slack (the example in Slack’s documentation)', () => {
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  const raw =
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
  const headers = {
    'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    'x-slack-request-timestamp': '1531420618',
  };
  const then = 1_531_420_618_000;

  it('verifies within 300 s of the timestamp', () => {
    expect(verifiers.slack.verify(body(raw), headers, secret, then + 299_000)).toEqual({
      ok: true,
      type: 'slash_command',
      typeFrom: 'type',
    });
  });
  it('refuses a stale timestamp, a tampered body and a missing timestamp header', () => {
    expect(verifiers.slack.verify(body(raw), headers, secret, then + 301_000)).toMatchObject({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(verifiers.slack.verify(body(`${raw}x`), headers, secret, then)).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    expect(
      verifiers.slack.verify(body(raw), { 'x-slack-signature': headers['x-slack-signature'] }, secret, then),
    ).toMatchObject({ ok: false, reason: 'missing_header', header: 'X-Slack-Request-Timestamp' });
  });
});

describe('standard-webhooks (the specification’s test vector, and the reference library)', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const payload = '{"test": 2432232314}';
  const at = 1_614_265_330_000;

  it('verifies the published vector with webhook-* and svix-* headers', () => {
    for (const prefix of ['webhook', 'svix']) {
      const headers = {
        [`${prefix}-id`]: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        [`${prefix}-timestamp`]: '1614265330',
        [`${prefix}-signature`]: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      };
      expect(verifiers['standard-webhooks'].verify(body(payload), headers, secret, at)).toEqual({
        ok: true,
        eventId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      });
    }
  });
  it('verifies what the standardwebhooks library signs, with several signatures in the header', () => {
    const now = new Date(NOW);
    const signed = new StandardWebhook(secret).sign('msg_1', now, '{"type":"invoice.paid"}');
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': seconds(NOW),
      'webhook-signature': `v1,AAAA ${signed}`,
    };
    expect(
      verifiers['standard-webhooks'].verify(body('{"type":"invoice.paid"}'), headers, secret, NOW),
    ).toEqual({ ok: true, eventId: 'msg_1', type: 'invoice.paid', typeFrom: 'type' });
    expect(
      verifiers['standard-webhooks'].verify(body('{"type":"invoice.paid"}'), headers, secret, NOW + 400_000),
    ).toMatchObject({ ok: false, reason: 'stale_timestamp' });
    expect(
      verifiers['standard-webhooks'].verify(body('{"type":"invoice.paid"}'), {}, secret, NOW),
    ).toMatchObject({ ok: false, reason: 'missing_header', header: 'webhook-id' });
  });
});

describe('stripe (signed by Stripe’s own library)', () => {
  const secret = 'whsec_test_secret_for_stripe';
  const payload = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', data: { object: {} } });
  const header = (timestamp: number, key = secret) =>
    new Stripe('sk_test_x').webhooks.generateTestHeaderString({ payload, secret: key, timestamp });

  it('verifies and reads id and type from the body', () => {
    const headers = { 'stripe-signature': header(Math.floor(NOW / 1000)) };
    expect(verifiers.stripe.verify(body(payload), headers, secret, NOW)).toEqual({
      ok: true,
      eventId: 'evt_1',
      type: 'invoice.paid',
      typeFrom: 'type',
    });
  });
  it('accepts any v1 signature in the header (Stripe sends one per secret while rolling)', () => {
    const good = header(Math.floor(NOW / 1000));
    const t = good.split(',')[0];
    const v1 = good.split(',').find((p) => p.startsWith('v1='));
    const headers = { 'stripe-signature': `${t},v1=${'0'.repeat(64)},${v1}` };
    expect(verifiers.stripe.verify(body(payload), headers, secret, NOW).ok).toBe(true);
  });
  it('refuses a timestamp older than 300 s, another secret, a missing header', () => {
    const old = { 'stripe-signature': header(Math.floor(NOW / 1000) - 301) };
    expect(verifiers.stripe.verify(body(payload), old, secret, NOW)).toMatchObject({
      ok: false,
      reason: 'stale_timestamp',
    });
    const other = { 'stripe-signature': header(Math.floor(NOW / 1000), 'whsec_other') };
    expect(verifiers.stripe.verify(body(payload), other, secret, NOW)).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifiers.stripe.verify(body(payload), {}, secret, NOW)).toMatchObject({
      ok: false,
      reason: 'missing_header',
      header: 'Stripe-Signature',
    });
  });
});

describe('shopify', () => {
  // Computed with `openssl dgst -sha256 -hmac shpss_test_secret -binary | base64`.
  const payload = '{"id":820982911946154508,"email":"jon@example.com"}';
  const headers = {
    'x-shopify-hmac-sha256': 'LnwdZPLBbdjkBwPD/lDL1/rYEGby/GHPtL1aAH6Dxjc=',
    'x-shopify-topic': 'orders/create',
    'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
  };
  it('verifies the base64 HMAC and reads topic and webhook id', () => {
    expect(verifiers.shopify.verify(body(payload), headers, 'shpss_test_secret', NOW)).toEqual({
      ok: true,
      eventId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      type: 'orders/create',
      typeFrom: 'X-Shopify-Topic',
    });
  });
  it('refuses a hex digest of the right value and a missing header', () => {
    const hex = Buffer.from(headers['x-shopify-hmac-sha256'], 'base64').toString('hex');
    expect(
      verifiers.shopify.verify(
        body(payload),
        { ...headers, 'x-shopify-hmac-sha256': hex },
        'shpss_test_secret',
        NOW,
      ),
    ).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(verifiers.shopify.verify(body(payload), {}, 'shpss_test_secret', NOW)).toMatchObject({
      ok: false,
      reason: 'missing_header',
    });
  });
});

describe('generic', () => {
  const secret = "It's a Secret to Everybody";
  const signature = '757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
  it('verifies the hex HMAC-SHA256 of the body', () => {
    const headers = { 'x-provider-id': 'acme-billing', 'x-webhook-signature': signature };
    expect(verifiers.generic.verify(body('Hello, World!'), headers, secret, NOW)).toEqual({ ok: true });
  });
  it('names the missing header', () => {
    expect(
      verifiers.generic.verify(body('x'), { 'x-webhook-signature': signature }, secret, NOW),
    ).toMatchObject({
      ok: false,
      reason: 'missing_header',
      header: 'X-Provider-ID',
    });
    expect(verifiers.generic.verify(body('x'), { 'x-provider-id': 'p' }, secret, NOW)).toMatchObject({
      ok: false,
      reason: 'missing_header',
      header: 'X-Webhook-Signature',
    });
  });
});

describe('hmac (configurable)', () => {
  // `printf 'Hello, World!' | openssl dgst -sha512 -hmac k -hex`
  const sha512 =
    '6cbfb4d6b4c2b4d743b8253e5aa6a93a00ce3441e39532c8f81147bb7f9386bc4ec853147aca2cce9b3f69e8e96ebf23a7da28f4934ce39dac708e2687b78180';
  const config = {
    header: 'X-Signature',
    algorithm: 'sha512',
    encoding: 'hex',
    prefix: 'sha512=',
    id_header: 'X-Delivery',
  } as const;
  it('verifies sha512 hex with a prefix and reads the id header', () => {
    const headers = { 'x-signature': `sha512=${sha512}`, 'x-delivery': 'd-1' };
    expect(verifiers.hmac.verify(body('Hello, World!'), headers, 'k', NOW, config)).toEqual({
      ok: true,
      eventId: 'd-1',
    });
  });
  it('verifies sha256 base64 without a prefix', () => {
    const digest = createHmac('sha256', 'k').update('{"type":"a.b"}').digest('base64');
    const base64 = { header: 'X-Sig', algorithm: 'sha256', encoding: 'base64' } as const;
    expect(verifiers.hmac.verify(body('{"type":"a.b"}'), { 'x-sig': digest }, 'k', NOW, base64)).toEqual({
      ok: true,
      type: 'a.b',
      typeFrom: 'type',
    });
  });
  it('refuses a missing prefix and a wrong digest', () => {
    expect(
      verifiers.hmac.verify(body('Hello, World!'), { 'x-signature': sha512 }, 'k', NOW, config),
    ).toMatchObject({
      ok: false,
      reason: 'malformed_header',
    });
    expect(
      verifiers.hmac.verify(body('Hello, World!'), { 'x-signature': `sha512=${sha512}` }, 'j', NOW, config),
    ).toMatchObject({ ok: false, reason: 'bad_signature' });
  });
});

describe('verifyWithAny', () => {
  const headers = {
    'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
  };
  it('accepts the old secret while a rotation overlaps', () => {
    const secrets = ['new-secret', "It's a Secret to Everybody"];
    expect(verifyWithAny('github', body('Hello, World!'), headers, secrets, NOW).ok).toBe(true);
    expect(verifyWithAny('github', body('Hello, World!'), headers, ['new-secret'], NOW).ok).toBe(false);
  });
  it('has a verifier for every provider', () => {
    const all: Provider[] = ['stripe', 'github', 'shopify', 'slack', 'standard-webhooks', 'generic', 'hmac'];
    for (const p of all) expect(typeof verifiers[p].verify).toBe('function');
  });
});
