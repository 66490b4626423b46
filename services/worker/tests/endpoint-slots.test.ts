import { describe, expect, it } from '@jest/globals';
import { EndpointSlots } from '../src/process-delivery.js';

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
