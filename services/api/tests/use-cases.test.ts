import { DestinationGuard, parseAllowlist } from '@hookrelay/delivery';
import type {
  Attempt,
  BucketCounts,
  CounterSize,
  Delivery,
  DeliveryQueue,
  DeliveryStatus,
  NewEvent,
  SigningSecret,
  StoredEvent,
  Tenant,
  TimeRange,
  Webhook,
} from '@hookrelay/domain';
import { addCounts, awaitsVerification, tallyCounters, ValidationError } from '@hookrelay/domain';
import { publicKeyOf } from '@hookrelay/signing';
import { describe, expect, it } from '@jest/globals';
import { createEvent, createEvents } from '../src/use-cases/events.js';
import { resendDelivery } from '../src/use-cases/resend-delivery.js';
import { tenantStats } from '../src/use-cases/stats.js';
import { createWebhook, MAX_WEBHOOKS_PER_TENANT } from '../src/use-cases/webhooks.js';

// The use cases with in-memory ports: no network, no AWS.

const NOW = Date.parse('2026-01-01T00:00:00.000Z');
const clock = { now: () => NOW };

const webhook = (id: string, events: string[] = [], extra: Partial<Webhook> = {}): Webhook => ({
  id,
  tenant_id: 't',
  url: `https://example.com/${id}`,
  events,
  active: true,
  created_at: '2025-12-01T00:00:00.000Z',
  updated_at: '2025-12-01T00:00:00.000Z',
  delivery_success_count: 0,
  delivery_failure_count: 0,
  ...extra,
});

class MemoryEvents {
  readonly stored = new Map<string, StoredEvent>();
  async create(e: NewEvent): Promise<boolean> {
    if (this.stored.has(e.event_id)) return false;
    const deliveries: Record<string, Delivery> = Object.fromEntries(
      e.webhook_ids.map((id) => [
        id,
        { webhook_id: id, status: 'PENDING', attempt_count: 0, round_attempts: 0, updated_at: e.created_at },
      ]),
    );
    this.stored.set(e.event_id, {
      tenant_id: e.tenant_id,
      event_id: e.event_id,
      type: e.type,
      data: e.data,
      status: 'PENDING',
      created_at: e.created_at,
      updated_at: e.created_at,
      deliveries,
    });
    return true;
  }
  async get(_t: string, id: string) {
    return this.stored.get(id);
  }
  async requestResend(_t: string, id: string, webhookId: string, now: string) {
    const d = this.stored.get(id)?.deliveries[webhookId];
    if (!d) return undefined;
    const attempt = d.attempt_count + 1;
    if (d.status === 'PENDING' && d.resend_attempt === attempt) return { attempt, queued: false };
    const moved = { ...d, status: 'PENDING' as const, updated_at: now, resend_attempt: attempt };
    (this.stored.get(id)?.deliveries as Record<string, Delivery>)[webhookId] = moved;
    return { attempt, queued: true };
  }
  async reopen(_t: string, id: string, from: DeliveryStatus, now: string, ids?: readonly string[]) {
    const event = this.stored.get(id);
    if (!event) return [];
    const moved = Object.values(event.deliveries)
      .filter((d) => d.status === from && (!ids || ids.includes(d.webhook_id)))
      .map((d) => ({ ...d, status: 'PENDING' as const, round_attempts: 0, updated_at: now }));
    for (const d of moved) (event.deliveries as Record<string, Delivery>)[d.webhook_id] = d;
    return moved;
  }
}

type Outgoing = Parameters<DeliveryQueue['send']>[0][number];

const recordingQueue = (fail = false) => {
  const sent: Outgoing[][] = [];
  return {
    sent,
    send: async (messages: readonly Outgoing[]) => {
      if (fail) throw new Error('queue down');
      sent.push([...messages]);
    },
  };
};

