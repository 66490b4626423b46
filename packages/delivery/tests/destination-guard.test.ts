import { describe, expect, it } from '@jest/globals';
import { DestinationGuard, parseAllowlist } from '../src/index.js';

const strict = new DestinationGuard(parseAllowlist(''));

describe('DestinationGuard', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fc00::1',
    'fd12::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '64:ff9b::a9fe:a9fe',
  ])('refuses %s', (address) => {
    expect(strict.allows(address)).toBe(false);
  });

  it.each(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '8.8.8.8'])(
    'allows public %s',
    (address) => {
      expect(strict.allows(address)).toBe(true);
    },
  );

  it('lets the allow-list open exactly what it names', () => {
    const local = new DestinationGuard(parseAllowlist('127.0.0.0/8,::1/128'));
    expect(local.allows('127.0.0.1')).toBe(true);
    expect(local.allows('::1')).toBe(true);
    expect(local.allows('10.0.0.1')).toBe(false);
    expect(() => parseAllowlist('not-a-cidr')).toThrow(/DESTINATION_ALLOWLIST/);
  });
});
