import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { bodyHmacSignature, generateSecret, sign, verify, verifyBodyHmac } from '../src/index.js';

const body = JSON.stringify({
  id: 'evt_1',
  type: 'a.b',
  timestamp: '2026-01-01T00:00:00.000Z',
  data: { n: 1 },
});
const now = 1_800_000_000;

describe('sign and verify', () => {
  it('round-trips through both schemes', () => {
    const secret = generateSecret();
    const headers = sign({ msgId: 'evt_1', timestamp: now, body, secrets: [secret] });
    expect(verify({ secrets: [secret], headers, body, now })).toEqual({ ok: true, scheme: 'standard' });
    const stripeOnly = { 'Stripe-Signature': headers['stripe-signature'] };
    expect(verify({ secrets: [secret], headers: stripeOnly, body, now })).toEqual({
      ok: true,
      scheme: 'stripe',
    });
  });

  it('rejects another secret, a changed body and a stale or future timestamp', () => {
    const secret = generateSecret();
    const headers = sign({ msgId: 'evt_1', timestamp: now, body, secrets: [secret] });
    expect(verify({ secrets: [generateSecret()], headers, body, now })).toMatchObject({ ok: false });
    expect(verify({ secrets: [secret], headers, body: `${body} `, now })).toMatchObject({ ok: false });
    expect(verify({ secrets: [secret], headers, body, now: now + 301 })).toEqual({
      ok: false,
      reason: 'timestamp_out_of_tolerance',
    });
    expect(verify({ secrets: [secret], headers, body, now: now - 301 })).toMatchObject({ ok: false });
    expect(verify({ secrets: [secret], headers: {}, body, now })).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
  });

  it('signs once per secret during a rotation, so either secret verifies', () => {
    const [oldSecret, newSecret] = [generateSecret(), generateSecret()];
    const headers = sign({ msgId: 'evt_1', timestamp: now, body, secrets: [newSecret, oldSecret] });
    expect(String(headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(String(headers['stripe-signature']).match(/v1=/g)).toHaveLength(2);
    for (const secret of [oldSecret, newSecret]) {
      expect(verify({ secrets: [secret], headers, body, now }).ok).toBe(true);
      expect(
        verify({ secrets: [secret], headers: { 'stripe-signature': headers['stripe-signature'] }, body, now })
          .ok,
      ).toBe(true);
    }
  });
});

describe('signature schemes', () => {
  it('adds only the headers of the schemes asked for; webhook-id and webhook-timestamp always', () => {
    const secret = generateSecret();
    const all = sign({ msgId: 'evt_1', timestamp: now, body, secrets: [secret] });
    expect(Object.keys(all).sort()).toEqual([
      'stripe-signature',
      'webhook-id',
      'webhook-signature',
      'webhook-timestamp',
    ]);
    const only = sign({ msgId: 'evt_1', timestamp: now, body, secrets: [secret], schemes: ['body-hmac'] });
    expect(Object.keys(only).sort()).toEqual(['webhook-id', 'webhook-timestamp', 'x-hookrelay-signature']);
  });

  it('body-hmac is the hex HMAC-SHA256 of the raw body keyed with the whole secret, one per secret', () => {
    const secrets = [generateSecret(), generateSecret()];
    const headers = sign({ msgId: 'evt_1', timestamp: now, body, secrets, schemes: ['body-hmac'] });
    // Computed here with nothing but node:crypto, as a receiver would.
    const expected = secrets.map((s) => createHmac('sha256', s).update(body).digest('hex'));
    expect(headers['x-hookrelay-signature']).toBe(expected.join(','));
    expect(bodyHmacSignature('whsec_dGVzdA==', 'hello')).toBe(
      createHmac('sha256', Buffer.from('whsec_dGVzdA==', 'utf8')).update('hello').digest('hex'),
    );
    for (const secret of secrets) {
      expect(verifyBodyHmac({ secrets: [secret], headers, body })).toEqual({ ok: true, scheme: 'body-hmac' });
      const { 'webhook-id': _i, 'webhook-timestamp': _t, ...bare } = headers;
      expect(
        verify({
          secrets: [secret],
          headers: { 'X-Hookrelay-Signature': bare['x-hookrelay-signature'] },
          body,
          now,
        }),
      ).toEqual({
        ok: true,
        scheme: 'body-hmac',
      });
    }
    expect(verifyBodyHmac({ secrets: [generateSecret()], headers, body })).toEqual({
      ok: false,
      reason: 'no_matching_signature',
    });
    expect(verifyBodyHmac({ secrets, headers, body: `${body} ` })).toMatchObject({ ok: false });
    expect(verifyBodyHmac({ secrets, headers: {}, body })).toEqual({ ok: false, reason: 'missing_headers' });
  });
});
