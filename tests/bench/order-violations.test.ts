import { type Arrival, countOrderViolations } from '../../bench/src/order-violations.js';

const ok = (eventId: string): Arrival => ({ eventId, ok: true });
const failed = (eventId: string): Arrival => ({ eventId, ok: false });
/** A request logged when it arrived, its 2xx logged apart when the endpoint answered. */
const arrived = (eventId: string): Arrival => ({ eventId, ok: false, phase: 'arrived' });
const answered = (eventId: string): Arrival => ({ eventId, ok: true, phase: 'answered' });
const accepted = new Map([
  ['k1', ['a', 'b', 'c']],
  ['k2', ['x', 'y']],
]);

describe('countOrderViolations', () => {
  it('counts a later event that arrives while an earlier one is still being answered, though the earlier succeeds', () => {
    // b arrives before a's 2xx is sent: b did not wait for a.
    const overlapped = new Map([['k1', [arrived('a'), arrived('b'), answered('a'), answered('b')]]]);
    expect(countOrderViolations(overlapped, accepted)).toBe(1);
    const waited = new Map([['k1', [arrived('a'), answered('a'), arrived('b'), answered('b')]]]);
    expect(countOrderViolations(waited, accepted)).toBe(0);
    // An answer is not a delivery: b overtaking a and a coming after b's success are two, not four.
    const reversed = new Map([['k1', [arrived('b'), answered('b'), arrived('a'), answered('a')]]]);
    expect(countOrderViolations(reversed, accepted)).toBe(2);
  });

  it('finds none in a clean log with retries and a repeat of the latest success', () => {
    const arrivals = new Map([
      ['k1', [failed('a'), failed('a'), ok('a'), ok('b'), ok('b'), failed('c'), ok('c')]],
      ['k2', [ok('x'), failed('y'), ok('y')]],
    ]);
    expect(countOrderViolations(arrivals, accepted)).toBe(0);
  });

  it('counts an earlier event delivered after a later one succeeded', () => {
    const arrivals = new Map([['k1', [ok('a'), ok('b'), ok('a'), ok('c')]]]);
    expect(countOrderViolations(arrivals, accepted)).toBe(1);
  });

  it('counts a later event arriving before an earlier one succeeded, even when the later fails', () => {
    const arrivals = new Map([['k1', [failed('a'), failed('b'), ok('a'), ok('b'), ok('c')]]]);
    expect(countOrderViolations(arrivals, accepted)).toBe(1);
  });

  it('counts both kinds when a key is delivered in reverse', () => {
    // c overtakes a and b; b overtakes a and comes after c's success; a comes after both.
    const arrivals = new Map([['k1', [ok('c'), ok('b'), ok('a')]]]);
    expect(countOrderViolations(arrivals, accepted)).toBe(3);
  });

  it('keeps keys apart: one key interleaved with another is in order', () => {
    const arrivals = new Map([
      ['k1', [ok('a'), ok('b')]],
      ['k2', [ok('x'), ok('y')]],
    ]);
    expect(countOrderViolations(arrivals, accepted)).toBe(0);
    const swapped = new Map([['k2', [ok('y'), ok('x')]]]);
    expect(countOrderViolations(swapped, accepted)).toBe(2);
  });

  it('ignores deliveries of events it was not told were accepted', () => {
    const arrivals = new Map([['k1', [ok('a'), ok('zz'), ok('b')]]]);
    expect(countOrderViolations(arrivals, accepted)).toBe(0);
  });
});
