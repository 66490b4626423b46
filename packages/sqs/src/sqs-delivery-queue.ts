import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type QueueAttributeName,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type {
  DeadLetter,
  DeliveryMessage,
  DeliveryQueue,
  Lane,
  QueueDepth,
  QueueDepths,
} from '@hookrelay/domain';

/** SQS allows a message to wait at most 15 minutes before it becomes visible. */
export const MAX_SQS_DELAY_SECONDS = 900;

/**
 * The fair-queue group of a message: on a standard queue SQS serves the groups with the least
 * backlog first. On `main` that is the tenant (one tenant's burst does not starve the others);
 * on `slow` the endpoint (one dead endpoint does not starve a merely slow one).
 */
export const messageGroupOf = (message: DeliveryMessage, lane: Lane): string =>
  lane === 'slow' ? message.webhook_id : message.tenant_id;

type Outgoing = { message: DeliveryMessage; delaySeconds: number; lane?: Lane };

/**
 * The delivery queues (one per lane) and their DLQ. Sends go out in batches of ten per lane;
 * any entry SQS does not accept makes `send` throw, so callers never believe a message was
 * queued when it was not. Without a slow queue, everything goes to the main one.
 */
export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly dlqUrl: string,
    private readonly slowQueueUrl?: string,
  ) {}

  async send(messages: readonly Outgoing[]): Promise<void> {
    const byLane = new Map<Lane, Outgoing[]>();
    for (const m of messages) {
      const lane: Lane = m.lane === 'slow' && this.slowQueueUrl ? 'slow' : 'main';
      const list = byLane.get(lane);
      if (list) list.push(m);
      else byLane.set(lane, [m]);
    }
    for (const [lane, list] of byLane) {
      const queueUrl = lane === 'slow' && this.slowQueueUrl ? this.slowQueueUrl : this.queueUrl;
      for (let i = 0; i < list.length; i += 10) {
        const chunk = list.slice(i, i + 10);
        const out = await this.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map(({ message, delaySeconds }, j) => ({
              Id: String(j),
              MessageBody: JSON.stringify(message),
              DelaySeconds: Math.min(MAX_SQS_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds))),
              MessageGroupId: messageGroupOf(message, lane),
            })),
          }),
        );
        if (out.Failed && out.Failed.length > 0) {
          throw new Error(
            `SQS refused ${out.Failed.length} of ${chunk.length} messages: ${out.Failed[0]?.Code}`,
          );
        }
      }
    }
  }

  /**
   * Deletes a message taken from a lane's queue before its batch ends: one the worker has
   * just queued again (handed back, forwarded), so that it is never queued twice over while
   * the rest of its batch runs. The event source mapping deletes it again at the end of the
   * batch, which changes nothing.
   */
  async release(lane: Lane, receiptHandle: string): Promise<void> {
    const queueUrl = lane === 'slow' && this.slowQueueUrl ? this.slowQueueUrl : this.queueUrl;
    await this.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }));
  }

  async deadLetter(message: DeadLetter): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.dlqUrl, MessageBody: JSON.stringify(message) }),
    );
  }
}

/** Each lane's queue depth, from SQS's approximate counts. */
export class SqsQueueDepths implements QueueDepths {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrls: Readonly<Partial<Record<Lane, string>>>,
  ) {}

  async depths(): Promise<QueueDepth[]> {
    const lanes = Object.entries(this.queueUrls).filter((e): e is [Lane, string] => Boolean(e[1]));
    return Promise.all(
      lanes.map(async ([lane, queueUrl]) => {
        const out = await this.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queueUrl,
            AttributeNames: [
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
              'ApproximateNumberOfMessagesDelayed',
            ],
          }),
        );
        const n = (name: QueueAttributeName) => Number(out.Attributes?.[name] ?? 0);
        return {
          lane,
          visible: n('ApproximateNumberOfMessages'),
          inFlight: n('ApproximateNumberOfMessagesNotVisible'),
          delayed: n('ApproximateNumberOfMessagesDelayed'),
        };
      }),
    );
  }
}
