import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type InboundMessage, type InboundQueue, serializeInboundMessage } from '@hookrelay/inbound';

/** The inbound FIFO queue: one group per source, the request id as deduplication id. */
export class SqsInboundQueue implements InboundQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(message: InboundMessage, groupId: string, deduplicationId: string): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: serializeInboundMessage(message),
        MessageGroupId: groupId,
        MessageDeduplicationId: deduplicationId,
      }),
    );
  }
}
