import { SWEEP_INDEX_SHARDS } from '@hookrelay/definitions';
import { type Clock, type DeliveryQueue, type EventStore, iso, type SweepStore } from '@hookrelay/domain';

export interface SweepDeps {
  readonly events: EventStore & SweepStore;
  readonly queue: DeliveryQueue;
  readonly clock: Clock;
  /** How long past its due time a pending delivery may go unseen. */
  readonly graceMs: number;
}

export interface SweepReport {
  readonly examined: number;
  readonly requeued: number;
  readonly settled: number;
}

/**
 * Finds events whose deliveries are overdue (never enqueued, lost with a crashed worker, or
 * a retry whose send failed) and enqueues their next attempt again; settles events whose
 * deliveries all finished but whose status was never written. Duplicates are harmless: the
 * worker records each attempt once.
 */
export const sweep = async (deps: SweepDeps, limitPerShard = 100): Promise<SweepReport> => {
  const now = deps.clock.now();
  let examined = 0;
  let requeued = 0;
  let settled = 0;
  for (let shard = 0; shard < SWEEP_INDEX_SHARDS; shard++) {
    for (const stale of await deps.events.overdue(shard, now, limitPerShard)) {
      examined++;
      const event = await deps.events.get(stale.tenant_id, stale.event_id);
      if (!event) continue;
      const pending = Object.values(event.deliveries).filter((d) => d.status === 'PENDING');
      if (pending.length === 0) {
        await deps.events.settle(stale.tenant_id, stale.event_id, iso(now));
        settled++;
        continue;
      }
      const due = pending.filter(
        (d) => Date.parse(d.next_attempt_at ?? event.created_at) + deps.graceMs <= now,
      );
      if (due.length > 0) {
        await deps.queue.send(
          due.map((d) => ({
            message: {
              v: 1,
              tenant_id: stale.tenant_id,
              event_id: stale.event_id,
              webhook_id: d.webhook_id,
              attempt: d.attempt_count + 1,
              round: d.round_attempts,
            },
            delaySeconds: 0,
          })),
        );
        requeued += due.length;
      }
      const notDue = pending
        .filter((d) => !due.includes(d))
        .map((d) => Date.parse(d.next_attempt_at ?? '') + deps.graceMs);
      await deps.events.reschedule(stale.tenant_id, stale.event_id, Math.min(now + deps.graceMs, ...notDue));
    }
  }
  return { examined, requeued, settled };
};
