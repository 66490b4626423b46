import { DestinationGuard, parseAllowlist } from '@hookrelay/delivery';
import type {
  Attempt,
  AttemptPage,
  Delivery,
  DeliveryQueue,
  DeliveryStatus,
  NewEvent,
  SigningSecret,
  StoredEvent,
  Webhook,
} from '@hookrelay/domain';
import { ValidationError } from '@hookrelay/domain';
import { describe, expect, it } from '@jest/globals';
import { createEvent, createEvents } from '../src/use-cases/events.js';
import { resendDelivery } from '../src/use-cases/resend-delivery.js';
import { tenantStats } from '../src/use-cases/stats.js';
import { createWebhook, MAX_WEBHOOKS_PER_TENANT } from '../src/use-cases/webhooks.js';

// The use cases with in-memory ports: no network, no AWS.

const NOW = Date.parse('2026-01-01T00:00:00.000Z');
const clock = { now: () => NOW };

const webhook = (id: string, events: string[] = [], extra: Partial<Webhook> = {}): Webhook => ({
  id,
  tenant_id: 't',
  url: `https://example.com/${id}`,
  events,
  active: true,
  created_at: '2025-12-01T00:00:00.000Z',
  updated_at: '2025-12-01T00:00:00.000Z',
  delivery_success_count: 0,
  delivery_failure_count: 0,
  ...extra,
});

class MemoryEvents {
  readonly stored = new Map<string, StoredEvent>();
  async create(e: NewEvent): Promise<boolean> {
    if (this.stored.has(e.event_id)) return false;
    const deliveries: Record<string, Delivery> = Object.fromEntries(
      e.webhook_ids.map((id) => [
        id,
        { webhook_id: id, status: 'PENDING', attempt_count: 0, round_attempts: 0, updated_at: e.created_at },
      ]),
    );
    this.stored.set(e.event_id, {
      tenant_id: e.tenant_id,
      event_id: e.event_id,
      type: e.type,
      data: e.data,
      status: 'PENDING',
      created_at: e.created_at,
      updated_at: e.created_at,
      deliveries,
    });
    return true;
  }
  async get(_t: string, id: string) {
    return this.stored.get(id);
  }
  async reopen(_t: string, id: string, from: DeliveryStatus, now: string, ids?: readonly string[]) {
    const event = this.stored.get(id);
    if (!event) return [];
    const moved = Object.values(event.deliveries)
      .filter((d) => d.status === from && (!ids || ids.includes(d.webhook_id)))
      .map((d) => ({ ...d, status: 'PENDING' as const, round_attempts: 0, updated_at: now }));
    for (const d of moved) (event.deliveries as Record<string, Delivery>)[d.webhook_id] = d;
    return moved;
  }
}

type Outgoing = Parameters<DeliveryQueue['send']>[0][number];

const recordingQueue = (fail = false) => {
  const sent: Outgoing[][] = [];
  return {
    sent,
    send: async (messages: readonly Outgoing[]) => {
      if (fail) throw new Error('queue down');
      sent.push([...messages]);
    },
  };
};

describe('createEvent', () => {
  it('stores the event with a delivery per matching webhook (wildcards too) and enqueues them', async () => {
    const events = new MemoryEvents();
    const queue = recordingQueue();
    const hooks = [webhook('wh_all'), webhook('wh_orders', ['order.*']), webhook('wh_inv', ['invoice.paid'])];
    const accepted = await createEvent(
      { events, webhooks: { list: async () => hooks }, queue, clock },
      { tenantId: 't', event: { type: 'order.paid', data: { n: 1 } } },
    );
    expect(accepted).toMatchObject({ type: 'order.paid', status: 'PENDING', deliveries: 2 });
    expect(Object.keys(events.stored.get(accepted.event_id)?.deliveries ?? {}).sort()).toEqual([
      'wh_all',
      'wh_orders',
    ]);
    expect(queue.sent.flat().map((m) => [m.message.webhook_id, m.message.attempt])).toEqual([
      ['wh_all', 1],
      ['wh_orders', 1],
    ]);
  });

  it('refuses the event when the queue refuses (503, nothing stored) and says so in a warning', async () => {
    const warnings: string[] = [];
    const events = new MemoryEvents();
    const refused = createEvent(
      {
        events,
        webhooks: { list: async () => [webhook('wh_a')] },
        queue: recordingQueue(true),
        clock,
        log: { warn: (m) => warnings.push(m) },
      },
      { tenantId: 't', event: { type: 'a.b', data: {}, id: 'evt_refused' } },
    );
    await expect(refused).rejects.toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(events.stored.size).toBe(0);
    expect(warnings).toHaveLength(1);
  });
});

