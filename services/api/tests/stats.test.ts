import type { Attempt, BucketCounts, CounterSize, TimeRange, Webhook } from '@hookrelay/domain';
import { addCounts, tallyCounters } from '@hookrelay/domain';
import { describe, expect, it } from '@jest/globals';
import { tenantStats } from '../src/use-cases/stats.js';
import { NOW, webhook } from './in-memory-ports.js';

// tenantStats with in-memory ports: no network, no AWS.

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
});

describe('tenantStats', () => {
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
});

describe('tenantStats', () => {
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