describe('createEvent', () => {
  it('stores the event with a delivery per matching webhook (wildcards too) and enqueues them', async () => {
    const events = new MemoryEvents();
    const queue = recordingQueue();
    const hooks = [webhook('wh_all'), webhook('wh_orders', ['order.*']), webhook('wh_inv', ['invoice.paid'])];
    const accepted = await createEvent(
      { events, webhooks: { list: async () => hooks }, queue, clock },
      { tenantId: 't', event: { type: 'order.paid', data: { n: 1 } } },
    );
    expect(accepted).toMatchObject({ type: 'order.paid', status: 'PENDING', deliveries: 2 });
    expect(Object.keys(events.stored.get(accepted.event_id)?.deliveries ?? {}).sort()).toEqual([
      'wh_all',
      'wh_orders',
    ]);
    expect(queue.sent.flat().map((m) => [m.message.webhook_id, m.message.attempt])).toEqual([
      ['wh_all', 1],
      ['wh_orders', 1],
    ]);
  });

  it('refuses the event when the queue refuses (503, nothing stored) and says so in a warning', async () => {
    const warnings: string[] = [];
    const events = new MemoryEvents();
    const refused = createEvent(
      {
        events,
        webhooks: { list: async () => [webhook('wh_a')] },
        queue: recordingQueue(true),
        clock,
        log: { warn: (m) => warnings.push(m) },
      },
      { tenantId: 't', event: { type: 'a.b', data: {}, id: 'evt_refused' } },
    );
    await expect(refused).rejects.toMatchObject({ kind: 'unavailable', code: 'service_unavailable' });
    expect(events.stored.size).toBe(0);
    expect(warnings).toHaveLength(1);
  });
});

describe('createEvents', () => {
  it('judges each item on its own and sends the messages ten per request', async () => {
    const events = new MemoryEvents();
    const queue = recordingQueue();
    const items = [
      ...Array.from({ length: 23 }, (_, i) => ({ type: 'a.b', data: { i } })),
      { type: 'bad type!', data: {} },
      { type: 'hookrelay.endpoint.disabled', data: {} },
      { id: 'same', type: 'a.b', data: {} },
      { id: 'same', type: 'a.b', data: {} },
    ];
    const result = await createEvents(
      { events, webhooks: { list: async () => [webhook('wh_a')] }, queue, clock },
      { tenantId: 't', items, maxEventBytes: 1024 },
    );
    expect(result).toMatchObject({ accepted: 24, rejected: 3 });
    expect(result.results.map((r) => r.index)).toEqual(items.map((_, i) => i));
    expect(queue.sent.map((chunk) => chunk.length)).toEqual([10, 10, 4]);
    expect(events.stored.size).toBe(24);
  });

  it('takes an event id once per batch: a later copy is refused before anything is queued', async () => {
    const events = new MemoryEvents();
    const queue = recordingQueue();
    const items = [
      { id: 'twice', type: 'a.b', data: { copy: 1 } },
      { type: 'c.d', data: {} },
      { id: 'twice', type: 'c.d', data: { copy: 2 } },
      { id: 'twice', type: 'bad type!', data: {} },
    ];
    const result = await createEvents(
      {
        events,
        webhooks: { list: async () => [webhook('wh_ab', ['a.b']), webhook('wh_cd', ['c.d'])] },
        queue,
        clock,
      },
      { tenantId: 't', items, maxEventBytes: 1024 },
    );
    expect(result.results.map((r) => [r.index, r.status, r.error?.code])).toEqual([
      [0, 'PENDING', undefined],
      [1, 'PENDING', undefined],
      [2, 'REJECTED', 'duplicate_id'],
      [3, 'REJECTED', 'validation_error'],
    ]);
    expect(result.results[2]?.error?.message).toMatch(/twice.*item 0/);
    // One message per accepted event: the later copy never reaches the queue or the store.
    expect(queue.sent.flat().map((m) => [m.message.event_id, m.message.webhook_id])).toEqual([
      ['twice', 'wh_ab'],
      [expect.stringMatching(/^evt_/), 'wh_cd'],
    ]);
    expect(events.stored.get('twice')?.data).toEqual({ copy: 1 });
  });
});

