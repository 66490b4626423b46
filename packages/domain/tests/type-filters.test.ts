import { describe, expect, it } from '@jest/globals';
import {
  TYPE_FILTER_PATTERN,
  targetsOf,
  typeFilterMatches,
  type Webhook,
  webhookMatches,
} from '../src/index.js';

describe('type filters', () => {
  it.each([
    ['order.*', 'order.paid', true],
    ['order.*', 'order.refund.created', true],
    ['order.*', 'order', false],
    ['order.*', 'orders.paid', false],
    ['order*', 'orders.paid', true],
    ['*', 'anything.at.all', true],
    ['*', 'hookrelay.endpoint.disabled', false],
    ['hook*', 'hookrelay.endpoint.disabled', false],
    ['hookrelay.*', 'hookrelay.endpoint.disabled', true],
    ['hookrelay.endpoint.*', 'hookrelay.delivery.exhausted', false],
    ['invoice.paid', 'invoice.paid', true],
    ['invoice.paid', 'invoice.paid.late', false],
  ])('%s covers %s: %s', (filter, type, expected) => {
    expect(typeFilterMatches(filter, type)).toBe(expected);
  });

  it('accepts one trailing wildcard only', () => {
    for (const good of ['order.*', '*', 'a', 'a.b:c-d_e*']) expect(TYPE_FILTER_PATTERN.test(good)).toBe(true);
    for (const bad of ['order.*.paid', '*order', 'or*der', 'order.**', '', `${'a'.repeat(128)}*`])
      expect(TYPE_FILTER_PATTERN.test(bad)).toBe(false);
  });

  it('a webhook without a list gets every type but the platform own', () => {
    const url = 'https://shop.example.com/hooks';
    const of = (type: string) => ({ type, id: 'evt_1', data: {} });
    expect(webhookMatches({ url, active: true, events: [] }, of('order.paid'))).toBe(true);
    expect(webhookMatches({ url, active: true, events: [] }, of('hookrelay.endpoint.failing'))).toBe(false);
    expect(webhookMatches({ url, active: false, events: ['order.*'] }, of('order.paid'))).toBe(false);
    expect(webhookMatches({ url, active: true, events: ['order.*'] }, of('order.paid'))).toBe(true);
  });

  it('a webhook that has not answered its ownership challenge for its current URL gets nothing', () => {
    const url = 'https://shop.example.com/hooks';
    const of = (type: string) => ({ type, id: 'evt_1', data: {} });
    const challenged = { url, active: true, events: [], verification: 'challenge' } as const;
    expect(webhookMatches(challenged, of('order.paid'))).toBe(false);
    expect(webhookMatches({ ...challenged, verified_url: url }, of('order.paid'))).toBe(true);
    expect(
      webhookMatches({ ...challenged, verified_url: 'https://old.example.com/hooks' }, of('order.paid')),
    ).toBe(false);
    expect(webhookMatches({ ...challenged, verified_url: url, active: false }, of('order.paid'))).toBe(false);
  });

  it('a webhook its tenant requires the challenge of gets nothing until it answers, whatever it chose', () => {
    const url = 'https://shop.example.com/hooks';
    const of = (type: string) => ({ type, id: 'evt_1', data: {} });
    const required = { url, active: true, events: [], verification_required: true } as const;
    expect(webhookMatches(required, of('order.paid'))).toBe(false);
    expect(targetsOf([{ ...required, id: 'wh_1' } as unknown as Webhook], of('order.paid'))).toEqual([]);
    expect(webhookMatches({ ...required, verified_url: url }, of('order.paid'))).toBe(true);
    expect(
      webhookMatches({ ...required, verified_url: 'https://old.example.com/hooks' }, of('order.paid')),
    ).toBe(false);
  });
});
