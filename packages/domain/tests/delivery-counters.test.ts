import { describe, expect, it } from '@jest/globals';
import {
  addCounts,
  LATENCY_MAX_BIN,
  latencyBin,
  latencyBinValue,
  latencyPercentile,
  NO_COUNTS,
  statsBucketFor,
  tallyCounters,
} from '../src/index.js';

const at = (m: number, s = 0) => new Date(Date.UTC(2026, 0, 1, 0, m, s)).toISOString();

describe('latency bins', () => {
  it('read every whole-ms duration up to 2^17 ms back within 4.5 % (and half a ms)', () => {
    const off: string[] = [];
    for (let ms = 0; ms <= 2 ** 17 - 1; ms++) {
      const back = latencyBinValue(latencyBin(ms));
      if (Math.abs(back - ms) > 0.045 * ms + 0.5) off.push(`${ms} read back as ${back}`);
    }
    expect(off).toEqual([]);
  });

  it('are ordered, and what is past any timeout shares the last bin', () => {
    expect(latencyBin(99)).toBeLessThanOrEqual(latencyBin(100));
    expect(latencyBin(2 ** 17)).toBe(LATENCY_MAX_BIN);
    expect(latencyBin(10 ** 9)).toBe(LATENCY_MAX_BIN);
    expect(latencyBin(-1)).toBe(0);
    expect(latencyBin(Number.NaN)).toBe(0);
  });

  it('give a percentile at the rank a sorted list does, from the bin it falls in', () => {
    // Durations 1..100: p50 is the 51st (51 ms), p95 the 96th.
    const histogram: Record<number, number> = {};
    for (let ms = 1; ms <= 100; ms++) histogram[latencyBin(ms)] = (histogram[latencyBin(ms)] ?? 0) + 1;
    expect(latencyPercentile(histogram, 50)).toBe(latencyBinValue(latencyBin(51)));
    expect(latencyPercentile(histogram, 95)).toBe(latencyBinValue(latencyBin(96)));
    expect(latencyPercentile({}, 50)).toBeNull();
  });
});

describe('tallyCounters', () => {
  it('sums a batch per bucket, in both sizes: attempts, their outcomes, deliveries ended, latency', () => {
    const buckets = tallyCounters([
      { at: at(1), success: true, duration_ms: 100, ended: 'DELIVERED' },
      { at: at(2), success: false, duration_ms: 100 },
      { at: at(3), success: false, duration_ms: 10_000, ended: 'FAILED' },
      { at: at(6), success: true, duration_ms: 50, ended: 'DELIVERED' },
    ]);
    expect(buckets.map((b) => `${b.size} ${b.start}`)).toEqual([`5m ${at(0)}`, `1h ${at(0)}`, `5m ${at(5)}`]);
    expect(buckets[0]).toEqual({
      size: '5m',
      start: at(0),
      succeeded: 1,
      failed: 2,
      delivered: 1,
      exhausted: 1,
      latency: { [latencyBin(100)]: 2, [latencyBin(10_000)]: 1 },
      last_failure_at: at(3),
    });
    expect(buckets[1]).toMatchObject({ succeeded: 2, failed: 2, delivered: 2, exhausted: 1 });
    expect(buckets[2]).not.toHaveProperty('last_failure_at');
  });

  it('adds up whatever the order, keeping the latest failure', () => {
    const [a] = tallyCounters([{ at: at(4), success: false, duration_ms: 5 }]);
    const [b] = tallyCounters([{ at: at(2), success: false, duration_ms: 5 }]);
    if (!a || !b) throw new Error('no buckets');
    expect(addCounts(addCounts(NO_COUNTS, a), b)).toEqual(addCounts(b, a));
    expect(addCounts(b, a)).toMatchObject({
      failed: 2,
      latency: { [latencyBin(5)]: 2 },
      last_failure_at: at(4),
    });
  });
});

describe('statsBucketFor', () => {
  it('is 5 minutes up to 6 hours, an hour up to 7 days, a day beyond', () => {
    const h = 3_600_000;
    expect([15 * 60_000, 6 * h, 6 * h + 60_000, 7 * 24 * h, 8 * 24 * h].map(statsBucketFor)).toEqual([
      '5m',
      '5m',
      '1h',
      '1h',
      '1d',
    ]);
  });
});
