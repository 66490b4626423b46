import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type Client,
  client,
  eventually,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';
import { ISSUED_SECRETS, post, signAs } from './support/provider-requests.js';

const detailOf = (event: { detail: unknown }) => event.detail as Record<string, unknown>;

describe('inbound ordering, duplicates, forwarding, replay and tenant isolation', () => {
  let platform: TestPlatform;
  let receiver: TestReceiver;
  let acme: Client;
  let globex: Client;

  beforeAll(async () => {
    // A failed group's messages come back after the visibility timeout; 2 s keeps the test short.
    platform = await startTestPlatform({ inboundVisibilityTimeoutSeconds: 2 });
    receiver = await startReceiver(() => ({ status: 200 }));
    const admin = client(platform.apiUrl, platform.adminKey);
    const a = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'acme-in',
      target_url: `${receiver.url}/hook`,
    });
    const g = await admin.request('POST', '/v1/tenants', { tenant_id: 'globex-in' });
    acme = client(platform.apiUrl, a.body.api_key);
    globex = client(platform.apiUrl, g.body.api_key);
  });
  afterAll(async () => {
    await receiver?.close();
    await platform?.stop();
  });

  const routed = (tenant: Client, id: string) =>
    eventually(async () => {
      const r = await tenant.request('GET', `/v1/inbound/${id}`);
      return r.body.status === 'ROUTED' ? r.body : undefined;
    }, 60_000);

  it('the same Stripe event sent three times: one request marked as such, one bus event, one forwarded delivery', async () => {
    const created = await acme.request('POST', '/v1/sources', {
      name: 'billing',
      provider: 'stripe',
      secret: ISSUED_SECRETS.stripe,
      forward: true,
    });
    const source = created.body.source;
    const body = JSON.stringify({
      id: 'evt_1SameEvent',
      object: 'event',
      type: 'invoice.paid',
      data: { object: {} },
    });
    const ids: string[] = [];
    // Stripe signs each retry anew: same body, another timestamp.
    for (let i = 0; i < 3; i++) {
      const reply = await post(
        source.ingest_url,
        signAs('stripe', ISSUED_SECRETS.stripe ?? '', { body, skewSeconds: -i }),
      );
      expect(reply.status).toBe(202);
      ids.push(reply.body.webhook_id);
    }
    expect(new Set(ids).size).toBe(1);
    const stored = await routed(acme, ids[0] ?? '');
    expect(stored.duplicate_count).toBe(2);
    const list = await acme.request('GET', `/v1/sources/${source.id}/requests`);
    expect(list.body.requests).toHaveLength(1);
    expect(list.body.requests[0]).toMatchObject({
      id: ids[0],
      provider_event_id: 'evt_1SameEvent',
      status: 'ROUTED',
      duplicate_count: 2,
    });

    const delivered = await eventually(
      async () => (receiver.requests.length >= 1 ? receiver.requests : undefined),
      45_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(platform.bus.events.filter((e) => detailOf(e).webhook_id === ids[0])).toHaveLength(1);
    expect(delivered).toHaveLength(1);
    const outbound = JSON.parse(delivered[0]?.body ?? '{}');
    expect(outbound).toMatchObject({ type: 'stripe.invoice.paid', data: JSON.parse(body) });
  });

  it('replay routes a request again: a new bus event and a new forwarded event', async () => {
    const [source] = (await acme.request('GET', '/v1/sources')).body.sources;
    const [request] = (await acme.request('GET', `/v1/sources/${source.id}/requests`)).body.requests;
    const before = platform.bus.events.filter((e) => detailOf(e).request_id === request.id).length;
    const replay = await acme.request('POST', `/v1/inbound/${request.id}/replay`);
    expect(replay.status).toBe(202);
    // The request id under its name, and under its old one for one release.
    expect(replay.body).toMatchObject({ request_id: request.id, webhook_id: request.id, status: 'RECEIVED' });
    await eventually(async () =>
      platform.bus.events.filter((e) => detailOf(e).request_id === request.id).length === before + 1
        ? true
        : undefined,
    );
    await routed(acme, request.id);
    await eventually(async () => (receiver.requests.length === 2 ? true : undefined), 45_000);
  });

  it('50 GitHub deliveries are routed in the order sent, with a failure injected in the middle', async () => {
    const created = await acme.request('POST', '/v1/sources', { name: 'repo', provider: 'github' });
    const { source } = created.body;
    platform.bus.failWhen((e) => (detailOf(e).payload as { n?: number } | undefined)?.n === 25);
    const ids: string[] = [];
    for (let n = 0; n < 50; n++) {
      const reply = await post(
        source.ingest_url,
        signAs('github', source.secret, { body: JSON.stringify({ n }) }),
      );
      expect(reply.status).toBe(202);
      ids.push(reply.body.webhook_id);
    }
    const stored = await eventually(
      async () => {
        const all = await Promise.all(ids.map((id) => acme.request('GET', `/v1/inbound/${id}`)));
        return all.every((r) => r.body.status === 'ROUTED') ? all.map((r) => r.body) : undefined;
      },
      120_000,
      250,
    );
    const mine = (calls: readonly { detail: unknown }[]) =>
      calls
        .filter((c) => (c.detail as Record<string, unknown>).source_id === source.id)
        .map((c) => (c.detail as { payload: { n: number } }).payload.n);
    // The failure happened, and the bus accepted the 50 in the order they were sent.
    expect(
      platform.bus.calls.filter(
        (c) => c.failed && (c.detail as Record<string, unknown>).source_id === source.id,
      ),
    ).toHaveLength(1);
    expect(mine(platform.bus.events)).toEqual(Array.from({ length: 50 }, (_, n) => n));
    // Every PutEvents call, the refused one included, went in send order: after the refusal
    // the group started again from the refused delivery.
    const calls = mine(platform.bus.calls);
    expect(calls.slice(0, 26)).toEqual(Array.from({ length: 26 }, (_, n) => n));
    expect(calls.slice(26)).toEqual(Array.from({ length: 25 }, (_, n) => n + 25));
    const routedAt = stored.map((r) => Date.parse(r.routed_at));
    expect(routedAt).toEqual([...routedAt].sort((a, b) => a - b));
  }, 240_000);

  it('another tenant cannot see, replay, rotate or delete a source or its requests (404)', async () => {
    const [source] = (await acme.request('GET', '/v1/sources')).body.sources;
    const [request] = (await acme.request('GET', `/v1/sources/${source.id}/requests`)).body.requests;
    const attempts = [
      await globex.request('GET', `/v1/sources/${source.id}`),
      await globex.request('PATCH', `/v1/sources/${source.id}`, { name: 'mine now' }),
      await globex.request('POST', `/v1/sources/${source.id}/rotate-secret`, {}),
      await globex.request('GET', `/v1/sources/${source.id}/requests`),
      await globex.request('DELETE', `/v1/sources/${source.id}`),
      await globex.request('GET', `/v1/inbound/${request.id}`),
      await globex.request('POST', `/v1/inbound/${request.id}/replay`),
    ];
    for (const reply of attempts) {
      expect(reply.status).toBe(404);
      expect(reply.body.error.code).toBe('not_found');
    }
    expect((await globex.request('GET', '/v1/sources')).body).toEqual({ sources: [], count: 0 });
    expect((await acme.request('GET', `/v1/sources/${source.id}`)).body.source.name).toBe(source.name);
  });

  it('after a rotation the old secret and the new one both verify; a deleted source is 404', async () => {
    const created = await acme.request('POST', '/v1/sources', { name: 'rotating', provider: 'github' });
    const { source } = created.body;
    const rotated = await acme.request('POST', `/v1/sources/${source.id}/rotate-secret`, {});
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.source.secret as string;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(source.secret);
    expect((await acme.request('GET', `/v1/sources/${source.id}`)).body.source.secret).toBeUndefined();
    expect((await post(source.ingest_url, signAs('github', source.secret))).status).toBe(202);
    expect((await post(source.ingest_url, signAs('github', fresh))).status).toBe(202);
    expect((await post(source.ingest_url, signAs('github', 'neither'))).status).toBe(401);
    expect((await acme.request('DELETE', `/v1/sources/${source.id}`)).status).toBe(204);
    expect((await post(source.ingest_url, signAs('github', fresh))).status).toBe(404);
  });

  it('management input is validated: unknown provider, missing issued secret, hmac without config', async () => {
    const bad = [
      await acme.request('POST', '/v1/sources', { name: 'x', provider: 'paypal' }),
      await acme.request('POST', '/v1/sources', { name: 'x', provider: 'stripe' }),
      await acme.request('POST', '/v1/sources', { name: 'x', provider: 'hmac' }),
      await acme.request('POST', '/v1/sources', {
        name: 'x',
        provider: 'github',
        config: { header: 'X', algorithm: 'sha256', encoding: 'hex' },
      }),
      await acme.request('POST', '/v1/sources', { name: 'x', provider: 'github', extra: 1 }),
    ];
    for (const reply of bad) {
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('validation_error');
    }
    expect(bad[1]?.body.error.details[0].field).toBe('secret');
  });
});
