import type { NewEvent, Webhook } from '@hookrelay/domain';
import { describe, expect, it } from '@jest/globals';
import { type AttemptReport, type NoticeDeps, tellTenant } from '../../src/attempt/tell-tenant.js';

const hook = (id: string, events: string[], active = true): Webhook => ({
  id,
  tenant_id: 'acme',
  url: `https://user:pw@${id}.example.com/hooks`,
  events,
  active,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  delivery_success_count: 0,
  delivery_failure_count: 0,
});

/** In-memory ports that record what the use case did. */
const ports = (webhooks: Webhook[], failingClaim = true) => {
  const created: NewEvent[] = [];
  const sent: string[] = [];
  let lists = 0;
  let claims = 0;
  const deps: NoticeDeps = {
    events: {
      create: async (event) => {
        if (created.some((e) => e.event_id === event.event_id)) return false;
        created.push(event);
        return true;
      },
    },
    webhooks: {
      list: async () => {
        lists++;
        return webhooks;
      },
      claimFailingNotice: async () => {
        claims++;
        return failingClaim;
      },
    },
    queue: {
      send: async (messages) => {
        sent.push(...messages.map((m) => `${m.message.event_id}>${m.message.webhook_id}`));
      },
    },
    clock: { now: () => Date.parse('2026-06-01T00:00:00.000Z') },
  };
  return { deps, created, sent, counts: () => ({ lists, claims }) };
};

const report = (overrides: Partial<AttemptReport> = {}): AttemptReport => ({
  event: { event_id: 'evt_1', type: 'order.created' },
  webhook: { tenant_id: 'acme', id: 'wh_gone', url: 'https://user:pw@gone.example.com/x' },
  attempt: 1,
  at: '2026-06-01T00:00:00.000Z',
  result: { ok: false, status_code: 410 },
  exhausted: true,
  lastError: 'HTTP 410; the endpoint answered 410 Gone',
  disabled: 'the endpoint answered 410 Gone',
  ...overrides,
});

describe('tellTenant', () => {
  it('a 410 tells disabled, exhausted and failing to the webhooks that name them, reading the webhooks once', async () => {
    const all = ['hookrelay.endpoint.disabled', 'hookrelay.delivery.exhausted', 'hookrelay.endpoint.failing'];
    const { deps, created, sent, counts } = ports([
      hook('wh_gone', all),
      hook('wh_ops', all),
      hook('wh_disabled_only', ['hookrelay.endpoint.disabled']),
      hook('wh_everything', []),
      hook('wh_inactive', all, false),
    ]);
    await tellTenant(deps, report());
    expect(created.map((e) => [e.type, e.webhook_ids])).toEqual([
      ['hookrelay.endpoint.disabled', ['wh_ops', 'wh_disabled_only']],
      ['hookrelay.delivery.exhausted', ['wh_ops']],
      ['hookrelay.endpoint.failing', ['wh_ops']],
    ]);
    expect(created[0]?.data).toEqual({
      webhook_id: 'wh_gone',
      url: 'https://user:****@gone.example.com/x',
      reason: 'the endpoint answered 410 Gone',
      disabled_at: '2026-06-01T00:00:00.000Z',
      last_status_code: 410,
      last_error: 'HTTP 410; the endpoint answered 410 Gone',
    });
    expect(sent).toHaveLength(4);
    expect(counts()).toEqual({ lists: 1, claims: 1 });

    // Told again (a retried step), it is still the same events.
    await tellTenant(deps, report());
    expect(created).toHaveLength(3);
  });

  it('says nothing for a success, for a delivery of a platform event, or with no subscriber', async () => {
    const subscribed = ports([
      hook('wh_ops', ['hookrelay.endpoint.failing', 'hookrelay.delivery.exhausted']),
    ]);
    await tellTenant(subscribed.deps, report({ result: { ok: true, status_code: 200 } }));
    await tellTenant(
      subscribed.deps,
      report({ event: { event_id: 'evt_hr_1', type: 'hookrelay.delivery.exhausted' } }),
    );
    expect(subscribed.created).toEqual([]);
    expect(subscribed.counts()).toEqual({ lists: 0, claims: 0 });

    const nobody = ports([hook('wh_everything', [])]);
    await tellTenant(nobody.deps, report());
    expect(nobody.created).toEqual([]);
    // The hourly mark is not spent when nobody listens.
    expect(nobody.counts()).toEqual({ lists: 1, claims: 0 });
  });

  it('an open failing streak, or a notice within the hour, tells no "failing"', async () => {
    const streak = ports([hook('wh_ops', ['hookrelay.endpoint.failing'])]);
    await tellTenant(
      streak.deps,
      report({
        disabled: undefined,
        exhausted: false,
        webhook: {
          tenant_id: 'acme',
          id: 'wh_x',
          url: 'https://x.example.com',
          failing_since: '2026-05-31T00:00:00Z',
        },
      }),
    );
    expect(streak.created).toEqual([]);
    const quiet = ports([hook('wh_ops', ['hookrelay.endpoint.failing'])], false);
    await tellTenant(quiet.deps, report({ disabled: undefined, exhausted: false }));
    expect(quiet.created).toEqual([]);
    expect(quiet.counts().claims).toBe(1);
  });
});
