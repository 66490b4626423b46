import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';

/**
 * Keeps a message of the ordered line (FIFO) in its place while it waits: it stays in flight,
 * invisible for the wait, so SQS hands out nothing more of its group until it comes back.
 * Never 0 seconds: that would let the group go at once (and the local emulator drops a
 * persisted message made visible that way).
 */
export class SqsLineHold {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async hold(receiptHandle: string, seconds: number): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.min(43_200, Math.max(1, Math.ceil(seconds))),
      }),
    );
  }
}
