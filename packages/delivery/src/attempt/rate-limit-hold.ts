import type { DeliveryMessage, Lane, RateLimiter, Webhook } from '@hookrelay/domain';
import { type HandBackPorts, listWaiting } from './hand-back.js';

type Limited = Pick<Webhook, 'tenant_id' | 'id' | 'rate_limit'>;

/**
 * How long a delivery must wait for its webhook's `rate_limit` (0: it may go now), taking a
 * place in the current second when it may. A webhook without a limit costs nothing here: no
 * read, no write.
 *
 * @example await rateLimitWait({ rateLimiter }, { tenant_id: 'acme', id: 'wh_1', rate_limit: 5 }, Date.now()) // 0 or ms
 */
export const rateLimitWait = async (
  deps: { readonly rateLimiter?: RateLimiter },
  webhook: Limited,
  nowMs: number,
): Promise<number> => {
  if (webhook.rate_limit === undefined || !deps.rateLimiter) return 0;
  return deps.rateLimiter.take(webhook.tenant_id, webhook.id, webhook.rate_limit, nowMs);
};

/**
 * Holds a delivery back while its webhook's `rate_limit` is used up for the current second:
 * the same message goes back on the queue for the next second (SQS delays count in whole
 * seconds), no attempt is made or counted, and nothing about the delivery changes. Returns the
 * wait, or 0 to go on.
 *
 * @example if ((await holdForRateLimit(deps, webhook, msg, now, 'main', true)) > 0) return;
 */
export const holdForRateLimit = async (
  deps: Pick<HandBackPorts, 'queue' | 'events'> & { readonly rateLimiter?: RateLimiter },
  webhook: Limited,
  msg: DeliveryMessage,
  nowMs: number,
  lane: Lane = 'main',
  unattempted = false,
): Promise<number> => {
  const wait = await rateLimitWait(deps, webhook, nowMs);
  if (wait <= 0) return 0;
  // A delivery never attempted is listed as PENDING the first time it is held.
  const again = unattempted ? await listWaiting(deps, msg) : msg;
  await deps.queue.send([{ message: again, delaySeconds: Math.max(1, Math.ceil(wait / 1000)), lane }]);
  return wait;
};
