import { describe, expect, it } from '@jest/globals';
import { optionalChoice, readConfig } from '../src/index.js';

describe('readConfig', () => {
  it('reads one of a few numbers, the fallback when absent, and names anything else', () => {
    const spec = { lanes: optionalChoice('DELIVERY_LANES', [1, 2] as const, 2) };
    expect(readConfig(spec, {})).toEqual({ lanes: 2 });
    expect(readConfig(spec, { DELIVERY_LANES: '1' })).toEqual({ lanes: 1 });
    expect(() => readConfig(spec, { DELIVERY_LANES: '3' })).toThrow(
      'Missing or invalid configuration: DELIVERY_LANES (1 or 2, not "3")',
    );
  });

  it('reads one of a few words the same way', () => {
    const spec = { archive: optionalChoice('INBOUND_ARCHIVE', ['ingest', 'batch'] as const, 'ingest') };
    expect(readConfig(spec, {})).toEqual({ archive: 'ingest' });
    expect(readConfig(spec, { INBOUND_ARCHIVE: 'batch' })).toEqual({ archive: 'batch' });
    expect(() => readConfig(spec, { INBOUND_ARCHIVE: 'later' })).toThrow(
      'Missing or invalid configuration: INBOUND_ARCHIVE (ingest or batch, not "later")',
    );
  });
});
