import { describe, expect, it } from '@jest/globals';
import { DEFAULT_LANE_POLICY, laneChange } from '../src/lanes.js';

const now = Date.parse('2026-11-30T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();

describe('laneChange: what an attempt says about its endpoint’s lane', () => {
  it('quarantines an endpoint on the main lane at its first slow attempt', () => {
    expect(laneChange({}, { slow: true }, now)).toBe('quarantine');
    expect(laneChange({}, { slow: false }, now)).toBeUndefined();
  });

  it('renews a slow endpoint’s mark at most every renewEveryMs', () => {
    expect(laneChange({ lane: 'slow', slow_seen_at: ago(5_000) }, { slow: true }, now)).toBeUndefined();
    expect(
      laneChange({ lane: 'slow', slow_seen_at: ago(DEFAULT_LANE_POLICY.renewEveryMs) }, { slow: true }, now),
    ).toBe('renew');
  });

  it('brings an endpoint back only after a quick attempt with no slow one for recoverAfterMs', () => {
    const recently = { lane: 'slow' as const, slow_seen_at: ago(DEFAULT_LANE_POLICY.recoverAfterMs - 1) };
    const longAgo = { lane: 'slow' as const, slow_seen_at: ago(DEFAULT_LANE_POLICY.recoverAfterMs) };
    expect(laneChange(recently, { slow: false }, now)).toBeUndefined();
    expect(laneChange(longAgo, { slow: false }, now)).toBe('recover');
    expect(laneChange(longAgo, { slow: true }, now)).toBe('renew');
  });
});
