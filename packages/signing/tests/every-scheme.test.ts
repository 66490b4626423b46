import { describe, expect, it } from '@jest/globals';
import {
  generateSecret,
  generateSigningKey,
  publicKeyOf,
  SIGNATURE_SCHEME_INFO,
  SIGNATURE_SCHEMES,
  sign,
  verify,
} from '../src/index.js';

const body = '{"id":"evt_1","type":"invoice.paid","data":{"n":1}}';
const now = 1_800_000_000;

describe('every scheme in the list', () => {
  it.each(SIGNATURE_SCHEMES)('%s alone writes its own header, which verifies', (scheme) => {
    const secret = generateSecret();
    const signingKey = generateSigningKey();
    const headers: Record<string, string | undefined> = sign({
      msgId: 'evt_1',
      timestamp: now,
      body,
      secrets: [secret],
      signingKeys: [signingKey],
      schemes: [scheme],
    });
    expect(Object.keys(headers).sort()).toEqual(
      ['webhook-id', 'webhook-timestamp', SIGNATURE_SCHEME_INFO[scheme].header].sort(),
    );
    expect(verify({ secrets: [secret], publicKeys: [publicKeyOf(signingKey)], headers, body, now })).toEqual({
      ok: true,
      scheme,
    });
  });

  it('schemes that share a header are joined in the list’s order: v1 before v1a', () => {
    const headers = sign({
      msgId: 'evt_1',
      timestamp: now,
      body,
      secrets: [generateSecret(), generateSecret()],
      signingKeys: [generateSigningKey()],
      schemes: ['ed25519', 'standard'],
    });
    expect(headers['webhook-signature']?.split(' ').map((entry) => entry.split(',')[0])).toEqual([
      'v1',
      'v1',
      'v1a',
    ]);
  });
});
