import { describe, expect, it } from '@jest/globals';
import {
  requestKey,
  requestsBySourceKey,
  sourceKey,
  sourcesPk,
  tokenKey,
} from '../src/inbound-table-keys.js';

describe('the inbound table keys', () => {
  it("keep a tenant's sources in its own partition, apart from the tokens and requests", () => {
    expect(sourceKey('acme', 'src_1').pk).toBe(sourcesPk('acme'));
    const partitions = [sourcesPk('acme'), tokenKey('acme').pk, requestKey('acme', 'acme').pk];
    expect(new Set(partitions).size).toBe(3);
  });

  it('scope a request by its tenant: the same id under two tenants is two items', () => {
    expect(requestKey('acme', 'req_1')).not.toEqual(requestKey('other', 'req_1'));
  });

  it("list a source's requests by the time they arrived", () => {
    const earlier = requestsBySourceKey('acme', 'src_1', '2026-12-01T00:00:00.000Z', 'req_9');
    const later = requestsBySourceKey('acme', 'src_1', '2026-12-01T00:00:01.000Z', 'req_1');
    expect(earlier.gsi1pk).toBe(later.gsi1pk);
    expect(earlier.gsi1sk < later.gsi1sk).toBe(true);
    expect(requestsBySourceKey('acme', 'src_2', '2026-12-01T00:00:00.000Z', 'req_9').gsi1pk).not.toBe(
      earlier.gsi1pk,
    );
  });
});
