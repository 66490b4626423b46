import type { SQSClient } from '@aws-sdk/client-sqs';
import { type EventStore, parseDeliveryMessage } from '@hookrelay/domain';
import type { RequeueOptions, RequeueResult } from './dead-letters.js';
import { decideReadable, requeueFifoDeadLetters } from './fifo-dead-letters.js';

interface OrderedRequeueDeps {
  readonly sqs: SQSClient;
  /** The ordered line's DLQ and the line itself (both FIFO). */
  readonly dlqUrl: string;
  readonly lineUrl: string;
  readonly events: Pick<EventStore, 'get'>;
}

/**
 * Moves the ordered line's dead letters (messages the worker could not process, redriven by
 * SQS) back into their key's line: a still-PENDING delivery goes back in its message group, in
 * the order the DLQ holds them, behind whatever its key received meanwhile; one that has since
 * ended (DELIVERED, CANCELLED, or FAILED, whose dead letter is in the main DLQ) or whose event
 * was never written is dropped. The worker takes it from there as any message of the line:
 * its attempts are counted in the delivery's record, so a requeue starts no new schedule.
 *
 * @example
 * await requeueOrderedDeadLetters({ sqs, dlqUrl, lineUrl, events }, { maxMessages: 100 })
 * // { requeued: 2, failed: 0 }
 */
export const requeueOrderedDeadLetters = (
  deps: OrderedRequeueDeps,
  options: RequeueOptions = {},
): Promise<RequeueResult> =>
  requeueFifoDeadLetters(
    {
      sqs: deps.sqs,
      dlqUrl: deps.dlqUrl,
      queueUrl: deps.lineUrl,
      decide: decideReadable('a delivery message', parseDeliveryMessage, async (msg) => {
        const event = await deps.events.get(msg.tenant_id, msg.event_id);
        return event?.deliveries[msg.webhook_id]?.status === 'PENDING' ? 'requeue' : 'drop';
      }),
    },
    options,
  );
