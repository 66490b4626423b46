import { describe, expect, it } from '@jest/globals';
import { newId, timeOfId } from '../src/ids.js';

describe('ids', () => {
  it('an id made by newId tells the millisecond it was made', () => {
    for (const ms of [0, 1_700_000_000_123, Date.parse('2026-11-30T19:40:42.007Z')]) {
      expect(timeOfId(newId('evt', ms))).toBe(ms);
    }
  });

  it('ids made later sort later', () => {
    const a = newId('evt', 1_700_000_000_000);
    const b = newId('evt', 1_700_000_000_001);
    expect(a < b).toBe(true);
  });

  it('any other shape tells no time', () => {
    for (const id of [
      'order-1234',
      'evt_',
      'evt_01JD6Z9M3QH4T2W7X9RZ5K8B1',
      'evt_01JD6Z9M3QH4T2W7X9RZ5K8B1UU',
      '_01JD6Z9M3QH4T2W7X9RZ5K8B1C',
      'evt_01JD6Z9M3QH4T2W7X9RZ5K8BIC',
    ]) {
      expect(timeOfId(id)).toBeUndefined();
    }
  });
});