describe('createWebhook', () => {
  const noTenant = { get: async () => undefined };
  const ports = (allowlist: string, existing: Webhook[] = []) => {
    const created: Webhook[] = [];
    const secrets: [string, readonly SigningSecret[]][] = [];
    return {
      created,
      secrets,
      webhooks: {
        list: async () => existing,
        create: async (w: Webhook) => {
          // The secret is there before the webhook.
          expect(secrets.map(([id]) => id)).toContain(w.id);
          created.push(w);
        },
      },
      secretsPort: {
        put: async (_t: string, id: string, s: readonly SigningSecret[]) => {
          secrets.push([id, s]);
        },
      },
      destinations: new DestinationGuard(parseAllowlist(allowlist)),
    };
  };

  it('stores the secret and its signing key first, and shows the secret once and the public key', async () => {
    const p = ports('');
    const {
      webhook: made,
      secret,
      publicKey,
    } = await createWebhook(
      {
        webhooks: p.webhooks,
        secrets: p.secretsPort,
        clock,
        destinations: p.destinations,
        tenants: noTenant,
      },
      { tenantId: 't', body: { url: 'https://example.com/h', events: ['order.*'] } },
    );
    expect(secret).toMatch(/^whsec_/);
    expect(made).toMatchObject({ url: 'https://example.com/h', events: ['order.*'], active: true });
    expect(p.created).toHaveLength(1);
    const [stored] = p.secrets[0]?.[1] ?? [];
    expect(stored).toEqual({ secret, signing_key: expect.stringMatching(/^whsk_/) });
    expect(publicKey).toBe(publicKeyOf(stored?.signing_key ?? ''));
  });

  it('puts the challenge on every webhook of a tenant that requires it, whatever the body says', async () => {
    const p = ports('');
    const strict = {
      get: async (tenant_id: string) =>
        ({ tenant_id, status: 'active', plan: 'free', require_endpoint_verification: true }) as Tenant,
    };
    const { webhook: made } = await createWebhook(
      { webhooks: p.webhooks, secrets: p.secretsPort, clock, destinations: p.destinations, tenants: strict },
      { tenantId: 't', body: { url: 'https://example.com/h', verification: 'none' } },
    );
    expect(made).toMatchObject({ verification_required: true });
    expect(made.verification).toBeUndefined();
    expect(awaitsVerification(made)).toBe(true);
  });

  it.each(['http://[::1]/', 'http://169.254.169.254/latest', 'http://10.0.0.1'])(
    'refuses %s with an empty allow-list, before anything is stored',
    async (url) => {
      const p = ports('');
      await expect(
        createWebhook(
          {
            webhooks: p.webhooks,
            secrets: p.secretsPort,
            clock,
            destinations: p.destinations,
            tenants: noTenant,
          },
          { tenantId: 't', body: { url } },
        ),
      ).rejects.toThrow(ValidationError);
      expect(p.secrets).toEqual([]);
    },
  );

  it('takes an allow-listed loopback receiver, and no more than the limit', async () => {
    const p = ports('127.0.0.0/8,::1/128');
    const deps = {
      webhooks: p.webhooks,
      secrets: p.secretsPort,
      clock,
      destinations: p.destinations,
      tenants: noTenant,
    };
    await createWebhook(deps, { tenantId: 't', body: { url: 'http://[::1]:3001/h' } });
    const full = ports(
      '',
      Array.from({ length: MAX_WEBHOOKS_PER_TENANT }, (_, i) => webhook(`wh_${i}`)),
    );
    await expect(
      createWebhook(
        {
          webhooks: full.webhooks,
          secrets: full.secretsPort,
          clock,
          destinations: full.destinations,
          tenants: noTenant,
        },
        { tenantId: 't', body: { url: 'https://example.com' } },
      ),
    ).rejects.toThrow(/at most 50/);
  });
});

