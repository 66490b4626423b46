import { BlockList, isIP } from 'node:net';

const BLOCKED_V4 = [
  ['0.0.0.0', 8], // "this" network, unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const;

const BLOCKED_V6 = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['2001:db8::', 32], // documentation
  ['100::', 64], // discard
] as const;

const blocked = new BlockList();
for (const [net, prefix] of BLOCKED_V4) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of BLOCKED_V6) blocked.addSubnet(net, prefix, 'ipv6');

/** Parses `127.0.0.0/8,::1/128` into a BlockList of what is allowed despite the rules. */
export const parseAllowlist = (text: string): BlockList => {
  const list = new BlockList();
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address = '', prefixText] = entry.split('/');
    const family = isIP(address);
    if (family === 0) throw new Error(`DESTINATION_ALLOWLIST: "${entry}" is not a CIDR`);
    const prefix = prefixText === undefined ? (family === 4 ? 32 : 128) : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) {
      throw new Error(`DESTINATION_ALLOWLIST: "${entry}" has a bad prefix length`);
    }
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
};

/** An IPv4 address carried inside an IPv6 one (mapped ::ffff:a.b.c.d or NAT64 64:ff9b::/96). */
const embeddedV4 = (address: string): string | undefined => {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return undefined;
  const hi = Number.parseInt(hex[1] ?? '0', 16);
  const lo = Number.parseInt(hex[2] ?? '0', 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
};

/**
 * Decides whether an address may be connected to: refused when it is loopback, private,
 * link-local, CGNAT, unique-local, multicast, unspecified or reserved, unless the operator's
 * allow-list names it.
 *
 * @example
 * new DestinationGuard(parseAllowlist('')).allows('127.0.0.1') // false
 */
export class DestinationGuard {
  constructor(private readonly allowlist: BlockList) {}

  allows(address: string): boolean {
    const family = isIP(address);
    if (family === 0) return false;
    const v4 = family === 6 ? embeddedV4(address) : address;
    if (v4 !== undefined && isIP(v4) === 4) {
      if (this.allowlist.check(v4, 'ipv4') || (family === 6 && this.allowlist.check(address, 'ipv6')))
        return true;
      return !blocked.check(v4, 'ipv4');
    }
    if (this.allowlist.check(address, 'ipv6')) return true;
    return !blocked.check(address, 'ipv6');
  }
}
