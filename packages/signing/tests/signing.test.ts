import { describe, expect, it } from '@jest/globals';
import { generateSecret, sign, verify } from '../src/index.js';

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
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(headers['stripe-signature'].match(/v1=/g)).toHaveLength(2);
    for (const secret of [oldSecret, newSecret]) {
      expect(verify({ secrets: [secret], headers, body, now }).ok).toBe(true);
      expect(
        verify({ secrets: [secret], headers: { 'stripe-signature': headers['stripe-signature'] }, body, now })
          .ok,
      ).toBe(true);
    }
  });
});