describe('resendDelivery', () => {
  it('reopens a DELIVERED delivery and asks for the next attempt now; a PENDING one is not reopened', async () => {
    const events = new MemoryEvents();
    await events.create({
      tenant_id: 't',
      event_id: 'evt_1',
      type: 'a.b',
      data: {},
      created_at: '2026-01-01T00:00:00.000Z',
      webhook_ids: ['wh_a', 'wh_b'],
    });
    const stored = events.stored.get('evt_1') as StoredEvent;
    Object.assign(stored.deliveries, {
      wh_a: { ...stored.deliveries.wh_a, status: 'DELIVERED', attempt_count: 1 },
      wh_b: { ...stored.deliveries.wh_b, attempt_count: 2, round_attempts: 2 },
    });
    const queue = recordingQueue();
    const ports = { events, webhooks: { get: async (_t: string, id: string) => webhook(id) }, queue, clock };
    expect(await resendDelivery(ports, { tenantId: 't', eventId: 'evt_1', webhookId: 'wh_a' })).toMatchObject(
      {
        attempt: 2,
      },
    );
    expect(stored.deliveries.wh_a?.status).toBe('PENDING');
    expect(await resendDelivery(ports, { tenantId: 't', eventId: 'evt_1', webhookId: 'wh_b' })).toMatchObject(
      {
        attempt: 3,
      },
    );
    // Asked again before attempt 3 is made: the same answer, and no second message.
    expect(await resendDelivery(ports, { tenantId: 't', eventId: 'evt_1', webhookId: 'wh_b' })).toMatchObject(
      { attempt: 3 },
    );
    expect(queue.sent.flat().map((m) => [m.message.webhook_id, m.message.attempt])).toEqual([
      ['wh_a', 2],
      ['wh_b', 3],
    ]);
    await expect(
      resendDelivery(ports, { tenantId: 't', eventId: 'evt_1', webhookId: 'wh_c' }),
    ).rejects.toThrow(/No delivery/);
  });
});

/**
 * The delivery counters as the worker leaves them after recording these attempts (each one's
 * delivery ended by it when `ended` says so), kept in memory.
 */
class MemoryCounters {
  readonly buckets = new Map<string, BucketCounts>();
  reads = 0;
  constructor(attempts: readonly (Attempt & { ended?: 'DELIVERED' | 'FAILED' })[] = []) {
    for (const a of attempts) {
      for (const counts of tallyCounters([
        {
          at: a.attempted_at,
          success: a.outcome === 'success',
          duration_ms: a.duration_ms,
          ...(a.ended ? { ended: a.ended } : {}),
        },
      ])) {
        const key = `${a.webhook_id}|${counts.size}|${counts.start}`;
        const before = this.buckets.get(key);
        this.buckets.set(key, before ? { ...before, ...addCounts(before, counts) } : counts);
      }
    }
  }
  async read(_t: string, webhookId: string, size: CounterSize, range: Required<TimeRange>) {
    this.reads++;
    return [...this.buckets.entries()]
      .filter(([key]) => key.startsWith(`${webhookId}|${size}|`))
      .map(([, counts]) => counts)
      .filter((c) => c.start >= range.after && c.start < range.before)
      .sort((a, b) => a.start.localeCompare(b.start));
  }
}

/** The ports `tenantStats` reads, over these webhooks and the counters of these attempts. */
const statsPortsFor = (
  hooks: Webhook[],
  attempts: readonly (Attempt & { ended?: 'DELIVERED' | 'FAILED' })[],
  now = NOW,
) => ({
  clock: { now: () => now },
  retentionDays: 30,
  webhooks: {
    list: async () => hooks,
    get: async (_t: string, id: string) => hooks.find((w) => w.id === id),
  },
  events: { countByStatus: async () => ({ PENDING: 1, DELIVERED: 2, FAILED: 0, CANCELLED: 1 }) },
  counters: new MemoryCounters(attempts),
});

const attemptOf = (
  webhookId: string,
  atMs: number,
  outcome: 'success' | 'failure',
  duration_ms: number,
  ended?: 'DELIVERED' | 'FAILED',
) => ({
  event_id: `evt_${atMs}`,
  webhook_id: webhookId,
  attempt: 1,
  attempted_at: new Date(atMs).toISOString(),
  duration_ms,
  outcome,
  ...(ended ? { ended } : {}),
});

