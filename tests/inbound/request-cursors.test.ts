import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type Client,
  client,
  eventually,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';
import { ISSUED_SECRETS, post, signAs } from './support/provider-requests.js';

/** A cursor pages the list it was made for: on any other list it is a 400, never a 500. */
describe("a source's request cursors", () => {
  let platform: TestPlatform;
  let tenant: Client;

  beforeAll(async () => {
    platform = await startTestPlatform({ startWorker: false });
    const admin = client(platform.apiUrl, platform.adminKey);
    tenant = client(
      platform.apiUrl,
      (await admin.request('POST', '/v1/tenants', { tenant_id: 'request-cursors' })).body.api_key,
    );
  });
  afterAll(async () => platform?.stop());

  const source = async (name: string) => {
    const secret = ISSUED_SECRETS.stripe ?? '';
    const created = await tenant.request('POST', '/v1/sources', { name, provider: 'stripe', secret });
    for (let i = 0; i < 2; i += 1) {
      const signed = signAs('stripe', secret);
      expect((await post(created.body.source.ingest_url, signed)).status).toBe(202);
    }
    return created.body.source.id as string;
  };

  it("is refused on another source's list, and an events cursor on a requests list", async () => {
    const [first, second] = [await source('first'), await source('second')];
    const page = await eventually(async () => {
      const reply = await tenant.request('GET', `/v1/sources/${first}/requests?limit=1`);
      return reply.body.next_cursor ? reply : undefined;
    });
    const cursor = page.body.next_cursor as string;
    const next = await tenant.request('GET', `/v1/sources/${first}/requests?limit=1&cursor=${cursor}`);
    expect([next.status, next.body.requests.length]).toEqual([200, 1]);
    expect(next.body.requests[0].id).not.toBe(page.body.requests[0].id);

    const elsewhere = await tenant.request('GET', `/v1/sources/${second}/requests?limit=1&cursor=${cursor}`);
    expect([elsewhere.status, elsewhere.body.error.code]).toEqual([400, 'validation_error']);

    for (const type of ['a.one', 'a.two']) await tenant.request('POST', '/v1/events', { type, data: {} });
    const events = await tenant.request('GET', '/v1/events?limit=1');
    expect(events.body.next_cursor).toEqual(expect.any(String));
    const crossed = await tenant.request(
      'GET',
      `/v1/sources/${first}/requests?limit=1&cursor=${events.body.next_cursor}`,
    );
    expect([crossed.status, crossed.body.error.code]).toEqual([400, 'validation_error']);
    const back = await tenant.request('GET', `/v1/events?limit=1&cursor=${cursor}`);
    expect([back.status, back.body.error.code]).toEqual([400, 'validation_error']);
  });

  it("is refused on a webhook's delivery history and on the export (found by the contract fuzz test)", async () => {
    const first = await source('third');
    const page = await eventually(async () => {
      const reply = await tenant.request('GET', `/v1/sources/${first}/requests?limit=1`);
      return reply.body.next_cursor ? reply : undefined;
    });
    const cursor = page.body.next_cursor as string;
    const webhook = await tenant.request('POST', '/v1/webhooks', { url: 'https://example.com/hook' });
    const id = webhook.body.webhook.id as string;
    for (const path of [
      `/v1/webhooks/${id}/deliveries?cursor=${cursor}`,
      `/v1/webhooks/deliveries?webhook_id=${id}&cursor=${cursor}`,
      `/v1/events/export?cursor=${cursor}`,
    ]) {
      const reply = await tenant.request('GET', path);
      expect([path, reply.status, reply.body?.error?.code]).toEqual([path, 400, 'validation_error']);
    }
  });
});
