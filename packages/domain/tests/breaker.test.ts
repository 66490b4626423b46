import { describe, expect, it } from '@jest/globals';
import { breakerState, DEFAULT_BREAKER_POLICY, openPeriodMs } from '../src/breaker.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const now = Date.parse(at(0));

describe('the breaker every worker instance shares', () => {
  it('stays closed while the endpoint answers, or has gone unanswered fewer times than it takes', () => {
    expect(breakerState({}, now)).toEqual({ kind: 'closed' });
    expect(breakerState({ unanswered: 4 }, now)).toEqual({ kind: 'closed' });
    // Counted to the threshold but not opened yet (the instance that counted is opening it).
    expect(breakerState({ unanswered: 5 }, now)).toEqual({ kind: 'closed' });
  });

  it('is open until its time, then lets one probe through', () => {
    expect(breakerState({ unanswered: 5, parked_until: at(30) }, now)).toEqual({
      kind: 'open',
      untilMs: Date.parse(at(30)),
    });
    expect(breakerState({ unanswered: 5, parked_until: at(0) }, now)).toEqual({ kind: 'half-open' });
    expect(breakerState({ unanswered: 5, parked_until: at(-1), probe_until: at(50) }, now)).toEqual({
      kind: 'half-open',
      probeBusyUntilMs: Date.parse(at(50)),
    });
    // A probe whose lease ran out (its instance died) no longer holds it.
    expect(breakerState({ unanswered: 5, parked_until: at(-9), probe_until: at(-1) }, now)).toEqual({
      kind: 'half-open',
    });
  });

  it('opens for 30 s, twice as long after each unanswered probe, at most 15 minutes', () => {
    expect(openPeriodMs(5)).toBe(30_000);
    expect(openPeriodMs(6)).toBe(60_000);
    expect(openPeriodMs(9)).toBe(480_000);
    expect(openPeriodMs(10)).toBe(DEFAULT_BREAKER_POLICY.maxOpenMs);
    expect(openPeriodMs(500)).toBe(DEFAULT_BREAKER_POLICY.maxOpenMs);
  });
});
