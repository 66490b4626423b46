import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  ed25519Signature,
  generateSecret,
  generateSigningKey,
  publicKeyOf,
  sign,
  verify,
  verifyEd25519Signature,
} from '../src/index.js';

const body = JSON.stringify({
  id: 'evt_1',
  type: 'a.b',
  timestamp: '2026-01-01T00:00:00.000Z',
  data: { n: 1 },
});
const now = 1_800_000_000;

/** Checks a v1a entry with nothing but node:crypto and the public key, as a receiver would. */
const receiverVerifies = (publicKey: string, id: string, ts: number, payload: string, entry: string) => {
  const raw = Buffer.from(publicKey.replace(/^whpk_/, ''), 'base64');
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
  const [version, signature = ''] = entry.split(',');
  return (
    version === 'v1a' &&
    cryptoVerify(null, Buffer.from(`${id}.${ts}.${payload}`), key, Buffer.from(signature, 'base64'))
  );
};

describe('ed25519 (Standard Webhooks v1a)', () => {
  it("matches the Standard Webhooks reference library's published signature", () => {
    // The vector of the specification's Go library (webhook_asymmetric_test.go, TestAsymmetricWebhookSign):
    // the seed is base64 of "TESTSIGNINGKEYDONOTUSETHISFORANY", taken with or without whsk_.
    const seed = 'VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=';
    const msgId = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
    const timestamp = 1614265330;
    const payload = '{"test": 2432232314}';
    const expected =
      'v1a,tQ9V2XOqn7jL/DQenEFpqIugdBVtiMmER5mhSkXBNwM0mkATuDe6KYYUuxqtaiHeYGb7KaaBRdM5WqyeFiL8Ag==';
    expect(ed25519Signature(seed, msgId, timestamp, payload)).toBe(expected);
    expect(ed25519Signature(`whsk_${seed}`, msgId, timestamp, payload)).toBe(expected);
    const publicKey = publicKeyOf(`whsk_${seed}`);
    expect(publicKey).toBe('whpk_ZlN4eg7dSSqi0moX9hQUk3orrOouK3QVQSlJa248c/g=');
    expect(receiverVerifies(publicKey, msgId, timestamp, payload, expected)).toBe(true);
    expect(
      verify({
        publicKeys: [publicKey],
        headers: {
          'webhook-id': msgId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': expected,
        },
        body: payload,
        now: timestamp,
      }),
    ).toEqual({ ok: true, scheme: 'ed25519' });
  });

  it('makes whsk_ keys of a 32-byte seed whose whpk_ public key is 32 bytes', () => {
    const key = generateSigningKey();
    expect(key).toMatch(/^whsk_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(key.slice(5), 'base64')).toHaveLength(32);
    expect(publicKeyOf(key)).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    expect(generateSigningKey()).not.toBe(key);
    expect(() => publicKeyOf('whsk_dGVzdA==')).toThrow(/32 bytes/);
  });

  it('signs v1a entries in webhook-signature, beside the v1 ones when both are asked for', () => {
    const [secret, key] = [generateSecret(), generateSigningKey()];
    const only = sign({
      msgId: 'evt_1',
      timestamp: now,
      body,
      secrets: [],
      signingKeys: [key],
      schemes: ['ed25519'],
    });
    expect(Object.keys(only).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    const [entry = ''] = String(only['webhook-signature']).split(' ');
    expect(String(only['webhook-signature']).split(' ')).toHaveLength(1);
    expect(receiverVerifies(publicKeyOf(key), 'evt_1', now, body, entry)).toBe(true);

    const both = sign({
      msgId: 'evt_1',
      timestamp: now,
      body,
      secrets: [secret],
      signingKeys: [key],
      schemes: ['standard', 'ed25519'],
    });
    expect(
      String(both['webhook-signature'])
        .split(' ')
        .map((e) => e.split(',')[0]),
    ).toEqual(['v1', 'v1a']);
    expect(verify({ secrets: [secret], headers: both, body, now })).toEqual({ ok: true, scheme: 'standard' });
    expect(verify({ publicKeys: [publicKeyOf(key)], headers: both, body, now })).toEqual({
      ok: true,
      scheme: 'ed25519',
    });
    // Asked for HMAC schemes only, the signing keys sign nothing.
    const hmacOnly = sign({ msgId: 'evt_1', timestamp: now, body, secrets: [secret], signingKeys: [key] });
    expect(String(hmacOnly['webhook-signature'])).not.toContain('v1a,');
  });

  it('signs once per key during a rotation, so either public key verifies', () => {
    const keys = [generateSigningKey(), generateSigningKey()];
    const headers = sign({
      msgId: 'evt_1',
      timestamp: now,
      body,
      secrets: [],
      signingKeys: keys,
      schemes: ['ed25519'],
    });
    expect(String(headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const key of keys) {
      expect(verify({ publicKeys: [publicKeyOf(key)], headers, body, now })).toEqual({
        ok: true,
        scheme: 'ed25519',
      });
    }
    expect(verify({ publicKeys: [publicKeyOf(generateSigningKey())], headers, body, now })).toEqual({
      ok: false,
      reason: 'no_matching_signature',
    });
  });

  it('refuses a changed body, id or timestamp, a stale timestamp, and malformed entries or keys', () => {
    const key = generateSigningKey();
    const publicKey = publicKeyOf(key);
    const headers = sign({
      msgId: 'evt_1',
      timestamp: now,
      body,
      secrets: [],
      signingKeys: [key],
      schemes: ['ed25519'],
    });
    const entry = String(headers['webhook-signature']);
    expect(verify({ publicKeys: [publicKey], headers, body: `${body} `, now })).toMatchObject({ ok: false });
    expect(
      verify({ publicKeys: [publicKey], headers: { ...headers, 'webhook-id': 'evt_2' }, body, now }),
    ).toMatchObject({
      ok: false,
    });
    expect(verify({ publicKeys: [publicKey], headers, body, now: now + 301 })).toEqual({
      ok: false,
      reason: 'timestamp_out_of_tolerance',
    });
    expect(verifyEd25519Signature(publicKey, 'evt_1', now + 1, body, entry)).toBe(false);
    for (const bad of ['v1a,', 'v1a,AAAA', `v1,${entry.slice(4)}`, `v1a,${'A'.repeat(86)}==`, 'v1a']) {
      expect(verifyEd25519Signature(publicKey, 'evt_1', now, body, bad)).toBe(false);
    }
    expect(verifyEd25519Signature('whpk_dGVzdA==', 'evt_1', now, body, entry)).toBe(false);
    // A whsec_ secret is no public key, and a v1a entry is never checked against secrets.
    expect(verify({ secrets: [key], headers, body, now })).toMatchObject({ ok: false });
  });

  it('needs a signing key to sign ed25519, and no secret when it is the only scheme', () => {
    expect(() =>
      sign({ msgId: 'evt_1', timestamp: now, body, secrets: [generateSecret()], schemes: ['ed25519'] }),
    ).toThrow(/signing key/);
    expect(() =>
      sign({
        msgId: 'evt_1',
        timestamp: now,
        body,
        secrets: [],
        signingKeys: [generateSigningKey()],
        schemes: ['standard', 'ed25519'],
      }),
    ).toThrow(/secret/);
  });
});
