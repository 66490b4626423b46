import {
  type Clock,
  type DeliveryQueue,
  type EventStore,
  iso,
  type WebhookStore,
  webhookMatches,
} from '@hookrelay/domain';
import type { OutboundEvents } from '@hookrelay/inbound';

/**
 * Forwarding: the same event the API's `POST /v1/events` creates — stored with one delivery
 * per matching active webhook, then enqueued. A message lost before the queue is the
 * sweeper's, as for any event.
 */
export class StoredOutboundEvents implements OutboundEvents {
  constructor(
    private readonly deps: {
      readonly events: EventStore;
      readonly webhooks: WebhookStore;
      readonly queue: DeliveryQueue;
      readonly clock: Clock;
    },
  ) {}

  async create(tenantId: string, event: { id: string; type: string; data: unknown }): Promise<boolean> {
    const webhooks = await this.deps.webhooks.list(tenantId);
    const targets = webhooks.filter((w) => webhookMatches(w, event.type)).map((w) => w.id);
    const created = await this.deps.events.create({
      tenant_id: tenantId,
      event_id: event.id,
      type: event.type,
      data: event.data,
      created_at: iso(this.deps.clock.now()),
      webhook_ids: targets,
    });
    if (!created) return false;
    if (targets.length > 0) {
      await this.deps.queue.send(
        targets.map((webhook_id) => ({
          message: { v: 1, tenant_id: tenantId, event_id: event.id, webhook_id, attempt: 1 },
          delaySeconds: 0,
        })),
      );
    }
    return true;
  }
}
