import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { type Prepared, prepareBatch } from '../src/archive-batch.js';
import { type IngestDeps, ingest } from '../src/ingest.js';
import type { ArchivedBody, InboundMessage, InboundRequest, SourceRoute } from '../src/models.js';
import type { Archive, BusEntry, InboundRequestStore } from '../src/ports.js';
import { type ProcessDeps, processInbound } from '../src/process.js';

/*
 * A body that rides in the FIFO message is archived by the processor: one object per tenant
 * for each batch it receives, each request's place in it recorded when it is marked routed.
 */
const NOW = 1_764_500_000_000;

const route = (tenant: string, source: string): SourceRoute => ({
  token: `${tenant}-${source}`.padEnd(32, 't'),
  tenant_id: tenant,
  source_id: source,
  provider: 'github',
  forward: false,
  secrets: [{ secret: 's' }],
});

const push = (at: SourceRoute, body: string, delivery: string) => ({
  token: at.token,
  rawBody: Buffer.from(body),
  headers: {
    'x-hub-signature-256': `sha256=${createHmac('sha256', 's').update(body).digest('hex')}`,
    'x-github-event': 'push',
    'x-github-delivery': delivery,
  },
});

const platform = () => {
  const routes = [route('acme', 'src_1'), route('acme', 'src_2'), route('globex', 'src_9')];
  const requests = new Map<string, InboundRequest>();
  const objects = new Map<string, Buffer>();
  const queued: InboundMessage[] = [];
  const bus: BusEntry[] = [];
  const puts: string[] = [];
  const reads: { key: string; range?: { offset: number; length: number } }[] = [];
  let failMarkRouted = 0;
  const archive: Archive = {
    put: async (key, body) => {
      puts.push(key);
      objects.set(key, Buffer.from(body));
      return `s3://bucket/${key}`;
    },
    get: async (key, range) => {
      reads.push({ key, ...(range ? { range } : {}) });
      const object = objects.get(key);
      return object && range ? object.subarray(range.offset, range.offset + range.length) : object;
    },
  };
  const update = (id: string, patch: Partial<InboundRequest>) => {
    const r = requests.get(id);
    if (r) requests.set(id, { ...r, ...patch });
  };
  const store = {
    get: async (_t: string, id: string) => requests.get(id),
    create: async (r: InboundRequest) => {
      if (requests.has(r.id)) return false;
      requests.set(r.id, r);
      return true;
    },
    countDuplicate: async () => undefined,
    nextRound: async (_t: string, id: string) => {
      const round = (requests.get(id)?.round ?? 0) + 1;
      update(id, { round, status: 'RECEIVED' });
      return round;
    },
    markRouted: async (_t: string, id: string, round: number, at: string, archived?: ArchivedBody) => {
      if (failMarkRouted > 0) {
        failMarkRouted--;
        throw new Error('process killed');
      }
      const r = requests.get(id);
      if (r && (r.routed_round ?? -1) < round)
        update(id, { status: 'ROUTED', routed_round: round, routed_at: at, ...archived });
    },
    markFailed: async (_t: string, id: string, error: string, archived?: ArchivedBody) =>
      update(id, { status: 'FAILED', error, ...archived }),
  } as unknown as InboundRequestStore;
  const ingestDeps: IngestDeps = {
    sources: {
      route: async (token: string) => routes.find((r) => r.token === token),
      countRejected: async () => undefined,
    } as unknown as IngestDeps['sources'],
    requests: store,
    archive,
    queue: { send: async (message) => void queued.push(message) },
    clock: { now: () => NOW },
    maxBodyBytes: 256 * 1024,
    retentionDays: 30,
    archiveMode: 'batch',
  };
  const processDeps: ProcessDeps = {
    requests: store,
    archive,
    bus: { put: async (entry) => void bus.push(entry) },
    outbound: { create: async () => true },
    clock: { now: () => NOW + 1000 },
  };
  /** What the processor does with one batch, as its handler does it. */
  const processBatch = async (messages: readonly InboundMessage[]) => {
    const prepared: Prepared[] = await prepareBatch(processDeps, messages);
    const outcomes: string[] = [];
    for (const [i, message] of messages.entries()) {
      outcomes.push(await processInbound(processDeps, message, prepared[i]).catch(() => 'failed'));
    }
    return outcomes;
  };
  const receive = async (at: SourceRoute, body: string, delivery: string) => {
    const result = await ingest(ingestDeps, push(at, body, delivery));
    if (!('request_id' in result)) throw new Error('expected a request');
    return result.request_id;
  };
  /** The body as the API and a replay read it: the recorded range of the recorded object. */
  const bodyOf = async (id: string) => {
    const r = requests.get(id);
    if (!r?.s3_key) return undefined;
    const range = r.s3_offset === undefined ? undefined : { offset: r.s3_offset, length: r.size };
    return (await archive.get(r.s3_key, range))?.toString('utf8');
  };
  return {
    routes,
    requests,
    objects,
    queued,
    bus,
    puts,
    reads,
    processBatch,
    receive,
    bodyOf,
    failMarkRoutedOnce: () => {
      failMarkRouted = 1;
    },
  };
};

