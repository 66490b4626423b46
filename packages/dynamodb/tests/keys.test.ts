import { describe, expect, it } from '@jest/globals';
import { apiKeyKey, portalSessionKey, tenantAccessKey } from '../src/keys/api-keys-table.js';
import { accessTokenKey, credentialsKey } from '../src/keys/credentials-table.js';
import {
  attemptPk,
  counterPk,
  eventAliasKey,
  eventKey,
  eventsByStatusPk,
  eventTypeKey,
  orderingPauseKey,
  parseEventKey,
  rateWindowKey,
  tenantItemKey,
  webhookKey,
} from '../src/keys/data-table.js';

describe('the data table keys', () => {
  it('an event key tells its tenant, id and creation time back', () => {
    const key = eventKey('acme', 'evt_1', '2026-12-01T00:00:00.000Z');
    expect(parseEventKey(key.pk, key.sk)).toEqual({
      tenant_id: 'acme',
      event_id: 'evt_1',
      created_at: '2026-12-01T00:00:00.000Z',
    });
    // A tenant id may hold the separator: the shard suffix still ends the partition key.
    const odd = eventKey('a#S1', 'evt_2', '2026-12-01T00:00:00.000Z');
    expect(parseEventKey(odd.pk, odd.sk)?.tenant_id).toBe('a#S1');
  });

  it('a key that is no event key is not read as one', () => {
    const webhook = webhookKey('acme', 'wh_1');
    expect(parseEventKey(webhook.pk, webhook.sk)).toBeUndefined();
  });

  it("every tenant's key starts with the tenant, so no query reaches across tenants", () => {
    const partitions = [
      tenantItemKey('acme').pk,
      webhookKey('acme', 'wh_1').pk,
      eventTypeKey('acme', 'order.paid').pk,
      eventKey('acme', 'evt_1', '2026-12-01T00:00:00.000Z').pk,
      eventAliasKey('acme', 'client-id').pk,
      eventsByStatusPk('acme', 'FAILED', 3),
      attemptPk('acme', 'wh_1', 3),
      counterPk('acme', 'wh_1', '5m'),
      rateWindowKey('acme', 'wh_1', 12).pk,
      orderingPauseKey('acme', 'wh_1', 'k').pk,
    ];
    for (const pk of partitions) expect(pk === 'T#acme' || pk.startsWith('T#acme#')).toBe(true);
    // ...and the items of one tenant's partition never share a key.
    const inTenantPartition = [tenantItemKey('acme'), webhookKey('acme', 'x'), eventTypeKey('acme', 'x')];
    expect(new Set(inTenantPartition.map((k) => `${k.pk} ${k.sk}`)).size).toBe(3);
  });
});

describe('the keys and credentials table keys', () => {
  it('say what each item is, so an API key, a tenant and a session never share a key', () => {
    const keys = [apiKeyKey('x').pk, tenantAccessKey('x').pk, portalSessionKey('x').pk];
    expect(new Set(keys).size).toBe(3);
    expect(credentialsKey('t', 'wh_1').sk).not.toBe(accessTokenKey('t', 'wh_1', 'v1').sk);
    expect(accessTokenKey('t', 'wh_1', 'v1')).toEqual({ tenant_id: 't', sk: 'TOKEN#wh_1#v1' });
  });
});
