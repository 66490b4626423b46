import { createHmac } from 'node:crypto';
import { expect } from '@jest/globals';
import { type Client, client, eventually, type TestPlatform } from '../../support/platform.js';

const GENERIC_SECRET = 'fuzz-generic-secret-0123456789';

/**
 * What the fuzz test calls with, on one platform: a tenant with real webhooks, events, sources
 * and inbound requests (so that requests get past the 404s), portal sessions of both
 * capabilities, another tenant whose ids must stay out of reach, a spare tenant the admin
 * routes may change at will, and cursors of every list.
 */
export interface Fixtures {
  readonly keys: {
    readonly tenant: string;
    readonly admin: string;
    readonly other: string;
    portalManage: string;
    portalRead: string;
  };
  /** The fuzzed tenant's real ids by kind (for the admin routes, the spare tenant's). */
  readonly ids: Readonly<Record<IdKind, readonly string[]>>;
  /** Ids of the same kinds that are another tenant's, out of reach. */
  readonly theirs: Readonly<Record<IdKind, readonly string[]>>;
  /** Ids a destructive call may use up (DELETE of a webhook, source, session or key). */
  readonly spare: Readonly<Record<IdKind, readonly string[]>>;
  /** next_cursor of the tenant's lists, and cursors it must not use (another tenant's, altered). */
  readonly cursors: {
    readonly own: readonly string[];
    readonly foreign: readonly string[];
    /** One of a source's requests (a list of another kind than the events and attempts). */
    readonly requests: string;
  };
  /** A webhook of the tenant with deliveries of its events, disabled since. */
  readonly disabledWebhook: string;
  readonly receiverUrl: string;
  /** Opens the tenant's portal sessions again (after a call ended them all). */
  renewPortalSessions(): Promise<void>;
}

export type IdKind = 'webhook' | 'event' | 'source' | 'inbound' | 'tenant' | 'key' | 'session';

const tokenOf = (url: string) => new URL(url).hash.replace(/^#token=/, '');

const ok = async (
  as: Client,
  method: string,
  path: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: fixture replies are read field by field
): Promise<any> => {
  const reply = await as.request(method, path, body);
  expect([method, path, reply.status < 300, reply.text]).toEqual([method, path, true, reply.text]);
  return reply.body;
};

const postInbound = async (ingestUrl: string, n: number) => {
  const body = JSON.stringify({ type: 'order.shipped', order: `o_${n}` });
  const res = await fetch(ingestUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'X-Provider-ID': 'acme-erp',
      'X-Webhook-Signature': createHmac('sha256', GENERIC_SECRET).update(body).digest('hex'),
    },
    body,
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { webhook_id: string }).webhook_id;
};

/** Everything a tenant owns, created through the API. */
const populate = async (as: Client, prefix: string, receiverUrl: string) => {
  const webhooks = [
    (await ok(as, 'POST', '/v1/webhooks', { url: `${receiverUrl}/${prefix}/a`, events: ['order.*'] })).webhook
      .id,
    (await ok(as, 'POST', '/v1/webhooks', { url: `${receiverUrl}/${prefix}/b` })).webhook.id,
  ] as string[];
  const disabled = (await ok(as, 'POST', '/v1/webhooks', { url: `${receiverUrl}/${prefix}/off` })).webhook
    .id as string;
  const events: string[] = [];
  for (const type of ['order.created', 'order.paid', 'user.deleted'])
    events.push((await ok(as, 'POST', '/v1/events', { type, data: { prefix } })).event_id);
  await ok(as, 'PATCH', `/v1/webhooks/${disabled}`, { active: false });
  const source = (
    await ok(as, 'POST', '/v1/sources', {
      name: `${prefix} erp`,
      provider: 'generic',
      secret: GENERIC_SECRET,
    })
  ).source;
  const second = (
    await ok(as, 'POST', '/v1/sources', {
      name: `${prefix} shop`,
      provider: 'shopify',
      secret: 'shpss_fuzz_issued_secret',
    })
  ).source;
  const hmac = (
    await ok(as, 'POST', '/v1/sources', {
      name: `${prefix} acme`,
      provider: 'hmac',
      secret: GENERIC_SECRET,
      config: { header: 'X-Acme-Signature', algorithm: 'sha256', encoding: 'hex' },
    })
  ).source;
  const inbound = [await postInbound(source.ingest_url, 1), await postInbound(source.ingest_url, 2)];
  return { webhooks, disabled, events, sources: [source.id, second.id, hmac.id] as string[], inbound };
};

const cursorOf = async (as: Client, path: string): Promise<string | undefined> => {
  const reply = await as.request('GET', path);
  return typeof reply.body?.next_cursor === 'string' ? reply.body.next_cursor : undefined;
};

