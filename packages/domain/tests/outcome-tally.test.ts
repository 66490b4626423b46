import { describe, expect, it } from '@jest/globals';
import { tallyOutcomes } from '../src/index.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

describe('tallyOutcomes', () => {
  it('is nothing for no outcomes', () => {
    expect(tallyOutcomes([])).toBeUndefined();
  });

  it('counts, and ends failing-free when the latest attempt succeeded, whatever the order given', () => {
    expect(
      tallyOutcomes([
        { success: true, at: at(3) },
        { success: false, at: at(1) },
        { success: false, at: at(2) },
      ]),
    ).toEqual({ successes: 1, failures: 2, last_at: at(3) });
  });

  it('starts the failing streak at the first failure after the last success', () => {
    expect(
      tallyOutcomes([
        { success: false, at: at(1) },
        { success: true, at: at(2) },
        { success: false, at: at(4) },
        { success: false, at: at(3) },
      ]),
    ).toEqual({
      successes: 1,
      failures: 3,
      last_at: at(4),
      failing_from: at(3),
    });
  });

  it('with failures only, the streak starts at the first of them', () => {
    expect(
      tallyOutcomes([
        { success: false, at: at(5) },
        { success: false, at: at(2) },
      ]),
    ).toEqual({
      successes: 0,
      failures: 2,
      last_at: at(5),
      failing_from: at(2),
    });
  });
});
