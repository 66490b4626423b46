import { describe, expect, it } from '@jest/globals';
import { queueWait } from '../src/sweep.js';

const now = Date.parse('2026-11-30T12:00:00Z');
const depth = (lane: 'main' | 'slow', visible: number) => ({ lane, visible, inFlight: 0, delayed: 0 });

describe('queueWait: how long a waiting message may have waited', () => {
  it('is nothing when no message waits, whatever the reports say', () => {
    expect(queueWait([depth('main', 0), depth('slow', 0)], [], now)).toBe(0);
    expect(
      queueWait([depth('main', 0)], [{ lane: 'main', lag_ms: 90_000, reported_at: now - 5_000 }], now),
    ).toBe(0);
  });

  it('is the lane’s reported lag plus the time since the report when messages wait', () => {
    const lags = [{ lane: 'main' as const, lag_ms: 45_000, reported_at: now - 2_000 }];
    expect(queueWait([depth('main', 900)], lags, now)).toBe(47_000);
  });

  it('keeps growing after the consumer stopped reporting, instead of going stale', () => {
    const lags = [{ lane: 'main' as const, lag_ms: 1_000, reported_at: now - 3_600_000 }];
    expect(queueWait([depth('main', 10)], lags, now)).toBe(3_601_000);
  });

  it('is unknowable (infinite) when messages wait and their lane never reported', () => {
    expect(queueWait([depth('main', 1)], [], now)).toBe(Number.POSITIVE_INFINITY);
    const mainOnly = [{ lane: 'main' as const, lag_ms: 10, reported_at: now }];
    expect(queueWait([depth('main', 5), depth('slow', 3)], mainOnly, now)).toBe(Number.POSITIVE_INFINITY);
  });

  it('takes the longest of the lanes', () => {
    const lags = [
      { lane: 'main' as const, lag_ms: 200, reported_at: now },
      { lane: 'slow' as const, lag_ms: 30_000, reported_at: now - 1_000 },
    ];
    expect(queueWait([depth('main', 5), depth('slow', 40)], lags, now)).toBe(31_000);
    expect(queueWait([depth('main', 5), depth('slow', 0)], lags, now)).toBe(200);
  });

  it('counts a lane whose messages are all delayed: they may be deliveries handed back to wait', () => {
    const delayedOnly = { lane: 'slow' as const, visible: 0, inFlight: 3, delayed: 400 };
    const lags = [{ lane: 'slow' as const, lag_ms: 300_000, reported_at: now - 1_000 }];
    expect(queueWait([delayedOnly], lags, now)).toBe(301_000);
    expect(queueWait([delayedOnly], [], now)).toBe(Number.POSITIVE_INFINITY);
  });

  it('counts a lane whose messages are all in flight: their first attempts may not be recorded yet', () => {
    const inFlightOnly = { lane: 'main' as const, visible: 0, inFlight: 10, delayed: 0 };
    const lags = [{ lane: 'main' as const, lag_ms: 600_000, reported_at: now - 2_000 }];
    // A backlog just taken: the mark stays behind those messages' events until they are recorded.
    expect(queueWait([inFlightOnly], lags, now)).toBe(602_000);
    expect(queueWait([{ ...inFlightOnly, inFlight: 0 }], lags, now)).toBe(0);
  });
});
