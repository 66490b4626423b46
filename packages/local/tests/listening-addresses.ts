import { existsSync, readFileSync } from 'node:fs';

const LISTEN = '0A';

/** An address of /proc/net/tcp (IPv4, one little-endian word) or tcp6 (four), as text. */
const addressOf = (hex: string): string => {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => Number.parseInt(b, 16)));
  if (bytes.length === 4) return bytes.join('.');
  const groups = Array.from({ length: 8 }, (_, i) =>
    (((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0)).toString(16),
  );
  const full = groups.join(':');
  if (full === '0:0:0:0:0:0:0:0') return '::';
  if (full === '0:0:0:0:0:0:0:1') return '::1';
  return full;
};

/**
 * The local addresses something on this machine listens on at `port`, as `ss -ltn` shows them
 * (Linux: read from /proc/net/tcp and tcp6), e.g. `['127.0.0.1']` or `['0.0.0.0']`.
 */
export const listeningAddresses = (port: number): string[] => {
  const found = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== LISTEN) continue;
      const [address, hexPort] = local.split(':');
      if (address && Number.parseInt(hexPort ?? '', 16) === port) found.add(addressOf(address));
    }
  }
  return [...found].sort();
};