const bodies = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      ref: 'refs/heads/main',
      n: i,
      tag,
      message: `${tag} #${i} 🚀`,
      pad: 'x'.repeat(i * 37),
    }),
  );

describe('the archive, written a batch at a time', () => {
  it('a batch of one tenant is one object; each body reads back byte for byte by its range', async () => {
    const p = platform();
    const [one, two] = p.routes;
    if (!one || !two) throw new Error('routes');
    const sent = bodies(6, 'acme');
    const ids = [];
    for (const [i, body] of sent.entries()) ids.push(await p.receive(i % 2 ? two : one, body, `d-${i}`));
    expect(p.puts).toHaveLength(0);

    expect(await p.processBatch(p.queued)).toEqual(sent.map(() => 'routed'));
    // Routed from the messages: one object written, nothing read back.
    expect(p.reads).toHaveLength(0);
    expect(p.puts).toHaveLength(1);
    expect(p.puts[0]).toMatch(/^acme\/batches\/2025\/11\/30\/[0-9a-f]{32}$/);
    for (const [i, id] of ids.entries()) {
      expect(p.requests.get(id)).toMatchObject({ status: 'ROUTED', s3_key: p.puts[0] });
      expect(await p.bodyOf(id)).toBe(sent[i]);
    }
    // The bus event says where the body is: the object and this body's bytes in it.
    for (const [i, entry] of p.bus.entries()) {
      const request = p.requests.get(ids[i] ?? '');
      const start = request?.s3_offset ?? -1;
      expect(entry.detail).toMatchObject({
        s3_uri: `s3://bucket/${p.puts[0]}`,
        s3_range: `bytes=${start}-${start + Buffer.byteLength(sent[i] ?? '') - 1}`,
        payload: JSON.parse(sent[i] ?? ''),
      });
    }
  });

  it('two tenants in one batch get an object each, never sharing one', async () => {
    const p = platform();
    const [acme, , globex] = p.routes;
    if (!acme || !globex) throw new Error('routes');
    const a = await p.receive(acme, '{"tenant":"acme","n":1}', 'a-1');
    const g = await p.receive(globex, '{"tenant":"globex","n":1}', 'g-1');
    const a2 = await p.receive(acme, '{"tenant":"acme","n":2}', 'a-2');
    await p.processBatch(p.queued);
    expect(p.puts).toHaveLength(2);
    const keyOf = (id: string) => p.requests.get(id)?.s3_key ?? '';
    expect(keyOf(a)).toBe(keyOf(a2));
    expect(keyOf(a)).toMatch(/^acme\//);
    expect(keyOf(g)).toMatch(/^globex\//);
    expect(p.objects.get(keyOf(a))?.toString('utf8')).toBe('{"tenant":"acme","n":1}{"tenant":"acme","n":2}');
    expect(p.objects.get(keyOf(g))?.toString('utf8')).toBe('{"tenant":"globex","n":1}');
  });

  it('a body too large to ride is archived at ingest and read back whole by the processor', async () => {
    const p = platform();
    const [acme] = p.routes;
    if (!acme) throw new Error('routes');
    const large = JSON.stringify({ pad: 'y'.repeat(60 * 1024) });
    const small = '{"small":true}';
    const big = await p.receive(acme, large, 'big');
    const little = await p.receive(acme, small, 'little');
    expect(p.puts).toEqual([expect.stringMatching(/^acme\/src_1\/2025\/11\/30\/iwh_/)]);
    await p.processBatch(p.queued);
    // One more object, for the body that rode: the large one is not written twice.
    expect(p.puts).toHaveLength(2);
    expect(p.requests.get(big)?.s3_key).toBe(p.puts[0]);
    expect(p.reads).toEqual([{ key: p.puts[0] }]);
    p.reads.length = 0;
    expect(await p.bodyOf(big)).toBe(large);
    expect(await p.bodyOf(little)).toBe(small);
    expect(p.bus[0]?.detail).toMatchObject({ s3_range: `bytes=0-${Buffer.byteLength(large) - 1}` });
  });

  it('a replay after batching reads just its range back and routes the same bytes', async () => {
    const p = platform();
    const [acme] = p.routes;
    if (!acme) throw new Error('routes');
    const sent = bodies(3, 'replayed');
    const ids = [];
    for (const [i, body] of sent.entries()) ids.push(await p.receive(acme, body, `r-${i}`));
    await p.processBatch(p.queued.splice(0));
    expect(p.reads).toHaveLength(0);
    const id = ids[1] ?? '';
    const request = p.requests.get(id);
    if (!request) throw new Error('request');
    const round = (request.round ?? 0) + 1;
    p.requests.set(id, { ...request, round, status: 'RECEIVED' });
    const replay: InboundMessage = { v: 1, tenant_id: 'acme', source_id: 'src_1', request_id: id, round };
    expect(await p.processBatch([replay])).toEqual(['routed']);
    expect(p.puts).toHaveLength(1);
    expect(p.reads).toEqual([
      { key: request.s3_key, range: { offset: request.s3_offset, length: Buffer.byteLength(sent[1] ?? '') } },
    ]);
    expect(p.bus.at(-1)?.detail).toMatchObject({ payload: JSON.parse(sent[1] ?? '') });
    expect(p.requests.get(id)).toMatchObject({ status: 'ROUTED', routed_round: 1, s3_key: request.s3_key });
  });

  it('a crash after the archive and the bus but before marking routed loses nothing: the retry routes it', async () => {
    const p = platform();
    const [acme] = p.routes;
    if (!acme) throw new Error('routes');
    const sent = bodies(3, 'crash');
    const ids = [];
    for (const [i, body] of sent.entries()) ids.push(await p.receive(acme, body, `c-${i}`));
    p.failMarkRoutedOnce();
    const first = await p.processBatch(p.queued);
    expect(first[0]).toBe('failed');
    expect(p.requests.get(ids[0] ?? '')).toMatchObject({ status: 'RECEIVED' });
    expect(p.requests.get(ids[0] ?? '')?.s3_key).toBeUndefined();

    // The message comes back (visibility timeout) with its body; the retry archives it again.
    expect(await p.processBatch([p.queued[0] as InboundMessage])).toEqual(['routed']);
    for (const [i, id] of ids.entries()) {
      expect(p.requests.get(id)?.status).toBe('ROUTED');
      expect(await p.bodyOf(id)).toBe(sent[i]);
    }
  });

  it('a message without its body for a request not archived yet routes nothing and does not fail', async () => {
    const p = platform();
    const [acme] = p.routes;
    if (!acme) throw new Error('routes');
    const id = await p.receive(acme, '{"early":true}', 'e-1');
    const replay: InboundMessage = { v: 1, tenant_id: 'acme', source_id: 'src_1', request_id: id, round: 1 };
    expect(await p.processBatch([replay])).toEqual(['body-not-archived']);
    expect(p.bus).toHaveLength(0);
    // The first message, with the body, still routes it.
    expect(await p.processBatch(p.queued)).toEqual(['routed']);
    expect(await p.bodyOf(id)).toBe('{"early":true}');
  });

  it('a request named twice in one batch is archived once and routed once', async () => {
    const p = platform();
    const [acme] = p.routes;
    if (!acme) throw new Error('routes');
    await p.receive(acme, '{"twice":true}', 't-1');
    const message = p.queued[0] as InboundMessage;
    expect(await p.processBatch([message, message])).toEqual(['routed', 'already-routed']);
    expect(p.bus).toHaveLength(1);
  });
});
