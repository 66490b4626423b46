import { DestinationGuard, parseAllowlist } from '@hookrelay/delivery';
import type { SigningSecret, StoredEvent, Tenant, Webhook } from '@hookrelay/domain';
import { awaitsVerification, ValidationError } from '@hookrelay/domain';
import { publicKeyOf } from '@hookrelay/signing';
import { describe, expect, it } from '@jest/globals';
import { createEvent, createEvents } from '../src/use-cases/events.js';
import { resendDelivery } from '../src/use-cases/resend-delivery.js';
import { createWebhook, MAX_WEBHOOKS_PER_TENANT } from '../src/use-cases/webhooks.js';
import { clock, MemoryEvents, recordingQueue, webhook } from './in-memory-ports.js';

// The use cases with in-memory ports: no network, no AWS.

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
    await expect(refused).rejects.toMatchObject({ kind: 'unavailable', code: 'service_unavailable' });
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
    expect(queue.sent.map((chunk) => chunk.length)).toEqual([10, 10, 4]);
    expect(events.stored.size).toBe(24);
  });

  it('takes an event id once per batch: a later copy is refused before anything is queued', async () => {
    const events = new MemoryEvents();
    const queue = recordingQueue();
    const items = [
      { id: 'twice', type: 'a.b', data: { copy: 1 } },
      { type: 'c.d', data: {} },
      { id: 'twice', type: 'c.d', data: { copy: 2 } },
      { id: 'twice', type: 'bad type!', data: {} },
    ];
    const result = await createEvents(
      {
        events,
        webhooks: { list: async () => [webhook('wh_ab', ['a.b']), webhook('wh_cd', ['c.d'])] },
        queue,
        clock,
      },
      { tenantId: 't', items, maxEventBytes: 1024 },
    );
    expect(result.results.map((r) => [r.index, r.status, r.error?.code])).toEqual([
      [0, 'PENDING', undefined],
      [1, 'PENDING', undefined],
      [2, 'REJECTED', 'duplicate_id'],
      [3, 'REJECTED', 'validation_error'],
    ]);
    expect(result.results[2]?.error?.message).toMatch(/twice.*item 0/);
    // One message per accepted event: the later copy never reaches the queue or the store.
    expect(queue.sent.flat().map((m) => [m.message.event_id, m.message.webhook_id])).toEqual([
      ['twice', 'wh_ab'],
      [expect.stringMatching(/^evt_/), 'wh_cd'],
    ]);
    expect(events.stored.get('twice')?.data).toEqual({ copy: 1 });
  });
});

const noTenant = { get: async () => undefined };
// The ports createWebhook is given: what it created and stored, in the order it did.
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

describe('createWebhook', () => {
  it('stores the secret and its signing key first, and shows the secret once and the public key', async () => {
    const p = ports('');
    const {
      webhook: made,
      secret,
      publicKey,
    } = await createWebhook(
      {
        webhooks: p.webhooks,
        secrets: p.secretsPort,
        clock,
        destinations: p.destinations,
        tenants: noTenant,
      },
      { tenantId: 't', body: { url: 'https://example.com/h', events: ['order.*'] } },
    );
    expect(secret).toMatch(/^whsec_/);
    expect(made).toMatchObject({ url: 'https://example.com/h', events: ['order.*'], active: true });
    expect(p.created).toHaveLength(1);
    const [stored] = p.secrets[0]?.[1] ?? [];
    expect(stored).toEqual({ secret, signing_key: expect.stringMatching(/^whsk_/) });
    expect(publicKey).toBe(publicKeyOf(stored?.signing_key ?? ''));
  });

  it('puts the challenge on every webhook of a tenant that requires it, whatever the body says', async () => {
    const p = ports('');
    const strict = {
      get: async (tenant_id: string) =>
        ({ tenant_id, status: 'active', plan: 'free', require_endpoint_verification: true }) as Tenant,
    };
    const { webhook: made } = await createWebhook(
      { webhooks: p.webhooks, secrets: p.secretsPort, clock, destinations: p.destinations, tenants: strict },
      { tenantId: 't', body: { url: 'https://example.com/h', verification: 'none' } },
    );
    expect(made).toMatchObject({ verification_required: true });
    expect(made.verification).toBeUndefined();
    expect(awaitsVerification(made)).toBe(true);
  });

  it.each(['http://[::1]/', 'http://169.254.169.254/latest', 'http://10.0.0.1'])(
    'refuses %s with an empty allow-list, before anything is stored',
    async (url) => {
      const p = ports('');
      await expect(
        createWebhook(
          {
            webhooks: p.webhooks,
            secrets: p.secretsPort,
            clock,
            destinations: p.destinations,
            tenants: noTenant,
          },
          { tenantId: 't', body: { url } },
        ),
      ).rejects.toThrow(ValidationError);
      expect(p.secrets).toEqual([]);
    },
  );
});

describe('createWebhook', () => {
  it('takes an allow-listed loopback receiver, and no more than the limit', async () => {
    const p = ports('127.0.0.0/8,::1/128');
    const deps = {
      webhooks: p.webhooks,
      secrets: p.secretsPort,
      clock,
      destinations: p.destinations,
      tenants: noTenant,
    };
    await createWebhook(deps, { tenantId: 't', body: { url: 'http://[::1]:3001/h' } });
    const full = ports(
      '',
      Array.from({ length: MAX_WEBHOOKS_PER_TENANT }, (_, i) => webhook(`wh_${i}`)),
    );
    await expect(
      createWebhook(
        {
          webhooks: full.webhooks,
          secrets: full.secretsPort,
          clock,
          destinations: full.destinations,
          tenants: noTenant,
        },
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
    // Asked again before attempt 3 is made: the same answer, and no second message.
    expect(await resendDelivery(ports, { tenantId: 't', eventId: 'evt_1', webhookId: 'wh_b' })).toMatchObject(
      { attempt: 3 },
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
