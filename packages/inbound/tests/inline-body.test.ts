import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { type IngestDeps, ingest } from '../src/ingest.js';
import {
  INLINE_BODY_MAX_BYTES,
  type InboundMessage,
  type InboundRequest,
  serializeInboundMessage,
} from '../src/models.js';
import type { Archive, BusEntry, InboundRequestStore } from '../src/ports.js';
import { processInbound } from '../src/process.js';

/*
 * A body small enough rides in the FIFO message as well as in the archive, so the processor
 * routes it without reading the archive back (an S3 GET per request); a larger one, or a
 * replay's message, is read from the archive as before.
 */
const NOW = 1_764_500_000_000;

const memory = (maxBodyBytes: number) => {
  const requests = new Map<string, InboundRequest>();
  const objects = new Map<string, Buffer>();
  const sent: InboundMessage[] = [];
  const busEntries: BusEntry[] = [];
  let archiveReads = 0;
  const archive: Archive = {
    put: async (key, body) => {
      objects.set(key, body);
      return `s3://bucket/${key}`;
    },
    get: async (key) => {
      archiveReads++;
      return objects.get(key);
    },
  };
  const store = {
    get: async (_t: string, id: string) => requests.get(id),
    create: async (r: InboundRequest) => {
      requests.set(r.id, r);
      return true;
    },
    countDuplicate: async () => undefined,
    markRouted: async (_t: string, id: string, round: number) => {
      const r = requests.get(id);
      if (r) requests.set(id, { ...r, status: 'ROUTED', routed_round: round });
    },
  } as unknown as InboundRequestStore;
  const ingestDeps: IngestDeps = {
    sources: {
      route: async () => ({
        token: 't'.repeat(32),
        tenant_id: 'acme',
        source_id: 'src_1',
        provider: 'github',
        forward: false,
        secrets: [{ secret: 's' }],
      }),
      countRejected: async () => undefined,
    } as unknown as IngestDeps['sources'],
    requests: store,
    archive,
    queue: {
      send: async (message) => {
        sent.push(message);
      },
    },
    clock: { now: () => NOW },
    maxBodyBytes,
    retentionDays: 30,
    archiveMode: 'ingest',
  };
  const processDeps = {
    requests: store,
    archive,
    bus: {
      put: async (entry: BusEntry) => {
        busEntries.push(entry);
      },
    },
    outbound: { create: async () => true },
    clock: { now: () => NOW },
  };
  return { ingestDeps, processDeps, sent, busEntries, archiveReads: () => archiveReads };
};

const push = (body: string, delivery: string) => ({
  token: 't'.repeat(32),
  rawBody: Buffer.from(body),
  headers: {
    'x-hub-signature-256': `sha256=${createHmac('sha256', 's').update(body).digest('hex')}`,
    'x-github-event': 'push',
    'x-github-delivery': delivery,
  },
});

describe('the body in the FIFO message', () => {
  it('a body up to the limit is routed from the message, byte for byte, without reading the archive', async () => {
    const m = memory(256 * 1024);
    const body = JSON.stringify({ ref: 'refs/heads/main', message: 'Ship it 🚀', pad: 'x'.repeat(40_000) });
    await ingest(m.ingestDeps, push(body, 'd-small'));
    const [message] = m.sent;
    if (!message) throw new Error('nothing queued');
    expect(Buffer.from(message.body ?? '', 'base64').toString('utf8')).toBe(body);
    // One billed SQS request: the whole message under 64 KB.
    expect(Buffer.byteLength(serializeInboundMessage(message))).toBeLessThanOrEqual(65_536);
    expect(await processInbound(m.processDeps, message)).toBe('routed');
    expect(m.archiveReads()).toBe(0);
    expect(m.busEntries[0]?.detail).toMatchObject({ payload: JSON.parse(body) });
  });

  it('a larger body, or a message without one (a replay), is read from the archive', async () => {
    const m = memory(256 * 1024);
    const body = JSON.stringify({ pad: 'y'.repeat(INLINE_BODY_MAX_BYTES) });
    await ingest(m.ingestDeps, push(body, 'd-large'));
    const [message] = m.sent;
    if (!message) throw new Error('nothing queued');
    expect(message.body).toBeUndefined();
    expect(await processInbound(m.processDeps, message)).toBe('routed');
    expect(m.archiveReads()).toBe(1);
    expect(m.busEntries[0]?.detail).toMatchObject({ payload: JSON.parse(body) });
  });
});

describe('a body the archive no longer has', () => {
  it('is a not_found error that routes nothing and leaves the request to be received again', async () => {
    const m = memory(256 * 1024);
    const body = JSON.stringify({ pad: 'z'.repeat(INLINE_BODY_MAX_BYTES) });
    await ingest(m.ingestDeps, push(body, 'd-lost'));
    const [message] = m.sent;
    if (!message) throw new Error('nothing queued');
    const lost = { ...m.processDeps, archive: { ...m.processDeps.archive, get: async () => undefined } };
    await expect(processInbound(lost, message)).rejects.toMatchObject({
      kind: 'not_found',
      code: 'archived_body_missing',
    });
    expect(m.busEntries).toHaveLength(0);
    expect(await processInbound(m.processDeps, message)).toBe('routed');
  });
});
