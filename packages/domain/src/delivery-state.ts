import type { Delivery, EventStatus } from './models.js';
import type { OutcomeTally } from './ports.js';

/**
 * An event's status from its deliveries: PENDING while any is; otherwise FAILED if any
 * failed; DELIVERED if every one was delivered (an event that matched no webhook has nothing
 * left to do and is DELIVERED); else CANCELLED: some webhook never got it because its
 * delivery was cancelled (the event was cancelled, the webhook deleted or disabled).
 */
export const eventStatusOf = (deliveries: readonly Pick<Delivery, 'status'>[]): EventStatus => {
  if (deliveries.some((d) => d.status === 'PENDING')) return 'PENDING';
  if (deliveries.some((d) => d.status === 'FAILED')) return 'FAILED';
  if (deliveries.every((d) => d.status === 'DELIVERED')) return 'DELIVERED';
  return 'CANCELLED';
};

/** Sums outcomes up, in time order, into what one write records. */
export const tallyOutcomes = (
  outcomes: readonly { success: boolean; at: string }[],
): OutcomeTally | undefined => {
  const sorted = [...outcomes].sort((a, b) => a.at.localeCompare(b.at));
  const last = sorted.at(-1);
  if (!last) return undefined;
  let failingFrom: string | undefined;
  for (const o of sorted) {
    if (o.success) failingFrom = undefined;
    else failingFrom ??= o.at;
  }
  const successes = sorted.filter((o) => o.success).length;
  return {
    successes,
    failures: sorted.length - successes,
    last_at: last.at,
    ...(failingFrom ? { failing_from: failingFrom } : {}),
  };
};
