import {
  awaitsVerification,
  ConflictError,
  type EventStore,
  iso,
  laneOf,
  NotFoundError,
  type OperationalDeps,
  type WebhookStore,
} from '@hookrelay/domain';

type ResendPorts = Pick<OperationalDeps, 'queue' | 'clock'> & {
  readonly events: Pick<EventStore, 'get' | 'requestResend'>;
  readonly webhooks: Pick<WebhookStore, 'get'>;
};

interface ResendInput {
  readonly tenantId: string;
  readonly eventId: string;
  readonly webhookId: string;
}

/**
 * One more attempt of an event's delivery to one webhook, now, whatever the delivery's state:
 * a finished one (DELIVERED, FAILED, CANCELLED) is reopened with a fresh schedule; a PENDING
 * one is not left waiting for its next slot (the message already queued for that attempt then
 * finds it made, and is skipped). Resending again before that attempt is made queues nothing
 * more: one attempt, one request to the endpoint. The worker makes and records the attempt like any other,
 * with the same `webhook-id` (the event id); if it fails, the schedule goes on from there.
 *
 * @example resendDelivery({ events, webhooks, queue, clock }, { tenantId, eventId, webhookId })
 */
export const resendDelivery = async (ports: ResendPorts, input: ResendInput) => {
  const { tenantId, eventId, webhookId } = input;
  const event = await ports.events.get(tenantId, eventId);
  if (!event) throw new NotFoundError('event', eventId);
  const delivery = event.deliveries[webhookId];
  if (!delivery) {
    throw new NotFoundError(`delivery of event ${eventId} to webhook`, webhookId);
  }
  const webhook = await ports.webhooks.get(tenantId, webhookId);
  if (!webhook) throw new NotFoundError('webhook', webhookId);
  if (!webhook.active) {
    throw new ConflictError(
      `Webhook ${webhookId} is disabled; enable it before resending to it.`,
      'webhook_disabled',
    );
  }
  if (awaitsVerification(webhook)) {
    throw new ConflictError(
      `Webhook ${webhookId} has not answered its ownership challenge; verify it before resending to it.`,
      'webhook_unverified',
    );
  }
  const asked = await ports.events.requestResend(tenantId, eventId, webhookId, iso(ports.clock.now()));
  if (!asked) throw new NotFoundError(`delivery of event ${eventId} to webhook`, webhookId);
  const { attempt } = asked;
  // Asked for already (a double click, a client's retry, a concurrent resend): its message is on
  // its way, and a second one would reach the endpoint twice for one attempt.
  if (asked.queued) {
    await ports.queue.send([
      {
        message: { v: 1, tenant_id: tenantId, event_id: eventId, webhook_id: webhookId, attempt },
        delaySeconds: 0,
        lane: laneOf(webhook),
      },
    ]);
  }
  return { event_id: eventId, webhook_id: webhookId, status: 'PENDING' as const, attempt };
};