describe('tenantStats', () => {
  it('counts every attempt of a busy window: 4,973 older failures behind 10,000 successes', async () => {
    // A flaky endpoint's soak: the newest 10,000 attempts succeeded, the 4,973 before them in
    // the same hour failed. Reading only the newest 10,000 made the rate 1.
    const attempts: Attempt[] = Array.from({ length: 14_973 }, (_, i) => ({
      event_id: `evt_${i}`,
      webhook_id: 'wh_flaky',
      attempt: 1,
      attempted_at: new Date(NOW - 1000 - i * 100).toISOString(),
      duration_ms: 100,
      outcome: i < 10_000 ? 'success' : 'failure',
    }));
    const stats = await tenantStats(statsPortsFor([webhook('wh_flaky')], attempts), {
      tenantId: 't',
      window: '1h',
    });
    expect(stats.attempts).toEqual({ total: 14_973, succeeded: 10_000, failed: 4_973, complete: true });
    expect(stats.success_rate).toBeCloseTo(10_000 / 14_973, 10);
  });

  it('gives the window in 5-minute buckets up to 6h: whole buckets from since, the last one until now', async () => {
    const now = NOW + 7 * 60_000 + 30_000; // 00:07:30
    const attempts = [
      attemptOf('wh_a', now - 63 * 60_000, 'success', 10), // 23:04:30: before the window
      attemptOf('wh_a', now - 60 * 60_000, 'failure', 10_000), // 23:07:30: in the first bucket
      attemptOf('wh_a', now - 60_000, 'success', 120, 'DELIVERED'),
      attemptOf('wh_b', now - 30_000, 'failure', 50, 'FAILED'),
      attemptOf('wh_b', now - 10_000, 'success', 90, 'DELIVERED'),
    ];
    const stats = await tenantStats(statsPortsFor([webhook('wh_a'), webhook('wh_b')], attempts, now), {
      tenantId: 't',
      window: '1h',
    });
    expect(stats).toMatchObject({
      bucket: '5m',
      since: '2025-12-31T23:05:00.000Z',
      until: '2026-01-01T00:07:30.000Z',
      total: 4,
      attempts: { total: 4, succeeded: 2, failed: 2, complete: true },
      deliveries: { delivered: 2, exhausted: 1 },
    });
    expect(stats.series.map((p) => p.start)).toEqual(
      Array.from({ length: 13 }, (_, i) =>
        new Date(Date.parse('2025-12-31T23:05:00.000Z') + i * 300_000).toISOString(),
      ),
    );
    expect(stats.series[0]).toMatchObject({ attempts: 1, failed: 1, p50_ms: expect.any(Number) });
    expect(stats.series[1]).toMatchObject({ attempts: 0, p50_ms: null, p95_ms: null });
    // 00:05 to now: the last three attempts.
    expect(stats.series.at(-1)).toMatchObject({
      attempts: 3,
      succeeded: 2,
      failed: 1,
      delivered: 2,
      exhausted: 1,
    });
    expect(stats.series.reduce((n, p) => n + p.attempts, 0)).toBe(stats.attempts.total);
  });

  it('picks hourly buckets up to 7 days and days beyond', async () => {
    const at = Date.parse('2026-01-01T10:20:00.000Z');
    const ports = statsPortsFor([webhook('wh_a')], [attemptOf('wh_a', at - 3_600_000, 'success', 80)], at);
    const day = await tenantStats(ports, { tenantId: 't', window: '24h' });
    expect(day).toMatchObject({ bucket: '1h', since: '2025-12-31T10:00:00.000Z' });
    expect(day.series).toHaveLength(25);
    expect(day.series.find((p) => p.attempts === 1)?.start).toBe('2026-01-01T09:00:00.000Z');
    const month = await tenantStats(ports, { tenantId: 't', window: '14d' });
    expect(month).toMatchObject({ bucket: '1d', since: '2025-12-18T00:00:00.000Z' });
    expect(month.series).toHaveLength(15);
    // 80 ms, read back from its latency bin.
    expect(month.series.at(-1)).toMatchObject({ start: '2026-01-01T00:00:00.000Z', attempts: 1, p50_ms: 79 });
  });

  it('p50 and p95 come within 4.5 % of the exact values', async () => {
    const durations = Array.from({ length: 2_000 }, (_, i) => Math.round(20 + ((i * 7919) % 3_000)));
    const attempts = durations.map((d, i) => attemptOf('wh_a', NOW - 1_000 - i, 'success', d));
    const stats = await tenantStats(statsPortsFor([webhook('wh_a')], attempts), {
      tenantId: 't',
      window: '1h',
    });
    const sorted = [...durations].sort((a, b) => a - b);
    const exact = (p: number) => sorted[Math.floor((p / 100) * sorted.length)] ?? 0;
    for (const [p, got] of [
      [50, stats.attempt_latency_ms.p50],
      [95, stats.attempt_latency_ms.p95],
    ] as const) {
      expect(Math.abs((got ?? 0) - exact(p))).toBeLessThanOrEqual(0.045 * exact(p) + 0.5);
    }
  });

  it('names the endpoints failing now, worst first; a healthy one, or one the tenant disabled, is not', async () => {
    const hooks = [
      webhook('wh_ok'),
      webhook('wh_paused', [], { active: false }),
      webhook('wh_flaky'),
      webhook('wh_down', [], {
        failing_since: '2025-12-31T23:30:00.000Z',
        last_triggered_at: '2025-12-31T23:59:00.000Z',
      }),
      webhook('wh_gone', [], { active: false, disabled_reason: 'the endpoint answered 410 Gone' }),
      webhook('wh_parked', [], {
        failing_since: '2025-12-31T23:50:00.000Z',
        unanswered: 5,
        parked_until: new Date(NOW + 30_000).toISOString(),
      }),
    ];
    const attempts = [
      attemptOf('wh_ok', NOW - 5_000, 'success', 40),
      attemptOf('wh_flaky', NOW - 9_000, 'failure', 40),
      attemptOf('wh_flaky', NOW - 8_000, 'failure', 40),
      attemptOf('wh_flaky', NOW - 7_000, 'success', 40),
      attemptOf('wh_parked', NOW - 6_000, 'failure', 10_000),
    ];
    const stats = await tenantStats(statsPortsFor(hooks, attempts), { tenantId: 't', window: '15m' });
    expect(stats.failing_endpoints).toEqual([
      {
        webhook_id: 'wh_gone',
        url: 'https://example.com/wh_gone',
        failures: 0,
        last_failure_at: null,
        state: 'disabled',
        disabled_reason: 'the endpoint answered 410 Gone',
      },
      {
        webhook_id: 'wh_parked',
        url: 'https://example.com/wh_parked',
        failures: 1,
        last_failure_at: new Date(NOW - 6_000).toISOString(),
        state: 'circuit_open',
        failing_since: '2025-12-31T23:50:00.000Z',
      },
      {
        webhook_id: 'wh_down',
        url: 'https://example.com/wh_down',
        failures: 0,
        last_failure_at: '2025-12-31T23:59:00.000Z',
        state: 'failing',
        failing_since: '2025-12-31T23:30:00.000Z',
      },
      {
        webhook_id: 'wh_flaky',
        url: 'https://example.com/wh_flaky',
        failures: 2,
        last_failure_at: new Date(NOW - 8_000).toISOString(),
        state: 'degraded',
      },
    ]);
  });

  it('narrows to one webhook with webhook_id (404 for one the tenant does not have)', async () => {
    const ports = statsPortsFor(
      [webhook('wh_a'), webhook('wh_b')],
      [attemptOf('wh_a', NOW - 5_000, 'success', 40), attemptOf('wh_b', NOW - 5_000, 'failure', 40)],
    );
    const one = await tenantStats(ports, { tenantId: 't', window: '1h', webhookId: 'wh_b' });
    expect(one).toMatchObject({ webhook_id: 'wh_b', attempts: { total: 1, failed: 1 }, success_rate: 0 });
    expect(ports.counters.reads).toBe(1);
    await expect(
      tenantStats(ports, { tenantId: 't', window: '1h', webhookId: 'wh_x' }),
    ).rejects.toMatchObject({
      kind: 'not_found',
    });
  });

  it('a window reaching back past the kept 30 days is not complete, and reads only what is kept', async () => {
    const ports = statsPortsFor([webhook('wh_a')], [attemptOf('wh_a', NOW - 31 * 86_400_000, 'failure', 40)]);
    const stats = await tenantStats(ports, { tenantId: 't', window: '40d' });
    expect(stats.attempts).toEqual({ total: 0, succeeded: 0, failed: 0, complete: false });
    expect(stats.series[0]?.start).toBe('2025-12-02T00:00:00.000Z');
    expect((await tenantStats(ports, { tenantId: 't', window: '29d' })).attempts.complete).toBe(true);
  });
});
