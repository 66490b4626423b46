import { describe, expect, it } from '@jest/globals';
import { EndpointSlots, slotWaitMs } from '../../src/attempt/endpoint-slots.js';

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
  const answering = (typicalHoldMs: number) => ({ typicalHoldMs, answeredShare: 1 });
  const dead = (typicalHoldMs: number) => ({ typicalHoldMs, answeredShare: 0 });

  it('gives an endpoint that answers its message back soon: twice its time, doubling, within 30 times it', () => {
    // Answering in 1.5 s: back in 3 to 6 s, then 6 to 12 s...
    expect(slotWaitMs(answering(1_500), 0, 0)).toBe(3_000);
    expect(slotWaitMs(answering(1_500), 0, 1)).toBe(6_000);
    expect(slotWaitMs(answering(1_500), 1, 0)).toBe(6_000);
    // ...never later than 45 s however often it was refused.
    expect(slotWaitMs(answering(1_500), 8, 1)).toBe(45_000);
    // A fast endpoint still waits a second, the shortest delay SQS has, and at most 30 s.
    expect(slotWaitMs(answering(20), 0, 0)).toBe(1_000);
    expect(slotWaitMs(answering(20), 8, 1)).toBe(30_000);
  });

  it("backs off from an endpoint that does not answer: a minute, doubling, up to SQS's 15 minutes", () => {
    expect([0, 1, 2, 3].map((held) => slotWaitMs(dead(10_000), held, 0))).toEqual([
      60_000, 120_000, 240_000, 480_000,
    ]);
    expect(slotWaitMs(dead(10_000), 4, 0)).toBe(900_000);
    expect(slotWaitMs(dead(10_000), 500, 1)).toBe(900_000);
  });

  it('learns how long an endpoint holds a slot and how often it answers, from the attempts that ended', () => {
    const slots = new EndpointSlots(1);
    expect(slots.pace('wh_a')).toBeUndefined();
    slots.take('wh_a');
    slots.give('wh_a', { heldMs: 10_000, answered: false });
    expect(slots.pace('wh_a')).toEqual({ typicalHoldMs: 10_000, answeredShare: 0 });
    slots.take('wh_a');
    slots.give('wh_a', { heldMs: 0, answered: true });
    expect(slots.pace('wh_a')).toEqual({ typicalHoldMs: 9_000, answeredShare: 0.1 });
    // A slot freed without an attempt (the message was skipped) teaches nothing.
    slots.take('wh_a');
    slots.give('wh_a');
    expect(slots.pace('wh_a')).toEqual({ typicalHoldMs: 9_000, answeredShare: 0.1 });
    expect(slots.pace('wh_b')).toBeUndefined();
  });
});

describe('EndpointSlots by pace', () => {
  it('gives an endpoint whose attempts get no answer an eighth of the slots, and all of them back once it answers', () => {
    const slots = new EndpointSlots(16);
    expect(slots.deadLimit).toBe(2);
    slots.take('wh_dead');
    slots.give('wh_dead', { heldMs: 10_000, answered: false });
    expect([slots.take('wh_dead'), slots.take('wh_dead'), slots.take('wh_dead')]).toEqual([
      true,
      true,
      false,
    ]);
    // A slow endpoint that answers keeps the full limit.
    slots.take('wh_slow');
    slots.give('wh_slow', { heldMs: 1_500, answered: true });
    expect(Array.from({ length: 17 }, () => slots.take('wh_slow')).filter(Boolean)).toHaveLength(16);
    // Answers again, mostly: the full limit again.
    slots.give('wh_dead');
    slots.give('wh_dead');
    for (let i = 0; i < 10; i++) {
      slots.take('wh_dead');
      slots.give('wh_dead', { heldMs: 200, answered: true });
    }
    expect(Array.from({ length: 17 }, () => slots.take('wh_dead')).filter(Boolean)).toHaveLength(16);
  });
});
