import { createHmac } from 'node:crypto';
import type { HookrelayClient } from '@hookrelay/client';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { post } from '../inbound/support/provider-requests.js';
import {
  apiClient,
  type Client,
  client,
  eventually,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';
import { receiverPool } from '../support/receiver.js';

let platform: TestPlatform;
let api: HookrelayClient;
/** For bodies the client's types refuse, sent as a careless client would. */
let raw: Client;
const receivers = receiverPool();

beforeAll(async () => {
  platform = await startTestPlatform();
  const created = await apiClient(platform.apiUrl, platform.adminKey).POST('/v1/tenants', {
    body: { tenant_id: 'filters' },
  });
  api = apiClient(platform.apiUrl, created.data?.api_key);
  raw = client(platform.apiUrl, created.data?.api_key);
});

afterAll(async () => {
  await receivers.closeAll();
  await platform?.stop();
});

const BIG_EURO = { data: { amount: [{ numeric: ['>', 10000] }], currency: ['eur'] } };

/** A webhook on a receiver of its own, so what each one got can be told apart. */
const endpoint = async (fields: Record<string, unknown> = {}) => {
  const receiver = await receivers.start();
  const reply = await raw.request('POST', '/v1/webhooks', { url: `${receiver.url}/hook`, ...fields });
  expect(reply.status).toBe(201);
  const webhook = reply.body.webhook as { id: string; filter?: unknown };
  const got = () =>
    receiver.requests.map((r) => JSON.parse(r.body) as { id: string; type: string; data: unknown });
  return { ...webhook, receiver, got };
};

const sendEvent = async (type: string, data: unknown) => {
  const reply = await api.POST('/v1/events', { body: { type, data } });
  expect(reply.response.status).toBe(201);
  return { id: reply.data?.event_id ?? '', deliveries: reply.data?.delivery_count };
};

const deliveriesOf = async (eventId: string) => {
  const reply = await api.GET('/v1/events/{id}', { params: { path: { id: eventId } } });
  return (reply.data?.deliveries ?? []).map((d) => d.webhook_id).sort();
};

/** Waits until every event has been delivered to every webhook it went to. */
const settled = (ids: readonly string[]) =>
  eventually(async () => {
    for (const id of ids) {
      const reply = await api.GET('/v1/events/{id}', { params: { path: { id } } });
      if (reply.data?.status !== 'DELIVERED') return undefined;
    }
    return true;
  });

describe('a webhook with a payload filter', () => {
  it('gets only the events its filter matches, from single sends and batches; one without gets all', async () => {
    const big = await endpoint({ events: ['invoice.paid'], filter: BIG_EURO });
    const all = await endpoint();
    expect(big.filter).toEqual(BIG_EURO);
    const read = await api.GET('/v1/webhooks/{id}', { params: { path: { id: big.id } } });
    expect(read.data?.webhook.filter).toEqual(BIG_EURO);
    const listed = await api.GET('/v1/webhooks');
    expect(listed.data?.webhooks.find((w) => w.id === big.id)?.filter).toEqual(BIG_EURO);

    const matching = await sendEvent('invoice.paid', { amount: 12000, currency: 'eur' });
    const small = await sendEvent('invoice.paid', { amount: 50, currency: 'eur' });
    const dollars = await sendEvent('invoice.paid', { amount: 12000, currency: 'usd' });
    const otherType = await sendEvent('invoice.created', { amount: 12000, currency: 'eur' });
    expect(matching.deliveries).toBe(2);
    expect([small, dollars, otherType].map((e) => e.deliveries)).toEqual([1, 1, 1]);
    expect(await deliveriesOf(matching.id)).toEqual([all.id, big.id].sort());
    for (const e of [small, dollars, otherType]) expect(await deliveriesOf(e.id)).toEqual([all.id]);

    const batch = await api.POST('/v1/events/batch', {
      body: {
        events: [
          { type: 'invoice.paid', data: { amount: 20000, currency: 'eur' } },
          { type: 'invoice.paid', data: { amount: 20000, currency: 'EUR' } },
        ],
      },
    });
    expect(batch.response.status).toBe(201);
    const [bigBatch, casedBatch] = (batch.data?.results ?? []).map((r) =>
      'event_id' in r ? r.event_id : '',
    );
    expect(batch.data?.results.map((r) => ('delivery_count' in r ? r.delivery_count : undefined))).toEqual([
      2, 1,
    ]);

    const sent = [matching, small, dollars, otherType].map((e) => e.id);
    await settled([...sent, bigBatch ?? '', casedBatch ?? '']);
    // Delivery does not promise order: what matters is which events it got.
    expect(
      big
        .got()
        .map((b) => b.id)
        .sort(),
    ).toEqual([matching.id, bigBatch].sort());
    expect(new Set(all.got().map((b) => b.id))).toEqual(new Set([...sent, bigBatch, casedBatch]));
    // The receiver gets the event as always: the filter only chooses.
    expect(big.got().find((b) => b.id === matching.id)).toMatchObject({
      type: 'invoice.paid',
      data: { amount: 12000, currency: 'eur' },
    });
  });

  it('matches the event as {type, id, data}', async () => {
    const byId = await endpoint({
      filter: { id: [{ prefix: 'order-' }], type: [{ wildcard: 'order.*.v2' }] },
    });
    const yes = await api.POST('/v1/events', { body: { id: 'order-1', type: 'order.paid.v2', data: {} } });
    const wrongId = await api.POST('/v1/events', {
      body: { id: 'refund-1', type: 'order.paid.v2', data: {} },
    });
    const wrongType = await api.POST('/v1/events', {
      body: { id: 'order-2', type: 'order.paid.v1', data: {} },
    });
    expect(await deliveriesOf(yes.data?.event_id ?? '')).toContain(byId.id);
    expect(await deliveriesOf(wrongId.data?.event_id ?? '')).not.toContain(byId.id);
    expect(await deliveriesOf(wrongType.data?.event_id ?? '')).not.toContain(byId.id);
  });

  it('a changed filter applies to events accepted after it, not to those already accepted; null removes it', async () => {
    const hook = await endpoint({ events: ['plan.changed'], filter: { data: { plan: ['pro'] } } });
    const byId = { params: { path: { id: hook.id } } };
    const before = await sendEvent('plan.changed', { plan: 'free' });
    expect(await deliveriesOf(before.id)).not.toContain(hook.id);

    const changed = await raw.request('PATCH', `/v1/webhooks/${hook.id}`, {
      filter: { data: { plan: ['free'] } },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.webhook.filter).toEqual({ data: { plan: ['free'] } });
    // The event accepted earlier keeps the deliveries it was given; the next one is matched anew.
    expect(await deliveriesOf(before.id)).not.toContain(hook.id);
    const after = await sendEvent('plan.changed', { plan: 'free' });
    expect(await deliveriesOf(after.id)).toContain(hook.id);

    // A PUT without a filter keeps it, like every field it leaves out.
    const put = await raw.request('PUT', `/v1/webhooks/${hook.id}`, { url: `${hook.receiver.url}/hook` });
    expect(put.body.webhook.filter).toEqual({ data: { plan: ['free'] } });

    const cleared = await api.PATCH('/v1/webhooks/{id}', { ...byId, body: { filter: null } });
    expect(cleared.response.status).toBe(200);
    expect(cleared.data?.webhook).not.toHaveProperty('filter');
    const read = await api.GET('/v1/webhooks/{id}', byId);
    expect(read.data?.webhook).not.toHaveProperty('filter');
    const unfiltered = await sendEvent('plan.changed', { plan: 'enterprise' });
    expect(await deliveriesOf(unfiltered.id)).toContain(hook.id);
  });

  it('the test send is not filtered', async () => {
    const hook = await endpoint({ filter: { data: { never: ['matches'] } } });
    const test = await api.POST('/v1/webhooks/{id}/test', { params: { path: { id: hook.id } } });
    expect(test.data?.success).toBe(true);
    expect(hook.got().map((b) => b.type)).toEqual(['webhook.test']);
  });

  it('a filter holding what DynamoDB could not hold as a map (a number past 2^53, an empty field name) is kept', async () => {
    const filter = { data: { '': ['x'], big: [2 ** 64] } };
    const hook = await endpoint({ filter });
    expect((await api.GET('/v1/webhooks')).response.status).toBe(200);
    const read = await api.GET('/v1/webhooks/{id}', { params: { path: { id: hook.id } } });
    expect(read.data?.webhook.filter).toEqual(filter);
  });

  it('inbound forwarding is filtered the same way', async () => {
    const hook = await endpoint({
      events: ['generic.*'],
      filter: { data: { amount: [{ numeric: ['>=', 100] }] } },
    });
    const secret = 'generic-source-secret';
    const source = await raw.request('POST', '/v1/sources', {
      name: 'erp',
      provider: 'generic',
      secret,
      forward: true,
    });
    expect(source.status).toBe(201);
    const deliver = async (amount: number) => {
      const body = JSON.stringify({ type: 'order.shipped', order: `o_${amount}`, amount });
      const headers = {
        'X-Provider-ID': 'acme-erp',
        'X-Webhook-Signature': createHmac('sha256', secret).update(body).digest('hex'),
      };
      const reply = await post(source.body.source.ingest_url, { body, headers });
      expect(reply.status).toBe(202);
      return reply.body.webhook_id as string;
    };
    const small = await deliver(5);
    const large = await deliver(500);
    for (const id of [small, large]) {
      await eventually(async () => {
        const r = await raw.request('GET', `/v1/inbound/${id}`);
        return r.body.status === 'ROUTED' ? true : undefined;
      }, 60_000);
    }
    const forwarded = await eventually(async () => (hook.got().length > 0 ? hook.got() : undefined), 45_000);
    // Both were forwarded as events; only the large one reached the filtered webhook.
    const events = (await raw.request('GET', '/v1/events?type=generic.order.shipped')).body.events;
    expect(events).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 500));
    expect(forwarded).toHaveLength(1);
    expect(forwarded[0]).toMatchObject({ type: 'generic.order.shipped', data: { amount: 500 } });
  });
});

