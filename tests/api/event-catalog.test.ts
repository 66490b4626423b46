import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Client, client, startTestPlatform, type TestPlatform } from '../support/platform.js';

describe('the event catalog', () => {
  let platform: TestPlatform;
  let acme: Client;
  let globex: Client;

  beforeAll(async () => {
    platform = await startTestPlatform({ startWorker: false });
    const admin = client(platform.apiUrl, platform.adminKey);
    const make = async (tenant_id: string) =>
      client(platform.apiUrl, (await admin.request('POST', '/v1/tenants', { tenant_id })).body.api_key);
    acme = await make('catalog-acme');
    globex = await make('catalog-globex');
  });
  afterAll(async () => platform?.stop());

  it("lists the types a tenant sent, each with an event of it, and none of another tenant's", async () => {
    expect((await acme.request('GET', '/v1/event-types')).body).toEqual({ event_types: [] });
    const paid = await acme.request('POST', '/v1/events', { type: 'invoice.paid', data: { amount: 4900 } });
    await acme.request('POST', '/v1/events/batch', {
      events: [
        { type: 'customer.created', data: { id: 'cus_1' } },
        { event: 'invoice.paid', amount: 1 },
        { type: 'big.one', data: { blob: 'x'.repeat(20_000) } },
      ],
    });
    await globex.request('POST', '/v1/events', { type: 'shipment.sent', data: {} });

    const listed = await acme.request('GET', '/v1/event-types');
    expect(listed.status).toBe(200);
    expect(listed.body.event_types.map((t: { type: string }) => t.type)).toEqual([
      'big.one',
      'customer.created',
      'invoice.paid',
    ]);
    const [big, customer, invoice] = listed.body.event_types;
    expect(invoice.example).toEqual({ event_id: paid.body.event_id, data: { amount: 4900 } });
    expect(customer.example.data).toEqual({ id: 'cus_1' });
    expect(big.example.data).toBeUndefined();
    expect(Date.parse(invoice.last_seen_at)).not.toBeNaN();

    const portal = await acme.request('POST', '/v1/portal/sessions', { capabilities: ['read'] });
    const token = new URL(portal.body.url).hash.replace('#token=', '');
    const seen = await client(platform.apiUrl, token).request('GET', '/v1/event-types');
    expect(seen.body).toEqual(listed.body);
    expect((await globex.request('GET', '/v1/event-types')).body.event_types).toHaveLength(1);
  });
});
