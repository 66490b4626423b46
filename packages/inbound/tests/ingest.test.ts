import { createHmac } from 'node:crypto';
import { DomainError } from '@hookrelay/domain';
import { describe, expect, it } from '@jest/globals';
import { type IngestDeps, ingest } from '../src/ingest.js';
import {
  INLINE_BODY_MAX_BYTES,
  type InboundMessage,
  type InboundRequest,
  type SourceRoute,
} from '../src/models.js';
import type { Archive, InboundQueue, InboundRequestStore, SourceStore } from '../src/ports.js';

const NOW = 1_764_500_000_000;

/** In-memory ports: the step's rules, without DynamoDB, S3 or SQS. */
const memoryDeps = (route: SourceRoute, now = NOW) => {
  const requests = new Map<string, InboundRequest>();
  const objects = new Map<string, Buffer>();
  const sent: { message: InboundMessage; group: string; dedup: string }[] = [];
  let rejected = 0;
  const sources = {
    route: async (token: string) => (token === route.token ? route : undefined),
    countRejected: async () => {
      rejected++;
    },
  } as unknown as SourceStore;
  const store = {
    get: async (_t: string, id: string) => requests.get(id),
    create: async (r: InboundRequest) => {
      if (requests.has(r.id)) return false;
      requests.set(r.id, r);
      return true;
    },
    countDuplicate: async (_t: string, id: string) => {
      const r = requests.get(id);
      if (r) requests.set(id, { ...r, duplicate_count: r.duplicate_count + 1 });
    },
  } as unknown as InboundRequestStore;
  const archive: Archive = {
    put: async (key, body) => {
      objects.set(key, body);
      return `s3://bucket/${key}`;
    },
    get: async (key) => objects.get(key),
  };
  const queue: InboundQueue = {
    send: async (message, group, dedup) => {
      sent.push({ message, group, dedup });
    },
  };
  const deps: IngestDeps = {
    sources,
    requests: store,
    archive,
    queue,
    clock: { now: () => now },
    maxBodyBytes: 1024,
    retentionDays: 30,
    archiveMode: 'ingest',
  };
  return { deps, requests, objects, sent, rejected: () => rejected };
};

const github = (secrets: SourceRoute['secrets']): SourceRoute => ({
  token: 't'.repeat(32),
  tenant_id: 'acme',
  source_id: 'src_1',
  provider: 'github',
  forward: false,
  secrets,
});

const signed = (secret: string, body: string, delivery = 'd-1') => ({
  token: 't'.repeat(32),
  rawBody: Buffer.from(body),
  headers: {
    'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    'x-github-event': 'push',
    'x-github-delivery': delivery,
    authorization: 'Bearer never-kept',
  },
});

