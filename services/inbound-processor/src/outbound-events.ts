import {
  type Clock,
  type DeliveryQueue,
  type EventStore,
  planEvent,
  publishEvent,
  type WebhookStore,
} from '@hookrelay/domain';
import type { OutboundEvents } from '@hookrelay/inbound';

/**
 * Forwarding: the same event the API's `POST /v1/events` creates, published the same way
 * (`publishEvent`: each delivery on its endpoint's lane or ordered line, messages first, the
 * event's write the commit). A refused send throws before anything is stored, and the request
 * is processed again.
 */
export class StoredOutboundEvents implements OutboundEvents {
  constructor(
    private readonly deps: {
      readonly events: Pick<EventStore, 'create'>;
      readonly webhooks: Pick<WebhookStore, 'list'>;
      readonly queue: Pick<DeliveryQueue, 'send'>;
      readonly clock: Clock;
    },
  ) {}

  async create(
    tenantId: string,
    event: { id: string; type: string; data: unknown; ordering_key?: string },
  ): Promise<boolean> {
    const plan = planEvent(tenantId, event, await this.deps.webhooks.list(tenantId), this.deps.clock.now());
    return publishEvent(this.deps, plan);
  }
}
