import type { DeliveryMessage, Lane } from '@hookrelay/domain';
import type { Outcome } from './outcome.js';
import type { WorkerDeps } from './worker-deps.js';

/**
 * Sends a message that came back from its queue again, as a new message, before anything else
 * is done with it. A message comes back when the receive that took it ended without an outcome:
 * the instance holding it was killed or timed out (a restart), or processing it failed. Each
 * such return would spend one of the queue's receives, and `maxReceiveCount` exists for poison
 * messages, not for restarts: a delivery taken by three instances that died would be two returns
 * from the dead-letter queue, whatever its retry schedule says. Sent again, the message starts
 * with no receive spent and carries the count (`returns`) itself.
 *
 * Past `limit` returns the message is left to the queue: it is processed as it is, and the
 * receives it spends from then on take a message that keeps failing to the dead-letter queue.
 * Returns undefined when the message goes on to its attempt here.
 *
 * @example
 * await sendReturnedAgain(deps, message, 2, 'main', 5); // { kind: 'deferred', delayMs: 0 }: sent again with returns 1
 * await sendReturnedAgain(deps, message, 1, 'main', 5); // undefined: taken for the first time
 */
export const sendReturnedAgain = async (
  deps: Pick<WorkerDeps, 'queue'>,
  msg: DeliveryMessage,
  receives: number,
  lane: Lane,
  limit: number,
): Promise<Outcome | undefined> => {
  if (!(receives > 1)) return undefined;
  const returns = (msg.returns ?? 0) + 1;
  if (returns > limit) return undefined;
  await deps.queue.send([{ message: { ...msg, returns }, delaySeconds: 0, lane }]);
  return { kind: 'deferred', delayMs: 0 };
};