describe('ingest', () => {
  it('verifies with a rotated-out secret until it expires, then refuses it', async () => {
    const route = github([{ secret: 'new' }, { secret: 'old', expires_at: NOW + 1000 }]);
    const before = memoryDeps(route, NOW);
    await expect(ingest(before.deps, signed('old', '{}'))).resolves.toMatchObject({ duplicate: false });
    const after = memoryDeps(route, NOW + 1001);
    await expect(ingest(after.deps, signed('old', '{}'))).rejects.toMatchObject({ kind: 'unauthorized' });
    expect(after.rejected()).toBe(1);
    expect(after.objects.size).toBe(0);
  });

  it('archives the body before storing the request, and the message carries it too (the contract’s order)', async () => {
    const m = memoryDeps(github([{ secret: 's' }]));
    let storedAfter = -1;
    const deps: IngestDeps = {
      ...m.deps,
      requests: {
        ...m.deps.requests,
        create: async (r, ttl) => {
          storedAfter = m.objects.size;
          return m.deps.requests.create(r, ttl);
        },
      },
    };
    const result = await ingest(deps, signed('s', '{"a":"é"}'));
    if (!('request_id' in result)) throw new Error('expected a request');
    const request = m.requests.get(result.request_id);
    expect(storedAfter).toBe(1);
    expect(request?.s3_key).toMatch(/^acme\/src_1\/2025\/11\/30\/iwh_[0-9A-Z]{26}$/);
    expect(m.objects.get(request?.s3_key ?? '')?.toString('utf8')).toBe('{"a":"é"}');
    expect(Buffer.from(m.sent[0]?.message.body ?? '', 'base64').toString('utf8')).toBe('{"a":"é"}');
  });

  it('in batch mode writes no archive object for a body that rides in the message: the message carries it byte for byte', async () => {
    const m = memoryDeps(github([{ secret: 's' }]));
    const result = await ingest({ ...m.deps, archiveMode: 'batch' }, signed('s', '{"a":"é"}'));
    if (!('request_id' in result)) throw new Error('expected a request');
    const request = m.requests.get(result.request_id);
    expect(m.objects.size).toBe(0);
    expect(request).toMatchObject({ status: 'RECEIVED', size: Buffer.byteLength('{"a":"é"}') });
    expect(request?.s3_key).toBeUndefined();
    expect(request?.s3_uri).toBeUndefined();
    expect(request?.headers).toEqual({
      'x-hub-signature-256': expect.any(String),
      'x-github-event': 'push',
      'x-github-delivery': 'd-1',
    });
    expect(m.sent).toEqual([
      { message: expect.objectContaining({ round: 0 }), group: 'src_1', dedup: result.request_id },
    ]);
    expect(Buffer.from(m.sent[0]?.message.body ?? '', 'base64').toString('utf8')).toBe('{"a":"é"}');
  });

  it('archives a body too large to ride in the message before storing the request, as its own object, in batch mode too', async () => {
    const m = memoryDeps(github([{ secret: 's' }]));
    const deps: IngestDeps = { ...m.deps, maxBodyBytes: 256 * 1024, archiveMode: 'batch' };
    const body = JSON.stringify({ pad: 'é'.repeat(INLINE_BODY_MAX_BYTES / 2) });
    const result = await ingest(deps, signed('s', body));
    if (!('request_id' in result)) throw new Error('expected a request');
    const request = m.requests.get(result.request_id);
    expect(request?.s3_key).toMatch(/^acme\/src_1\/2025\/11\/30\/iwh_[0-9A-Z]{26}$/);
    expect(request?.s3_uri).toBe(`s3://bucket/${request?.s3_key}`);
    expect(request?.s3_offset).toBeUndefined();
    expect(m.objects.get(request?.s3_key ?? '')?.toString('utf8')).toBe(body);
    expect(m.sent[0]?.message.body).toBeUndefined();
  });

  it('a retry finds the first request: queued again only while it is still RECEIVED', async () => {
    const base = memoryDeps(github([{ secret: 's' }]));
    const m = { ...base, deps: { ...base.deps, archiveMode: 'batch' as const } };
    const first = await ingest(m.deps, signed('s', '{}'));
    const second = await ingest(m.deps, signed('s', '{}'));
    expect(second).toEqual({ request_id: (first as { request_id: string }).request_id, duplicate: true });
    expect(m.sent).toHaveLength(2);
    const id = (first as { request_id: string }).request_id;
    m.requests.set(id, { ...(m.requests.get(id) as InboundRequest), status: 'ROUTED' });
    await ingest(m.deps, signed('s', '{}'));
    expect(m.sent).toHaveLength(2);
    expect(m.requests.get(id)?.duplicate_count).toBe(2);
    // The copy queued again carries the body: in batch mode, until it is processed, only
    // messages hold it.
    expect(m.sent.map((s) => Buffer.from(s.message.body ?? '', 'base64').toString('utf8'))).toEqual([
      '{}',
      '{}',
    ]);
    expect(m.objects.size).toBe(0);
  });

  it('without a provider id, the body hash identifies the delivery', async () => {
    const m = memoryDeps({ ...github([{ secret: 's' }]), provider: 'generic' });
    const request = (body: string) => ({
      token: 't'.repeat(32),
      rawBody: Buffer.from(body),
      headers: {
        'x-provider-id': 'p',
        'x-webhook-signature': createHmac('sha256', 's').update(body).digest('hex'),
      },
    });
    const a = await ingest(m.deps, request('{"n":1}'));
    const b = await ingest(m.deps, request('{"n":1}'));
    const c = await ingest(m.deps, request('{"n":2}'));
    expect(b).toMatchObject({ duplicate: true, request_id: (a as { request_id: string }).request_id });
    expect(c).toMatchObject({ duplicate: false });
  });

  it('a body over the limit is 413 and counted, before any verification or storage', async () => {
    const m = memoryDeps(github([{ secret: 's' }]));
    const error = await ingest(m.deps, signed('s', 'x'.repeat(1025))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'limit', code: 'payload_too_large' });
    expect(m.rejected()).toBe(1);
    expect(m.objects.size + m.requests.size + m.sent.length).toBe(0);
  });

  it('answers Slack’s signed url_verification with its challenge and stores nothing', async () => {
    const route: SourceRoute = { ...github([{ secret: 'slack-secret' }]), provider: 'slack' };
    const m = memoryDeps(route);
    const body = JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'x' });
    const ts = String(Math.floor(NOW / 1000));
    const sig = `v0=${createHmac('sha256', 'slack-secret').update(`v0:${ts}:${body}`).digest('hex')}`;
    const input = {
      token: route.token,
      rawBody: Buffer.from(body),
      headers: { 'x-slack-signature': sig, 'x-slack-request-timestamp': ts },
    };
    await expect(ingest(m.deps, input)).resolves.toEqual({ challenge: 'abc123' });
    expect(m.objects.size + m.requests.size + m.sent.length).toBe(0);
    const forged = { ...input, headers: { ...input.headers, 'x-slack-signature': `v0=${'0'.repeat(64)}` } };
    await expect(ingest(m.deps, forged)).rejects.toMatchObject({ kind: 'unauthorized' });
  });

  it("refuses an event type past EventBridge's detail-type limit, naming where it came from", async () => {
    const m = memoryDeps(github([{ secret: 's' }]));
    const long = (type: string) => {
      const input = signed('s', '{}');
      return { ...input, headers: { ...input.headers, 'x-github-event': type } };
    };
    const error = await ingest(m.deps, long('p'.repeat(2_000))).catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'invalid',
      code: 'invalid_event_type',
      message: expect.stringContaining('X-GitHub-Event'),
      details: [{ field: 'X-GitHub-Event', message: 'must be at most 128 characters' }],
    });
    expect(m.rejected()).toBe(1);
    expect(m.objects.size + m.requests.size + m.sent.length).toBe(0);
    await expect(ingest(m.deps, long('p'.repeat(128)))).resolves.toMatchObject({ duplicate: false });

    const stripe = memoryDeps({ ...github([{ secret: 's' }]), provider: 'generic' });
    const body = JSON.stringify({ type: 't'.repeat(129) });
    const generic = {
      token: 't'.repeat(32),
      rawBody: Buffer.from(body),
      headers: {
        'x-provider-id': 'p',
        'x-webhook-signature': createHmac('sha256', 's').update(body).digest('hex'),
      },
    };
    await expect(ingest(stripe.deps, generic)).rejects.toMatchObject({
      kind: 'invalid',
      code: 'invalid_event_type',
      details: [{ field: 'type', message: 'must be at most 128 characters' }],
    });
  });

  it('reads a configured header named like an Object member as any other: absent when not sent', async () => {
    const route: SourceRoute = {
      ...github([{ secret: 's' }]),
      provider: 'hmac',
      config: { header: 'constructor', algorithm: 'sha256', encoding: 'hex' },
    };
    const unsigned = { token: route.token, rawBody: Buffer.from('{}'), headers: {} };
    await expect(ingest(memoryDeps(route).deps, unsigned)).rejects.toMatchObject({
      kind: 'invalid',
      code: 'missing_header',
    });
    const typed: SourceRoute = {
      ...route,
      config: {
        header: 'x-sig',
        algorithm: 'sha256',
        encoding: 'hex',
        type_header: 'constructor',
        id_header: 'toString',
      },
    };
    const m = memoryDeps(typed);
    const result = await ingest(m.deps, {
      token: route.token,
      rawBody: Buffer.from('{}'),
      headers: { 'x-sig': createHmac('sha256', 's').update('{}').digest('hex') },
    });
    if (!('request_id' in result)) throw new Error('expected a request');
    expect(m.requests.get(result.request_id)).toMatchObject({ type: 'unknown' });
    expect(m.requests.get(result.request_id)).not.toHaveProperty('provider_event_id');
  });

  it('an unknown token is 404 and counts nothing', async () => {
    const m = memoryDeps(github([{ secret: 's' }]));
    await expect(ingest(m.deps, { ...signed('s', '{}'), token: 'u'.repeat(32) })).rejects.toMatchObject({
      kind: 'not_found',
    });
    expect(m.rejected()).toBe(0);
  });
});
