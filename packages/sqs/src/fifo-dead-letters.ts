import { createHash } from 'node:crypto';
import { type Message, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { drainDeadLetters, type RequeueOptions, type RequeueResult } from './dead-letters.js';

/** What becomes of one dead letter: back into its group, or dropped (its work is done elsewhere). */
type DeadLetterDecision = 'requeue' | 'drop';

/** A FIFO dead-letter queue and the FIFO queue its messages go back to. */
interface FifoRequeueDeps {
  readonly sqs: SQSClient;
  readonly dlqUrl: string;
  readonly queueUrl: string;
  /**
   * What to do with one dead letter: `requeue` it into its group, or `drop` it (its work is
   * done elsewhere). Throwing keeps it, and every later message of its group, in the DLQ.
   */
  readonly decide: (message: Message) => Promise<DeadLetterDecision>;
}

/**
 * A `decide` for dead letters whose body must read as `what` (`read` answers undefined for one
 * that does not): an unreadable one fails and stays in the DLQ; a readable one is decided by
 * `then` (by default, requeued).
 *
 * @example
 * decideReadable('a delivery message', parseDeliveryMessage, async (msg) => 'requeue')
 */
export const decideReadable =
  <T>(
    what: string,
    read: (body: string) => T | undefined,
    then: (message: T) => Promise<DeadLetterDecision> = async () => 'requeue',
  ) =>
  async (m: Message): Promise<DeadLetterDecision> => {
    const message = read(m.Body ?? '');
    if (message === undefined) throw new Error(`not ${what}`);
    return then(message);
  };

/**
 * The deduplication id of a requeued message: new, so that the id it was first sent with (which
 * may still be inside SQS's five-minute window) does not swallow it; the same for every try of
 * one dead letter, so that a send retried after a failed delete does not queue it twice.
 */
export const requeueDeduplicationId = (deadLetterId: string): string =>
  createHash('sha256').update(`requeue\n${deadLetterId}`).digest('hex');

/**
 * Moves a FIFO DLQ's messages back to their FIFO queue, each in the message group it had (SQS
 * keeps the group when it moves a message to a FIFO DLQ), in the order the DLQ hands them out:
 * a group's messages arrive in its order, and one send completes before the next starts. A
 * message leaves the DLQ only after its send; one that stays (unreadable, a refused send) keeps
 * the rest of its group with it for the run, so no later message of a group overtakes an
 * earlier one. Messages kept are visible again when this returns.
 *
 * @example
 * await requeueFifoDeadLetters({ sqs, dlqUrl, queueUrl, decide: async () => 'requeue' }, { maxMessages: 100 })
 * // { requeued: 3, failed: 0 }
 */
export const requeueFifoDeadLetters = (
  deps: FifoRequeueDeps,
  options: RequeueOptions = {},
): Promise<RequeueResult> => {
  const stopped = new Set<string>();
  return drainDeadLetters(deps.sqs, deps.dlqUrl, options, async (m) => {
    const group = m.Attributes?.MessageGroupId;
    if (!group) throw new Error('no message group');
    try {
      if (stopped.has(group)) throw new Error('behind a message of its group that stayed');
      if ((await deps.decide(m)) === 'drop') return false;
      await deps.sqs.send(
        new SendMessageCommand({
          QueueUrl: deps.queueUrl,
          MessageBody: m.Body ?? '',
          MessageGroupId: group,
          MessageDeduplicationId: requeueDeduplicationId(m.MessageId ?? ''),
        }),
      );
      return true;
    } catch (error) {
      stopped.add(group);
      throw error;
    }
  });
};
