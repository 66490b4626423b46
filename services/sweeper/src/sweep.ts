import { SWEEP_INDEX_SHARDS } from '@hookrelay/definitions';
import {
  type Clock,
  type DeliveryQueue,
  type EventStore,
  iso,
  type LaneLag,
  type LaneLagStore,
  type QueueDepth,
  type QueueDepths,
  type SweepStore,
} from '@hookrelay/domain';

export interface SweepDeps {
  readonly events: EventStore & SweepStore;
  readonly queue: DeliveryQueue;
  readonly clock: Clock;
  /** How long past its due time a pending delivery may go unseen. */
  readonly graceMs: number;
  /** What the lanes' consumers last reported of their lag. */
  readonly lags: LaneLagStore;
  /** What the lanes' queues hold now. */
  readonly depths: QueueDepths;
}

interface SweepReport {
  readonly examined: number;
  readonly requeued: number;
  readonly settled: number;
  /**
   * How far behind the queues are (ms): a delivery is sent again only once it is overdue by
   * more than this plus the grace period. Null when it cannot be told (messages wait and no
   * consumer has ever reported), and then nothing is sent again.
   */
  readonly queue_wait_ms: number | null;
}

/**
 * How long the oldest message still waiting may have waited, as far as can be told. A lane
 * whose queue has no message, visible, delayed or in flight, holds nothing back (a delayed one
 * may be a delivery handed back to wait for its endpoint, which the worker counts in its lag;
 * one in flight may be a first attempt not yet recorded, whose event the PENDING list finds
 * only above the sweeper's mark, however long ago the message was queued). Where messages are, the lane's
 * consumer last reported taking messages that had waited `lag_ms`; everything queued before
 * those was taken, and whatever came after has waited at most `lag_ms` plus the time since the
 * report. So a consumer that stopped makes the wait grow with every minute instead of going
 * stale, and one that never reported makes it unknowable (Infinity).
 *
 * @example
 * queueWait([{ lane: 'main', visible: 900, inFlight: 10, delayed: 0 }],
 *   [{ lane: 'main', lag_ms: 45_000, reported_at: now - 2_000 }], now) // 47_000
 */
export const queueWait = (depths: readonly QueueDepth[], lags: readonly LaneLag[], nowMs: number): number => {
  let wait = 0;
  for (const depth of depths) {
    if (depth.visible === 0 && depth.delayed === 0 && depth.inFlight === 0) continue;
    const report = lags.find((l) => l.lane === depth.lane);
    if (!report) return Number.POSITIVE_INFINITY;
    wait = Math.max(wait, report.lag_ms + Math.max(0, nowMs - report.reported_at));
  }
  return wait;
};

/**
 * Finds events whose deliveries are overdue (a retry whose send failed, a reopened delivery
 * whose enqueue failed, a held one whose message was lost) and enqueues their next attempt
 * again; settles events whose deliveries all finished but whose
 * status was never written.
 *
 * It never adds work while the system is behind: a delivery counts as overdue only past its
 * due time plus the grace period plus how long the queues currently make a message wait, so a
 * message that is merely waiting in a long queue is not sent a second time, and while
 * messages wait with no consumer taking them, only what is older than the stop can be. Duplicates that slip
 * through are harmless (the worker records each attempt once), but they are not made.
 */
export const sweep = async (deps: SweepDeps, limitPerShard = 100): Promise<SweepReport> => {
  const now = deps.clock.now();
  const [depths, lags] = await Promise.all([deps.depths.depths(), deps.lags.read()]);
  const wait = queueWait(depths, lags, now);
  if (!Number.isFinite(wait)) return { examined: 0, requeued: 0, settled: 0, queue_wait_ms: null };
  const horizon = now - wait;
  let examined = 0;
  let requeued = 0;
  let settled = 0;
  for (let shard = 0; shard < SWEEP_INDEX_SHARDS; shard++) {
    for (const stale of await deps.events.overdue(shard, horizon, limitPerShard)) {
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
        (d) => Date.parse(d.next_attempt_at ?? event.created_at) + deps.graceMs <= horizon,
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
  // Every message queued before the horizon has been taken, and one taken then lost comes back
  // within the grace period: an event older than horizon - grace that no worker has touched
  // (no attempt, no hold) is not PENDING. Untouched PENDING events are younger than this mark
  // and the PENDING list finds them in the time listing (docs/data-model.md).
  await deps.events.markSwept(horizon - deps.graceMs);
  return { examined, requeued, settled, queue_wait_ms: wait };
};
