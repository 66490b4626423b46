import { createHash } from 'node:crypto';
import { DeleteMessageCommand, type Message, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  DEFAULT_DLQ_WAIT_SECONDS,
  type RequeueOptions,
  type RequeueResult,
  receiveDeadLetters,
  releaseDeadLetters,
} from './dead-letters.js';

/** A FIFO dead-letter queue and the FIFO queue its messages go back to. */
export interface FifoRequeueDeps {
  readonly sqs: SQSClient;
  readonly dlqUrl: string;
  readonly queueUrl: string;
  /**
   * What to do with one dead letter: `requeue` it into its group, or `drop` it (its work is
   * done elsewhere). Throwing keeps it, and every later message of its group, in the DLQ.
   */
  readonly decide: (message: Message) => Promise<'requeue' | 'drop'>;
}

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
export const requeueFifoDeadLetters = async (
  deps: FifoRequeueDeps,
  options: RequeueOptions = {},
): Promise<RequeueResult> => {
  const batchSize = Math.max(1, Math.min(10, options.batchSize ?? 10));
  const maxMessages = Math.max(0, options.maxMessages ?? 100);
  const wait = options.waitTimeSeconds ?? DEFAULT_DLQ_WAIT_SECONDS;
  let requeued = 0;
  let handled = 0;
  const kept = new Map<string, Message>();
  const stopped = new Set<string>();
  while (handled < maxMessages) {
    const messages = await receiveDeadLetters(
      deps.sqs,
      deps.dlqUrl,
      Math.min(batchSize, maxMessages - handled),
      60,
      wait,
    );
    if (messages.length === 0) break;
    for (const m of messages) {
      handled++;
      const id = m.MessageId ?? '';
      const group = m.Attributes?.MessageGroupId;
      try {
        if (!group) throw new Error('no message group');
        if (stopped.has(group)) throw new Error('behind a message of its group that stayed');
        const resend = (await deps.decide(m)) === 'requeue';
        if (resend) {
          await deps.sqs.send(
            new SendMessageCommand({
              QueueUrl: deps.queueUrl,
              MessageBody: m.Body ?? '',
              MessageGroupId: group,
              MessageDeduplicationId: requeueDeduplicationId(id),
            }),
          );
        }
        await deps.sqs.send(
          new DeleteMessageCommand({ QueueUrl: deps.dlqUrl, ReceiptHandle: m.ReceiptHandle ?? '' }),
        );
        kept.delete(id);
        if (resend) requeued++;
      } catch (error) {
        if (group) stopped.add(group);
        kept.set(id, m);
        options.onFailure?.({ message_id: id, error });
      }
    }
  }
  await releaseDeadLetters(deps.sqs, deps.dlqUrl, [...kept.values()]).catch(() => undefined);
  return { requeued, failed: kept.size };
};
