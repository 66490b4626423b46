import type {
  Delivery,
  DeliveryQueue,
  DeliveryStatus,
  NewEvent,
  StoredEvent,
  Webhook,
} from '@hookrelay/domain';

// In-memory ports for the use cases' tests: no network, no AWS.

export const NOW = Date.parse('2026-01-01T00:00:00.000Z');
export const clock = { now: () => NOW };

export const webhook = (id: string, events: string[] = [], extra: Partial<Webhook> = {}): Webhook => ({
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

export class MemoryEvents {
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
  async requestResend(_t: string, id: string, webhookId: string, now: string) {
    const d = this.stored.get(id)?.deliveries[webhookId];
    if (!d) return undefined;
    const attempt = d.attempt_count + 1;
    if (d.status === 'PENDING' && d.resend_attempt === attempt) return { attempt, queued: false };
    const moved = { ...d, status: 'PENDING' as const, updated_at: now, resend_attempt: attempt };
    (this.stored.get(id)?.deliveries as Record<string, Delivery>)[webhookId] = moved;
    return { attempt, queued: true };
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

export const recordingQueue = (fail = false) => {
  const sent: Outgoing[][] = [];
  return {
    sent,
    send: async (messages: readonly Outgoing[]) => {
      if (fail) throw new Error('queue down');
      sent.push([...messages]);
    },
  };
};