describe('createEvents', () => {
  it('judges each item on its own and sends the messages ten per request', async () => {
    const events = new MemoryEvents();
    const queue = recordingQueue();
    const items = [
      ...Array.from({ length: 23 }, (_, i) => ({ type: 'a.b', data: { i } })),
      { type: 'bad type!', data: {} },
      { type: 'hookrelay.endpoint.disabled', data: {} },
      { id: 'same', type: 'a.b', data: {} },
      { id: 'same', type: 'a.b', data: {} },
    ];
    const result = await createEvents(
      { events, webhooks: { list: async () => [webhook('wh_a')] }, queue, clock },
      { tenantId: 't', items, maxEventBytes: 1024 },
    );
    expect(result).toMatchObject({ accepted: 24, rejected: 3 });
    expect(result.results.map((r) => r.index)).toEqual(items.map((_, i) => i));
    // Messages go out before the writes: the second `same` is refused only at its write, and
    // its message finds the first one's event (one delivery, attempt 1 claimed once).
    expect(queue.sent.map((chunk) => chunk.length)).toEqual([10, 10, 5]);
    expect(events.stored.size).toBe(24);
  });
});

describe('createWebhook', () => {
  const ports = (allowlist: string, existing: Webhook[] = []) => {
    const created: Webhook[] = [];
    const secrets: [string, readonly SigningSecret[]][] = [];
    return {
      created,
      secrets,
      webhooks: {
        list: async () => existing,
        create: async (w: Webhook) => {
          // The secret is there before the webhook.
          expect(secrets.map(([id]) => id)).toContain(w.id);
          created.push(w);
        },
      },
      secretsPort: {
        put: async (_t: string, id: string, s: readonly SigningSecret[]) => {
          secrets.push([id, s]);
        },
      },
      destinations: new DestinationGuard(parseAllowlist(allowlist)),
    };
  };

  it('stores the secret first and shows it once', async () => {
    const p = ports('');
    const { webhook: made, secret } = await createWebhook(
      { webhooks: p.webhooks, secrets: p.secretsPort, clock, destinations: p.destinations },
      { tenantId: 't', body: { url: 'https://example.com/h', events: ['order.*'] } },
    );
    expect(secret).toMatch(/^whsec_/);
    expect(made).toMatchObject({ url: 'https://example.com/h', events: ['order.*'], active: true });
    expect(p.created).toHaveLength(1);
  });

  it.each(['http://[::1]/', 'http://169.254.169.254/latest', 'http://10.0.0.1'])(
    'refuses %s with an empty allow-list, before anything is stored',
    async (url) => {
      const p = ports('');
      await expect(
        createWebhook(
          { webhooks: p.webhooks, secrets: p.secretsPort, clock, destinations: p.destinations },
          { tenantId: 't', body: { url } },
        ),
      ).rejects.toThrow(ValidationError);
      expect(p.secrets).toEqual([]);
    },
  );

  it('takes an allow-listed loopback receiver, and no more than the limit', async () => {
    const p = ports('127.0.0.0/8,::1/128');
    const deps = { webhooks: p.webhooks, secrets: p.secretsPort, clock, destinations: p.destinations };
    await createWebhook(deps, { tenantId: 't', body: { url: 'http://[::1]:3001/h' } });
    const full = ports(
      '',
      Array.from({ length: MAX_WEBHOOKS_PER_TENANT }, (_, i) => webhook(`wh_${i}`)),
    );
    await expect(
      createWebhook(
        { webhooks: full.webhooks, secrets: full.secretsPort, clock, destinations: full.destinations },
        { tenantId: 't', body: { url: 'https://example.com' } },
      ),
    ).rejects.toThrow(/at most 50/);
  });
});

