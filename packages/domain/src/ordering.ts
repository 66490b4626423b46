import { createHash } from 'node:crypto';
import type { Webhook } from './models.js';

/** The longest `ordering_key` an event may carry (characters). */
export const MAX_ORDERING_KEY_LENGTH = 256;

/** How a webhook takes events that carry an `ordering_key`. */
export const ORDERING_MODES = ['none', 'per_key'] as const;

/** What happens to a key's later deliveries once one of them is exhausted (FAILED). */
export const ON_EXHAUSTED_MODES = ['continue', 'pause'] as const;
export type OnExhausted = (typeof ON_EXHAUSTED_MODES)[number];

/** Whether a delivery of an event with this key to this webhook waits its turn in the key's line. */
export const isOrdered = (webhook: Pick<Webhook, 'ordering'>, orderingKey: string | undefined): boolean =>
  webhook.ordering === 'per_key' && orderingKey !== undefined && orderingKey.length > 0;

/**
 * The line a delivery waits in: one per (tenant, webhook, key). Hashed, so that any key of up
 * to MAX_ORDERING_KEY_LENGTH characters makes a valid SQS `MessageGroupId` (at most 128
 * alphanumerics and punctuation) and no key's text reaches the queue.
 *
 * @example
 * orderingGroupOf('acme', 'wh_1', 'customer-42') // 'og_3f1c…' (67 characters)
 */
export const orderingGroupOf = (tenantId: string, webhookId: string, orderingKey: string): string =>
  `og_${createHash('sha256').update(`${tenantId}\n${webhookId}\n${orderingKey}`).digest('hex')}`;
