import type { DeliveryQueue, NewEvent, Webhook } from '@hookrelay/domain';
import { StoredOutboundEvents } from '../src/outbound-events.js';

const webhook = (id: string, extra: Partial<Webhook> = {}): Webhook => ({
  id,
  tenant_id: 'acme',
  url: `https://example.com/${id}`,
  active: true,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  delivery_success_count: 0,
  delivery_failure_count: 0,
  ...extra,
});

const harness = (webhooks: Webhook[]) => {
  const sent: Parameters<DeliveryQueue['send']>[0][number][] = [];
  const created: NewEvent[] = [];
  const outbound = new StoredOutboundEvents({
    events: {
      create: async (event) => {
        created.push(event);
        return true;
      },
    },
    webhooks: { list: async () => webhooks },
    queue: {
      send: async (messages) => {
        sent.push(...messages);
      },
    },
    clock: { now: () => Date.parse('2026-12-06T10:00:00.000Z') },
  });
  return { outbound, sent, created };
};

describe('forwarding an inbound request as an outbound event', () => {
  it('queues a quarantined endpoint’s delivery on the slow lane, as POST /v1/events does', async () => {
    const { outbound, sent } = harness([webhook('wh_quick'), webhook('wh_slow', { lane: 'slow' })]);
    await outbound.create('acme', { id: 'evt_fwd_1', type: 'stripe.charge.succeeded', data: { a: 1 } });
    const laneOf = (id: string) => sent.find((m) => m.message.webhook_id === id)?.lane ?? 'main';
    expect(laneOf('wh_quick')).toBe('main');
    expect(laneOf('wh_slow')).toBe('slow');
  });

  it('sends the messages before it writes the event (the write is the commit)', async () => {
    const order: string[] = [];
    const outbound = new StoredOutboundEvents({
      events: {
        create: async () => {
          order.push('write');
          return true;
        },
      },
      webhooks: { list: async () => [webhook('wh_1')] },
      queue: {
        send: async () => {
          order.push('send');
        },
      },
      clock: { now: () => 0 },
    });
    await outbound.create('acme', { id: 'evt_fwd_2', type: 'github.push', data: {} });
    expect(order).toEqual(['send', 'write']);
  });

  it('puts an ordered webhook’s delivery of a keyed event in its key’s line', async () => {
    const { outbound, sent, created } = harness([webhook('wh_ordered', { ordering: 'per_key' })]);
    await outbound.create('acme', {
      id: 'evt_fwd_3',
      type: 'shopify.orders/create',
      data: {},
      ordering_key: 'o-1',
    });
    expect(sent[0]?.group).toMatch(/^og_[0-9a-f]{64}$/);
    expect(created[0]?.ordering_key).toBe('o-1');
  });
});