describe('resendDelivery', () => {
  it('reopens a DELIVERED delivery and asks for the next attempt now; a PENDING one is not reopened', async () => {
    const events = new MemoryEvents();
    await events.create({
      tenant_id: 't',
      event_id: 'evt_1',
      type: 'a.b',
      data: {},
      created_at: '2026-01-01T00:00:00.000Z',
      webhook_ids: ['wh_a', 'wh_b'],
    });
    const stored = events.stored.get('evt_1') as StoredEvent;
    Object.assign(stored.deliveries, {
      wh_a: { ...stored.deliveries.wh_a, status: 'DELIVERED', attempt_count: 1 },
      wh_b: { ...stored.deliveries.wh_b, attempt_count: 2, round_attempts: 2 },
    });
    const queue = recordingQueue();
    const ports = { events, webhooks: { get: async (_t: string, id: string) => webhook(id) }, queue, clock };
    expect(await resendDelivery(ports, { tenantId: 't', eventId: 'evt_1', webhookId: 'wh_a' })).toMatchObject(
      {
        attempt: 2,
      },
    );
    expect(stored.deliveries.wh_a?.status).toBe('PENDING');
    expect(await resendDelivery(ports, { tenantId: 't', eventId: 'evt_1', webhookId: 'wh_b' })).toMatchObject(
      {
        attempt: 3,
      },
    );
    expect(queue.sent.flat().map((m) => [m.message.webhook_id, m.message.attempt])).toEqual([
      ['wh_a', 2],
      ['wh_b', 3],
    ]);
    await expect(
      resendDelivery(ports, { tenantId: 't', eventId: 'evt_1', webhookId: 'wh_c' }),
    ).rejects.toThrow(/No delivery/);
  });
});

/** The ports `tenantStats` reads, over these webhooks' attempts (newest first, paged). */
const statsPortsFor = (hooks: Webhook[], attempts: readonly Attempt[]) => ({
  clock,
  webhooks: { list: async () => hooks },
  events: {
    countByStatus: async () => ({ PENDING: 0, DELIVERED: 0, FAILED: 0, CANCELLED: 0 }),
    attemptsByWebhook: async (
      _t: string,
      id: string,
      limit: number,
      cursor?: string,
    ): Promise<AttemptPage> => {
      const own = attempts.filter((a) => a.webhook_id === id);
      const from = Number(cursor ?? 0);
      return {
        attempts: own.slice(from, from + limit),
        next_cursor: from + limit < own.length ? String(from + limit) : null,
      };
    },
  },
});

describe('tenantStats', () => {
  it('counts every attempt of a busy window: 4,973 older failures behind 10,000 successes', async () => {
    // A flaky endpoint's soak: the newest 10,000 attempts succeeded, the 4,973 before them in
    // the same hour failed. Reading only the newest 10,000 made the rate 1.
    const attempts: Attempt[] = Array.from({ length: 14_973 }, (_, i) => ({
      event_id: `evt_${i}`,
      webhook_id: 'wh_flaky',
      attempt: 1,
      attempted_at: new Date(NOW - 1000 - i * 100).toISOString(),
      duration_ms: 100,
      outcome: i < 10_000 ? 'success' : 'failure',
    }));
    const stats = await tenantStats(statsPortsFor([webhook('wh_flaky')], attempts), {
      tenantId: 't',
      window: '1h',
    });
    expect(stats.attempts).toEqual({ total: 14_973, succeeded: 10_000, failed: 4_973, complete: true });
    expect(stats.success_rate).toBeCloseTo(10_000 / 14_973, 10);
  });

  it('reads every attempt of the window across pages and computes the rate over them', async () => {
    const attempts: Attempt[] = Array.from({ length: 250 }, (_, i) => ({
      event_id: `evt_${i}`,
      webhook_id: 'wh_a',
      attempt: 1,
      attempted_at: new Date(NOW - 1000 - i).toISOString(),
      duration_ms: i,
      outcome: i % 5 === 0 ? 'failure' : 'success',
    }));
    const stats = await tenantStats(
      {
        clock,
        webhooks: { list: async () => [webhook('wh_a')] },
        events: {
          countByStatus: async () => ({ PENDING: 1, DELIVERED: 2, FAILED: 0, CANCELLED: 1 }),
          attemptsByWebhook: async (_t, _w, limit, cursor): Promise<AttemptPage> => {
            const from = Number(cursor ?? 0);
            const page = attempts.slice(from, from + limit);
            return {
              attempts: page,
              next_cursor: from + limit < attempts.length ? String(from + limit) : null,
            };
          },
        },
      },
      { tenantId: 't', window: '1h' },
    );
    expect(stats.attempts).toEqual({ total: 250, succeeded: 200, failed: 50, complete: true });
    expect(stats.success_rate).toBe(0.8);
    expect(stats.attempt_latency_ms).toMatchObject({ sample: 250, p50: 125 });
    expect(stats).toMatchObject({
      since: '2025-12-31T23:00:00.000Z',
      until: '2026-01-01T00:00:00.000Z',
      total: 4,
    });
  });
});
