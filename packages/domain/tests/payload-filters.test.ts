import { describe, expect, it } from '@jest/globals';
import {
  filterProblems,
  MAX_FILTER_BYTES,
  type NewEvent,
  notifyTenant,
  type TargetedEvent,
  targetsOf,
  type Webhook,
  webhookMatches,
} from '../src/index.js';

const webhook = (id: string, fields: Partial<Webhook> = {}): Webhook => ({
  id,
  tenant_id: 'acme',
  url: 'https://example.com/hook',
  events: [],
  active: true,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  delivery_success_count: 0,
  delivery_failure_count: 0,
  ...fields,
});

const bigEuro: TargetedEvent = {
  type: 'invoice.paid',
  id: 'evt_1',
  data: { amount: 12000, currency: 'eur' },
};
const smallEuro: TargetedEvent = { ...bigEuro, data: { amount: 50, currency: 'eur' } };
const bigDollar: TargetedEvent = { ...bigEuro, data: { amount: 12000, currency: 'usd' } };
const issueFilter = { data: { amount: [{ numeric: ['>', 10000] }], currency: ['eur'] } };

describe('a webhook with a filter gets only the events it matches', () => {
  it('the issue’s example: invoice.paid where data.amount > 10000 and data.currency is eur', () => {
    const w = webhook('wh_1', { events: ['invoice.paid'], filter: issueFilter });
    expect(webhookMatches(w, bigEuro)).toBe(true);
    expect(webhookMatches(w, smallEuro)).toBe(false);
    expect(webhookMatches(w, bigDollar)).toBe(false);
    expect(webhookMatches(w, { ...bigEuro, type: 'invoice.created' })).toBe(false);
  });

  it('the filter sees the event as {type, id, data}', () => {
    const byType = webhook('wh_t', { filter: { type: [{ prefix: 'invoice.' }] } });
    const byId = webhook('wh_i', { filter: { id: [{ prefix: 'evt_' }] } });
    expect(webhookMatches(byType, bigEuro)).toBe(true);
    expect(webhookMatches(byId, bigEuro)).toBe(true);
    expect(webhookMatches(byId, { ...bigEuro, id: 'order-7' })).toBe(false);
  });

  it('a filter does not open a paused webhook, nor the platform’s own types to a webhook not naming them', () => {
    expect(webhookMatches(webhook('wh_p', { active: false, filter: issueFilter }), bigEuro)).toBe(false);
    const any = webhook('wh_a', { filter: { type: [{ prefix: 'hookrelay.' }] } });
    expect(webhookMatches(any, { type: 'hookrelay.endpoint.disabled', id: 'evt_hr', data: {} })).toBe(false);
  });

  it('targetsOf lists the matching webhooks in order', () => {
    const hooks = [
      webhook('wh_all'),
      webhook('wh_big', { filter: issueFilter }),
      webhook('wh_usd', { filter: { data: { currency: ['usd'] } } }),
    ];
    expect(targetsOf(hooks, bigEuro)).toEqual(['wh_all', 'wh_big']);
    expect(targetsOf(hooks, smallEuro)).toEqual(['wh_all']);
    expect(targetsOf(hooks, bigDollar)).toEqual(['wh_all', 'wh_usd']);
  });

  it('a webhook without a filter never reads the event’s data or id', () => {
    const untouchable = {
      type: 'invoice.paid',
      get id(): string {
        throw new Error('id read');
      },
      get data(): unknown {
        throw new Error('data read');
      },
    };
    expect(targetsOf([webhook('wh_1'), webhook('wh_2', { events: ['invoice.*'] })], untouchable)).toEqual([
      'wh_1',
      'wh_2',
    ]);
  });
});

describe('the platform’s notices are filtered like any event', () => {
  it('a webhook naming hookrelay.endpoint.disabled with a filter hears only of what matches', async () => {
    const stored: NewEvent[] = [];
    const deps = {
      events: {
        create: async (e: NewEvent) => {
          stored.push(e);
          return true;
        },
      },
      webhooks: {
        list: async () => [
          webhook('wh_gone'),
          webhook('wh_ops', {
            events: ['hookrelay.endpoint.disabled'],
            filter: { data: { reason: [{ prefix: 'the endpoint answered 410' }] } },
          }),
          webhook('wh_all_ops', { events: ['hookrelay.*'] }),
        ],
      },
      queue: { send: async () => undefined },
      clock: { now: () => Date.UTC(2026, 0, 1) },
    };
    const tell = (reason: string) =>
      notifyTenant(deps, 'acme', {
        type: 'hookrelay.endpoint.disabled',
        webhook_id: 'wh_gone',
        occasion: reason,
        data: { webhook_id: 'wh_gone', reason },
      });
    await tell('the endpoint answered 410 Gone');
    await tell('failing for 5 days');
    expect(stored.map((e) => e.webhook_ids)).toEqual([['wh_ops', 'wh_all_ops'], ['wh_all_ops']]);
  });
});

describe('filterProblems', () => {
  it('takes a well-formed filter', () => {
    expect(filterProblems(issueFilter)).toEqual([]);
  });

  it('names the path of each problem under filter', () => {
    expect(filterProblems({ data: { amount: [{ numeric: ['>', '10000'] }] } })).toEqual([
      { field: 'filter.data.amount.0.numeric.1', message: 'must be a number' },
    ]);
  });

  it('says a field of the payload belongs under data', () => {
    expect(filterProblems({ amount: [1] })).toEqual([
      { field: 'filter.amount', message: 'is not a field of the event, which has only type, id, data' },
    ]);
  });

  it(`refuses more than ${MAX_FILTER_BYTES} bytes as JSON, counting bytes, not characters`, () => {
    const sized = (chars: string, n: number) => ({ data: { s: [chars.repeat(n)] } });
    const overhead = JSON.stringify(sized('', 0)).length;
    expect(filterProblems(sized('a', MAX_FILTER_BYTES - overhead))).toEqual([]);
    // Half as many characters, each two bytes in UTF-8: one byte over.
    const n = (MAX_FILTER_BYTES - overhead + 1) / 2;
    expect(Number.isInteger(n)).toBe(true);
    expect(filterProblems(sized('é', n))).toEqual([
      {
        field: 'filter',
        message: `takes ${MAX_FILTER_BYTES + 1} bytes as JSON, more than the 4096 a filter may take`,
      },
    ]);
  });

  it('refuses more than ten wildcards', () => {
    const wildcards = (n: number) => ({
      data: { name: Array.from({ length: n }, (_, i) => ({ wildcard: `*${i}*` })) },
    });
    expect(filterProblems(wildcards(10))).toEqual([]);
    expect(filterProblems(wildcards(11))).toEqual([
      { field: 'filter.data.name.10.wildcard', message: 'is a wildcard more than the 10 a pattern may hold' },
    ]);
  });

  it('refuses nesting deeper than ten levels (the filter is level 1, data level 2)', () => {
    const nested = (levels: number) => {
      let deep: Record<string, unknown> = { x: ['y'] };
      for (let i = 0; i < levels; i++) deep = { n: deep };
      return { data: deep };
    };
    expect(filterProblems(nested(8))).toEqual([]);
    expect(filterProblems(nested(9))).toEqual([
      { field: 'filter.data.n.n.n.n.n.n.n.n.n', message: 'nests deeper than 10 levels' },
    ]);
  });
});
