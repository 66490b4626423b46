import { describe, expect, it } from '@jest/globals';
import { EndpointSlots, slotWaitMs } from '../src/process-delivery.js';

describe('EndpointSlots', () => {
  it('gives each endpoint at most its limit of attempts in flight, and frees them as they end', () => {
    const slots = new EndpointSlots(2);
    expect(slots.take('wh_a')).toBe(true);
    expect(slots.take('wh_a')).toBe(true);
    expect(slots.take('wh_a')).toBe(false);
    // Another endpoint is not held back by the first one's.
    expect(slots.take('wh_b')).toBe(true);
    slots.give('wh_a');
    expect(slots.take('wh_a')).toBe(true);
    expect(slots.take('wh_a')).toBe(false);
  });
});

describe('slotWaitMs', () => {
  it('waits about twice what the endpoint takes, at least a second, doubling each time it is refused, within bounds', () => {
    // An endpoint answering in 1.5 s: back in 3 to 6 s.
    expect(slotWaitMs(1_500, 0, 0)).toBe(3_000);
    expect(slotWaitMs(1_500, 0, 1)).toBe(6_000);
    // A fast endpoint still waits a second, the shortest delay SQS has.
    expect(slotWaitMs(20, 0, 0)).toBe(1_000);
    // One timing out at 10 s: 20 s, then 40 s, 80 s...
    expect([0, 1, 2].map((held) => slotWaitMs(10_000, held, 0))).toEqual([20_000, 40_000, 80_000]);
    // ...up to 30 times the endpoint's time: 5 minutes for one timing out at 10 s...
    expect(slotWaitMs(10_000, 6, 0)).toBe(300_000);
    expect(slotWaitMs(10_000, 500, 1)).toBe(300_000);
    // ...45 s for one answering in 1.5 s, however often it was refused, and 30 s at least...
    expect(slotWaitMs(1_500, 8, 1)).toBe(45_000);
    expect(slotWaitMs(100, 8, 1)).toBe(30_000);
    // ...and never past what SQS allows.
    expect(slotWaitMs(60_000, 8, 1)).toBe(900_000);
  });

  it('learns how long an endpoint holds a slot from the attempts that ended', () => {
    const slots = new EndpointSlots(1);
    expect(slots.typicalHoldMs('wh_a')).toBeUndefined();
    slots.take('wh_a');
    slots.give('wh_a', 10_000);
    expect(slots.typicalHoldMs('wh_a')).toBe(10_000);
    slots.take('wh_a');
    slots.give('wh_a', 0);
    expect(slots.typicalHoldMs('wh_a')).toBe(9_000);
    expect(slots.typicalHoldMs('wh_b')).toBeUndefined();
  });
});
