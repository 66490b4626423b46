import type { BucketCounts } from '@hookrelay/domain';
import { describe, expect, it } from '@jest/globals';
import { BatchedCounters } from '../src/batched-counters.js';

const at = (m: number, s = 0) => new Date(Date.UTC(2026, 0, 1, 0, m, s)).toISOString();

/** Records each write; fails those asked to. */
const recordingStore = () => {
  const writes: { webhookId: string; counts: BucketCounts }[] = [];
  let failing = false;
  return {
    writes,
    fail: (on: boolean) => {
      failing = on;
    },
    add: async (_tenantId: string, webhookId: string, counts: BucketCounts) => {
      if (failing) throw new Error('throttled');
      writes.push({ webhookId, counts });
    },
  };
};

describe('BatchedCounters', () => {
  it('writes a batch once per webhook and counter size, not once per attempt', async () => {
    const store = recordingStore();
    const counters = new BatchedCounters(store);
    for (let i = 0; i < 10; i++) {
      counters.record('t', 'wh_a', {
        at: at(1, i),
        success: i !== 3,
        duration_ms: 40 + i,
        ended: 'DELIVERED',
      });
    }
    counters.record('t', 'wh_b', { at: at(1), success: false, duration_ms: 10_000 });
    expect(store.writes).toHaveLength(0);
    await counters.flush();
    expect(store.writes.map((w) => `${w.webhookId} ${w.counts.size}`).sort()).toEqual([
      'wh_a 1h',
      'wh_a 5m',
      'wh_b 1h',
      'wh_b 5m',
    ]);
    expect(store.writes.find((w) => w.webhookId === 'wh_a')?.counts).toMatchObject({
      succeeded: 9,
      failed: 1,
      delivered: 10,
    });
    // Nothing is held any more.
    await counters.flush();
    expect(store.writes).toHaveLength(4);
  });

  it('keeps what it could not write for the next flush, and writes it once', async () => {
    const store = recordingStore();
    const counters = new BatchedCounters(store);
    counters.record('t', 'wh_a', { at: at(1), success: true, duration_ms: 40 });
    store.fail(true);
    await expect(counters.flush()).rejects.toThrow('throttled');
    store.fail(false);
    counters.record('t', 'wh_a', { at: at(2), success: false, duration_ms: 40 });
    await counters.flush();
    const fiveMinutes = store.writes.filter((w) => w.counts.size === '5m');
    expect(fiveMinutes.reduce((n, w) => n + w.counts.succeeded + w.counts.failed, 0)).toBe(2);
    await counters.flush();
    expect(store.writes.filter((w) => w.counts.size === '5m')).toHaveLength(fiveMinutes.length);
  });
});
