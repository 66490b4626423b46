import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_RETRY_SCHEDULE,
  eventStatusOf,
  MAX_RETRY_AFTER_MS,
  nextStep,
  parseDeliveryMessage,
  parseRetrySchedule,
  withJitter,
} from '../src/index.js';

describe('retry schedule', () => {
  it('reads the default schedule', () => {
    expect(parseRetrySchedule(DEFAULT_RETRY_SCHEDULE)).toEqual([
      0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ]);
    expect(() => parseRetrySchedule('5s,soon')).toThrow(/soon/);
  });

  it('jitters within ±20 %', () => {
    expect(withJitter(1000, () => 0)).toBe(800);
    expect(withJitter(1000, () => 1)).toBe(1200);
    expect(withJitter(1000, () => 0.5)).toBe(1000);
  });

  it('is exhausted after the last entry and honours Retry-After, clamped', () => {
    const schedule = [0, 1000, 2000];
    expect(nextStep(schedule, 1, undefined, () => 0.5)).toEqual({ kind: 'retry', delayMs: 1000 });
    expect(nextStep(schedule, 3)).toEqual({ kind: 'exhausted' });
    expect(nextStep(schedule, 1, 60_000, () => 0.5)).toEqual({ kind: 'retry', delayMs: 60_000 });
    expect(nextStep(schedule, 1, 10 * MAX_RETRY_AFTER_MS, () => 0.5)).toEqual({
      kind: 'retry',
      delayMs: MAX_RETRY_AFTER_MS,
    });
  });
});

describe('event status', () => {
  it('follows its deliveries', () => {
    expect(eventStatusOf([{ status: 'PENDING' }, { status: 'DELIVERED' }])).toBe('PENDING');
    expect(eventStatusOf([{ status: 'FAILED' }, { status: 'DELIVERED' }])).toBe('FAILED');
    expect(eventStatusOf([{ status: 'CANCELLED' }])).toBe('CANCELLED');
    // Not every webhook got it: the event is not DELIVERED.
    expect(eventStatusOf([{ status: 'DELIVERED' }, { status: 'CANCELLED' }])).toBe('CANCELLED');
    expect(eventStatusOf([{ status: 'DELIVERED' }, { status: 'DELIVERED' }])).toBe('DELIVERED');
    expect(eventStatusOf([])).toBe('DELIVERED');
  });
});

describe('delivery message', () => {
  it('accepts only well-formed messages', () => {
    const good = { v: 1, tenant_id: 't', event_id: 'evt_1', webhook_id: 'wh_1', attempt: 1 };
    expect(parseDeliveryMessage(JSON.stringify(good))).toEqual(good);
    // Messages queued before `round` was dropped still read, without it.
    expect(parseDeliveryMessage(JSON.stringify({ ...good, round: 2 }))).toEqual(good);
    const committed = { ...good, commit_by: 1_700_000_000_000 };
    expect(parseDeliveryMessage(JSON.stringify(committed))).toEqual(committed);
    expect(parseDeliveryMessage(JSON.stringify({ ...good, commit_by: 'soon' }))).toBeUndefined();
    // A message sent again after coming back says how often it came back.
    const returned = { ...good, returns: 3 };
    expect(parseDeliveryMessage(JSON.stringify(returned))).toEqual(returned);
    expect(parseDeliveryMessage(JSON.stringify({ ...good, returns: -1 }))).toBeUndefined();
    expect(parseDeliveryMessage('nope')).toBeUndefined();
    expect(parseDeliveryMessage(JSON.stringify({ ...good, attempt: 0 }))).toBeUndefined();
    expect(parseDeliveryMessage(JSON.stringify({ ...good, tenant_id: 'a#b' }))).toBeUndefined();
  });
});
