import {
  type Clock,
  type DeliveryQueue,
  EVENT_COMMIT_WINDOW_MS,
  type EventStore,
  iso,
  targetsOf,
  type WebhookStore,
} from '@hookrelay/domain';
import type { OutboundEvents } from '@hookrelay/inbound';

/**
 * Forwarding: the same event the API's `POST /v1/events` creates — its messages enqueued, then
 * the event stored with one delivery per matching active webhook, filters applied (the write is
 * the commit). A
 * refused send throws before anything is stored, and the request is processed again.
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
    const targets = targetsOf(webhooks, event);
    const nowMs = this.deps.clock.now();
    if (targets.length > 0) {
      await this.deps.queue.send(
        targets.map((webhook_id) => ({
          message: {
            v: 1,
            tenant_id: tenantId,
            event_id: event.id,
            webhook_id,
            attempt: 1,
            commit_by: nowMs + EVENT_COMMIT_WINDOW_MS,
          },
          delaySeconds: 0,
        })),
      );
    }
    return this.deps.events.create({
      tenant_id: tenantId,
      event_id: event.id,
      type: event.type,
      data: event.data,
      created_at: iso(nowMs),
      webhook_ids: targets,
    });
  }
}
