import { matchesPattern } from '@hookrelay/event-patterns';
import { awaitsVerification, isReservedType, typeFilterMatches, type Webhook } from './models.js';

/** An event as it is accepted, the shape a webhook's filter is matched against. */
export interface TargetedEvent {
  readonly type: string;
  readonly id: string;
  readonly data: unknown;
}

/**
 * Whether a webhook gets an event: an active webhook whose `events` cover the type (no list:
 * every type except the platform's own, `hookrelay.*`, which go only to webhooks naming them by
 * name or a `hookrelay.` pattern) and whose `filter`, when it has one, matches the event. A
 * webhook that has still to answer its ownership challenge (its own choice or its tenant's
 * requirement) gets nothing. A webhook without a
 * filter costs a property read, nothing more.
 *
 * @example
 * webhookMatches({ active: true, events: ['invoice.*'], filter: { data: { currency: ['eur'] } } },
 *   { type: 'invoice.paid', id: 'evt_1', data: { currency: 'eur' } }) // true
 */
export const webhookMatches = (
  webhook: Pick<
    Webhook,
    'active' | 'events' | 'filter' | 'verification' | 'verification_required' | 'verified_url' | 'url'
  >,
  event: TargetedEvent,
): boolean => {
  if (!webhook.active || awaitsVerification(webhook)) return false;
  const named = webhook.events ?? [];
  const typed =
    named.length === 0 ? !isReservedType(event.type) : named.some((f) => typeFilterMatches(f, event.type));
  return typed && (webhook.filter === undefined || matchesPattern(webhook.filter, event));
};

/**
 * The ids of the webhooks an event goes to, decided once, when it is accepted: every producer
 * (the API, inbound forwarding, the platform's own notices) fans out through here.
 */
export const targetsOf = (webhooks: readonly Webhook[], event: TargetedEvent): string[] => {
  const ids: string[] = [];
  for (const webhook of webhooks) if (webhookMatches(webhook, event)) ids.push(webhook.id);
  return ids;
};
