import { randomBytes } from 'node:crypto';
import { freePort } from '@hookrelay/local';
import { afterAll, describe, expect, it } from '@jest/globals';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { post, signAs } from './support/provider-requests.js';

describe('the platform stopped between enqueue and PutEvents', () => {
  let platform: TestPlatform | undefined;
  afterAll(async () => {
    await platform?.stop();
  });

  it('routes every 202-answered request after the restart', async () => {
    // Same stage and addresses both times: the second platform is the first one restarted.
    const options = {
      stage: `r${randomBytes(4).toString('hex')}`,
      apiPort: await freePort(),
      ingestPort: await freePort(),
      busPort: await freePort(),
    };
    platform = await startTestPlatform({ ...options, startInboundProcessor: false });
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', { tenant_id: 'restarted' });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const { source } = (await tenant.request('POST', '/v1/sources', { name: 'repo', provider: 'github' }))
      .body;
    const ids: string[] = [];
    for (let n = 0; n < 10; n++) {
      const reply = await post(
        source.ingest_url,
        signAs('github', source.secret, { body: JSON.stringify({ n }) }),
      );
      expect(reply.status).toBe(202);
      ids.push(reply.body.webhook_id);
    }
    const before = await Promise.all(ids.map((id) => tenant.request('GET', `/v1/inbound/${id}`)));
    expect(before.map((r) => r.body.status)).toEqual(ids.map(() => 'RECEIVED'));
    await platform.stop();

    platform = await startTestPlatform({ ...options, adminKey: platform.adminKey });
    const again = client(platform.apiUrl, created.body.api_key);
    await eventually(async () => {
      const all = await Promise.all(ids.map((id) => again.request('GET', `/v1/inbound/${id}`)));
      return all.every((r) => r.body.status === 'ROUTED') ? true : undefined;
    }, 60_000);
    const order = platform.bus.events
      .filter((e) => (e.detail as { source_id?: string }).source_id === source.id)
      .map((e) => (e.detail as { payload: { n: number } }).payload.n);
    expect(order).toEqual(Array.from({ length: 10 }, (_, n) => n));
  }, 180_000);
});
