import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type LambdaHandler, lambdaContext } from './lambda-context.js';

export interface EventSourceMappingOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly handler: LambdaHandler<SQSEvent, SQSBatchResponse | undefined>;
  readonly batchSize?: number;
  /** Parallel pollers, each invoking the handler with its own batches (Lambda concurrency). */
  readonly concurrency?: number;
  readonly waitTimeSeconds?: number;
  readonly onLog?: (entry: Record<string, unknown>) => void;
}

export interface EventSourceMapping {
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
  },
  messageAttributes: {},
  md5OfBody: m.MD5OfBody ?? '',
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: 'us-east-1',
});

/**
 * Lambda's SQS event source mapping, locally: long-polls batches of up to 10, invokes the
 * handler, and deletes only the records it did not report in `batchItemFailures`. When the
 * handler throws, nothing is deleted and the whole batch comes back after the visibility
 * timeout, as on AWS.
 */
export const startEventSourceMapping = async (
  options: EventSourceMappingOptions,
): Promise<EventSourceMapping> => {
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
      const response = await options.handler({ Records: records }, lambdaContext('worker', 30_000));
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      options.onLog?.({
        level: 'ERROR',
        message: 'worker invocation failed; batch left for redelivery',
        error: String(error),
      });
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
  const loops = Array.from({ length: options.concurrency ?? 2 }, loop);
  return {
    stop: async () => {
      running = false;
      abort.abort();
      await Promise.allSettled(loops);
    },
  };
};
