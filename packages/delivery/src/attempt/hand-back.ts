import {
  type Clock,
  type DeliveryMessage,
  type DeliveryQueue,
  EVENT_COMMIT_WINDOW_MS,
  type EventStore,
  type Lane,
} from '@hookrelay/domain';
import type { Outcome } from './outcome.js';

/** The longest delay SQS gives a message (15 minutes). */
export const SQS_MAX_DELAY_MS = 900_000;

/** What handing a message back to its lane needs. */
export interface HandBackPorts {
  readonly queue: Pick<DeliveryQueue, 'send'>;
  readonly events: Pick<EventStore, 'markWaiting'>;
  readonly clock: Clock;
  readonly onTaken?: (lane: Lane, lateByMs: number) => void;
}

/** A message's wait in its queue: `delaySeconds` as SQS is asked for it, `delayMs` as the lag counts it. */
interface QueueWait {
  readonly delayMs: number;
  readonly delaySeconds: number;
  /** The delivery was never attempted: it is listed as PENDING before it waits. */
  readonly unattempted: boolean;
  /** How many times the message has now been refused a slot, when that is why it waits. */
  readonly held?: number;
}

/** Until the producer's deadline, a message whose event is not written yet comes back in a second. */
const COMMIT_WAIT_MS = 1_000;

/** When a message's attempt was due: its retry time, else about when it was first sent. */
const dueOf = (msg: DeliveryMessage, nowMs: number): number =>
  msg.not_before ?? (msg.commit_by !== undefined ? msg.commit_by - EVENT_COMMIT_WINDOW_MS : nowMs);

/**
 * A delivery held back before its first attempt leaves its event where the PENDING list looks
 * (an attempt would have), once: the message queued again says so (`listed`), and later holds
 * write nothing. Best effort: the message is already on its way.
 *
 * @example const again = await listWaiting(deps, msg); // { ...msg, listed: true }
 */
export const listWaiting = async (
  deps: Pick<HandBackPorts, 'events'>,
  msg: DeliveryMessage,
): Promise<DeliveryMessage> => {
  if (msg.listed) return msg;
  await deps.events.markWaiting(msg.tenant_id, msg.event_id).catch(() => undefined);
  return { ...msg, listed: true };
};

/** Hands a message back for a second: what it waits for (a write, a claim) is on its way. *
 * @example return comeBackShortly(deps, msg, 'main'); // { kind: 'deferred', delayMs: 1_000 }
 */
export const comeBackShortly = async (
  deps: Pick<HandBackPorts, 'queue'>,
  msg: DeliveryMessage,
  lane: Lane,
): Promise<Outcome> => {
  await deps.queue.send([{ message: msg, delaySeconds: COMMIT_WAIT_MS / 1000, lane }]);
  return { kind: 'deferred', delayMs: COMMIT_WAIT_MS };
};

/**
 * Hands a delivery back to wait in its lane's queue, unattempted and uncounted, and counts it
 * in the lane's lag as taken when it comes back: the sweeper then knows a delivery that is this
 * late may be waiting in the queue, not lost, and sends no copy of it.
 *
 * @example await handBack(deps, msg, 'slow', { delayMs: 4_000, delaySeconds: 4, unattempted: true });
 */
export const handBack = async (
  deps: HandBackPorts,
  msg: DeliveryMessage,
  lane: Lane,
  wait: QueueWait,
): Promise<void> => {
  const listed = wait.unattempted ? await listWaiting(deps, msg) : msg;
  const again = wait.held === undefined ? listed : { ...listed, held: wait.held };
  await deps.queue.send([{ message: again, delaySeconds: wait.delaySeconds, lane }]);
  const now = deps.clock.now();
  deps.onTaken?.(lane, now + wait.delayMs - dueOf(msg, now));
};
