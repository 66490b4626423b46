import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type LambdaHandler, lambdaContext } from './lambda-context.js';

export interface FifoEventSourceMappingOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly handler: LambdaHandler<SQSEvent, SQSBatchResponse | undefined>;
  readonly name: string;
  readonly batchSize?: number;
  readonly concurrency?: number;
  readonly waitTimeSeconds?: number;
  readonly onLog?: (entry: Record<string, unknown>) => void;
}

export interface FifoEventSourceMapping {
  stop(): Promise<void>;
}

const toRecord = (m: Message, queueArn: string): SQSRecord => ({
  messageId: m.MessageId ?? '',
  receiptHandle: m.ReceiptHandle ?? '',
  body: m.Body ?? '',
  attributes: {
    ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
    SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
    SenderId: m.Attributes?.SenderId ?? 'local',
    ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    ...(m.Attributes?.MessageGroupId ? { MessageGroupId: m.Attributes.MessageGroupId } : {}),
    ...(m.Attributes?.MessageDeduplicationId
      ? { MessageDeduplicationId: m.Attributes.MessageDeduplicationId }
      : {}),
    ...(m.Attributes?.SequenceNumber ? { SequenceNumber: m.Attributes.SequenceNumber } : {}),
  },
  messageAttributes: {},
  md5OfBody: m.MD5OfBody ?? '',
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: 'us-east-1',
});

/**
 * Lambda's event source mapping for a FIFO queue, locally: records carry their
 * `MessageGroupId` and sequence number, batches come in queue order, and only what the
 * handler did not report in `batchItemFailures` is deleted. The queue itself keeps a group's
 * later messages back while earlier ones are in flight.
 */
export const startFifoEventSourceMapping = async (
  options: FifoEventSourceMappingOptions,
): Promise<FifoEventSourceMapping> => {
  const { sqs, queueUrl } = options;
  const arnOut = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queueArn = arnOut.Attributes?.QueueArn ?? queueUrl;
  const abort = new AbortController();
  let running = true;

  const pollOnce = async (): Promise<void> => {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, options.batchSize ?? 10),
        WaitTimeSeconds: options.waitTimeSeconds ?? 20,
        MessageSystemAttributeNames: ['All'],
      }),
      { abortSignal: abort.signal },
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0 || !running) return;
    const records = messages.map((m) => toRecord(m, queueArn));
    let failed: Set<string>;
    try {
      const response = await options.handler({ Records: records }, lambdaContext(options.name, 30_000));
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      options.onLog?.({ level: 'ERROR', message: `${options.name} invocation failed`, error: String(error) });
      return;
    }
    const done = records.filter((r) => !failed.has(r.messageId));
    for (let i = 0; i < done.length; i += 10) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.slice(i, i + 10).map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle })),
        }),
      );
    }
  };

  const loop = async () => {
    while (running) {
      try {
        await pollOnce();
      } catch (error) {
        if (!running) return;
        options.onLog?.({ level: 'WARN', message: 'poll failed', error: String(error) });
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const loops = Array.from({ length: options.concurrency ?? 1 }, loop);
  return {
    stop: async () => {
      running = false;
      abort.abort();
      await Promise.allSettled(loops);
    },
  };
};