describe('an invalid filter', () => {
  it.each([
    ['a field of the payload outside data', { amount: [1] }, 'filter.amount'],
    ['a bare value', { data: { currency: 'eur' } }, 'filter.data.currency'],
    ['an empty list', { data: { currency: [] } }, 'filter.data.currency'],
    ['an unknown operator', { data: { a: [{ contains: 'x' }] } }, 'filter.data.a.0'],
    [
      'a numeric bound that is a string',
      { data: { n: [{ numeric: ['>', '10000'] }] } },
      'filter.data.n.0.numeric.1',
    ],
    ['an empty range', { data: { n: [{ numeric: ['>', 10, '<', 5] }] } }, 'filter.data.n.0.numeric'],
    ['two stars in a row', { data: { p: [{ wildcard: 'a**' }] } }, 'filter.data.p.0.wildcard'],
    ['exists that is not a boolean', { data: { p: [{ exists: 'no' }] } }, 'filter.data.p.0.exists'],
    ['$or with one branch', { $or: [{ type: ['a'] }] }, 'filter.$or'],
    ['an empty pattern', {}, 'filter'],
    ['a list instead of a pattern', [{ type: ['a'] }], 'filter'],
    ['a string', 'type = a', 'filter'],
    ['more than 4 KB', { data: { s: ['x'.repeat(4100)] } }, 'filter'],
    [
      'more than 10 wildcards',
      { data: { s: Array.from({ length: 11 }, (_, i) => ({ wildcard: `*${i}*` })) } },
      'filter.data.s.10.wildcard',
    ],
    [
      'nesting deeper than 10 levels',
      { data: { a: { b: { c: { d: { e: { f: { g: { h: { i: { j: ['x'] } } } } } } } } } } },
      'filter.data.a.b.c.d.e.f.g.h.i',
    ],
  ])('is refused: %s (400 naming where) and nothing is created or changed', async (_name, filter, field) => {
    const before = (await api.GET('/v1/webhooks')).data?.count;
    const reply = await raw.request('POST', '/v1/webhooks', { url: 'https://example.com/hook', filter });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('validation_error');
    expect(reply.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect((await api.GET('/v1/webhooks')).data?.count).toBe(before);

    const [first] = (await api.GET('/v1/webhooks')).data?.webhooks ?? [];
    const patched = await raw.request('PATCH', `/v1/webhooks/${first?.id}`, { filter });
    expect(patched.status).toBe(400);
    const after = await api.GET('/v1/webhooks/{id}', { params: { path: { id: first?.id ?? '' } } });
    expect(after.data?.webhook.filter).toEqual(first?.filter);
  });

  it('the message says what is wrong and where', async () => {
    const reply = await raw.request('POST', '/v1/webhooks', {
      url: 'https://example.com/hook',
      filter: { data: { amount: [{ numeric: ['>', '10000'] }] } },
    });
    expect(reply.body.error.message).toBe(
      'Invalid request body: filter.data.amount.0.numeric.1 must be a number.',
    );
    expect(reply.body.error.details).toEqual([
      { field: 'filter.data.amount.0.numeric.1', message: 'must be a number' },
    ]);
  });
});

describe('the documents show the filter', () => {
  it('in the OpenAPI document, requests and responses, with its limits', async () => {
    const doc = (await client(platform.apiUrl).request('GET', '/v1/openapi.json')).body;
    for (const method of ['post', 'put', 'patch']) {
      const path = method === 'post' ? '/v1/webhooks' : '/v1/webhooks/{id}';
      const op = doc.paths[path][method];
      const body = op.requestBody.content['application/json'].schema;
      expect(body.properties.filter.type).toEqual(['object', 'null']);
      expect(body.properties.filter.description).toContain('4,096 bytes');
      const reply = op.responses[method === 'post' ? '201' : '200'].content['application/json'].schema;
      expect(reply.properties.webhook.properties.filter.type).toBe('object');
    }
  });
});