export const createFixtures = async (platform: TestPlatform, door: string, receiverUrl: string) => {
  const admin = client(platform.apiUrl, platform.adminKey);
  const tenantOf = async (tenant_id: string) => {
    const created = await ok(admin, 'POST', '/v1/tenants', {
      tenant_id,
      target_url: `${receiverUrl}/${tenant_id}`,
    });
    return { key: created.api_key as string, keyId: created.api_key_id as string, id: tenant_id };
  };
  const main = await tenantOf(`fuzz-${door}`);
  const other = await tenantOf(`fuzz-other-${door}`);
  const spareTenant = await tenantOf(`fuzz-spare-${door}`);
  const tenant = client(platform.apiUrl, main.key);
  const otherClient = client(platform.apiUrl, other.key);
  const mine = await populate(tenant, 'mine', receiverUrl);
  const theirs = await populate(otherClient, 'theirs', receiverUrl);
  const spareWebhooks: string[] = [];
  const spareSources: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    spareWebhooks.push(
      (await ok(tenant, 'POST', '/v1/webhooks', { url: `${receiverUrl}/spare/${i}` })).webhook.id,
    );
    spareSources.push(
      (
        await ok(tenant, 'POST', '/v1/sources', {
          name: `spare ${i}`,
          provider: 'github',
          secret: 'gh-fuzz-secret-1',
        })
      ).source.id,
    );
  }
  const spareKeys = [
    (await ok(admin, 'POST', `/v1/tenants/${spareTenant.id}/keys`)).key_id,
    (await ok(admin, 'POST', `/v1/tenants/${spareTenant.id}/keys`)).key_id,
  ] as string[];
  const session = async (capabilities: string[]) => {
    const created = await ok(tenant, 'POST', '/v1/portal/sessions', { capabilities });
    return { id: created.session_id as string, token: tokenOf(created.url) };
  };
  const manage = await session(['read', 'manage']);
  const read = await session(['read']);
  const spareSessions = [(await session(['read'])).id, (await session(['read'])).id];

  const theirSession = (await ok(otherClient, 'POST', '/v1/portal/sessions', {})).session_id as string;

  // Cursors of every list: both events lists (filtered and not), delivery history, requests.
  const sourceRequests = `/v1/sources/${mine.sources[0]}/requests?limit=1`;
  // Ingest stores a request before it answers; the list reads an index that follows it shortly.
  const requests = await eventually(() => cursorOf(tenant, sourceRequests));
  const present = (cursors: (string | undefined)[]) => cursors.filter((c): c is string => c !== undefined);
  const own = present(
    await Promise.all([
      cursorOf(tenant, '/v1/events?limit=1'),
      cursorOf(tenant, '/v1/events?limit=1&status=PENDING'),
      cursorOf(tenant, '/v1/events?limit=1&type=order.created&created_after=2000-01-01T00:00:00Z'),
      cursorOf(tenant, `/v1/webhooks/${mine.webhooks[1]}/deliveries?limit=1`),
      cursorOf(tenant, `/v1/webhooks/deliveries?webhook_id=${mine.webhooks[1]}&limit=1`),
      requests,
    ]),
  );
  const foreign = present(
    await Promise.all([
      cursorOf(otherClient, '/v1/events?limit=1'),
      cursorOf(otherClient, `/v1/sources/${theirs.sources[0]}/requests?limit=1`),
    ]),
  );
  // A cursor with one character changed, and the readable DynamoDB key older cursors were.
  const tampered = own.map((c) => `${c.slice(0, -2)}${c.endsWith('A') ? 'B' : 'A'}${c.slice(-1)}`);
  const readable = Buffer.from(JSON.stringify({ pk: `TENANT#${other.id}`, sk: 'EVT#x' })).toString(
    'base64url',
  );
  expect(own.length).toBeGreaterThanOrEqual(4);

  const fixtures: Fixtures = {
    keys: {
      tenant: main.key,
      admin: platform.adminKey,
      other: other.key,
      portalManage: manage.token,
      portalRead: read.token,
    },
    ids: {
      webhook: mine.webhooks,
      event: mine.events,
      source: mine.sources,
      inbound: mine.inbound,
      // The admin routes change the spare tenant; the fuzzed tenant stays as it is.
      tenant: [spareTenant.id, 'current'],
      key: spareKeys,
      session: [manage.id, read.id],
    },
    theirs: {
      webhook: theirs.webhooks,
      event: theirs.events,
      source: theirs.sources,
      inbound: theirs.inbound,
      tenant: ['fuzz-nobody'],
      key: [other.keyId],
      session: [theirSession],
    },
    spare: {
      webhook: spareWebhooks,
      event: mine.events,
      source: spareSources,
      inbound: mine.inbound,
      tenant: [spareTenant.id],
      key: spareKeys,
      session: spareSessions,
    },
    cursors: { own, foreign: [...foreign, ...tampered, readable], requests },
    disabledWebhook: mine.disabled,
    receiverUrl,
    async renewPortalSessions() {
      fixtures.keys.portalManage = (await session(['read', 'manage'])).token;
      fixtures.keys.portalRead = (await session(['read'])).token;
    },
  };
  return fixtures;
};
