import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetter, DeliveryMessage, DeliveryQueue } from '@hookrelay/domain';

/** SQS allows a message to wait at most 15 minutes before it becomes visible. */
export const MAX_SQS_DELAY_SECONDS = 900;

/**
 * The delivery queue and its DLQ. Sends go out in batches of ten; any entry SQS does not
 * accept makes `send` throw, so callers never believe a message was queued when it was not.
 */
export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly dlqUrl: string,
  ) {}

  async send(messages: readonly { message: DeliveryMessage; delaySeconds: number }[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      const out = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: chunk.map(({ message, delaySeconds }, j) => ({
            Id: String(j),
            MessageBody: JSON.stringify(message),
            DelaySeconds: Math.min(MAX_SQS_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds))),
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

  async deadLetter(message: DeadLetter): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.dlqUrl, MessageBody: JSON.stringify(message) }),
    );
  }
}
