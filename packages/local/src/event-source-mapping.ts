import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type LambdaHandler, lambdaContext } from './lambda-context.js';

interface EventSourceMappingOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly handler: LambdaHandler<SQSEvent, SQSBatchResponse | undefined>;
  readonly batchSize?: number;
  /**
   * The mapping's maximum concurrency: pollers (each invoking the handler with its own
   * batches, as concurrent Lambda invocations do) never exceed it.
   */
  readonly concurrency?: number;
  /**
   * Pollers kept while the queue is empty (at most `concurrency`); 5 by default, the batches
   * Lambda starts processing at once when messages are available.
   */
  readonly minimumConcurrency?: number;
  readonly waitTimeSeconds?: number;
  /**
   * `MaximumBatchingWindowInSeconds`: after a poll brings fewer than `batchSize` messages, the
   * poller keeps gathering for up to this long before it invokes, as Lambda's does (0, the
   * default, invokes with what the first poll brought).
   */
  readonly batchingWindowSeconds?: number;
  /** The invoked function's name and timeout, as its Lambda context reports them. */
  readonly functionName?: string;
  readonly timeoutMs?: number;
  readonly onLog?: (entry: Record<string, unknown>) => void;
}

export interface EventSourceMappingStats {
  /** Pollers running now. */
  readonly pollers: number;
  /** The most pollers that ever ran at once. */
  readonly peakPollers: number;
  /** Records handed to the handler and not yet answered. */
  readonly inFlight: number;
  readonly invocations: number;
}

export interface EventSourceMapping {
  stats(): EventSourceMappingStats;
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
    // A FIFO queue's records also carry their group, deduplication id and sequence number.
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
 * Lambda's SQS event source mapping, locally: long-polls batches of up to 10, invokes the
 * handler, and deletes only the records it did not report in `batchItemFailures`. When the
 * handler throws, nothing is deleted and the whole batch comes back after the visibility
 * timeout, as on AWS. On a FIFO queue the queue itself keeps a group's later messages back
 * while earlier ones are in flight, so batches keep each group's order.
 *
 * Like Lambda's pollers it scales with the backlog: it starts with five, adds one each time
 * a poll comes back full (messages are waiting), up to the maximum concurrency, and lets a
 * poller go when its poll comes back empty. A slow batch therefore holds one poller, not the
 * queue.
 *
 * @example
 * const esm = await startEventSourceMapping({ sqs, queueUrl, handler, concurrency: 50 });
 * esm.stats(); // { pollers: 5, peakPollers: 5, inFlight: 0, invocations: 0 }
 */
export const startEventSourceMapping = async (
  options: EventSourceMappingOptions,
): Promise<EventSourceMapping> => {
  const { sqs, queueUrl } = options;
  const arnOut = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queueArn = arnOut.Attributes?.QueueArn ?? queueUrl;
  const batchSize = Math.max(1, Math.min(10, options.batchSize ?? 10));
  const maximum = Math.max(1, options.concurrency ?? 2);
  const minimum = Math.max(1, Math.min(maximum, options.minimumConcurrency ?? 5));
  const abort = new AbortController();
  let running = true;
  let pollers = 0;
  let peakPollers = 0;
  let inFlight = 0;
  let invocations = 0;
  const loops = new Set<Promise<void>>();

  const windowMs = Math.max(0, options.batchingWindowSeconds ?? 0) * 1000;
  /**
   * Fills a batch within the batching window: short polls for what is missing, a pause between
   * empty ones, until the batch is full or the window has passed since its first message came.
   */
  const gather = async (messages: Message[]): Promise<void> => {
    const deadline = Date.now() + windowMs;
    while (running && messages.length < batchSize && Date.now() < deadline) {
      const more = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: batchSize - messages.length,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['All'],
        }),
        { abortSignal: abort.signal },
      );
      messages.push(...(more.Messages ?? []));
      if ((more.Messages ?? []).length === 0) {
        await new Promise((r) => setTimeout(r, Math.min(100, Math.max(0, deadline - Date.now()))));
      }
    }
  };

  /** Polls once; returns how many messages the poll brought. */
  const pollOnce = async (): Promise<number> => {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: batchSize,
        WaitTimeSeconds: options.waitTimeSeconds ?? 20,
        MessageSystemAttributeNames: ['All'],
      }),
      { abortSignal: abort.signal },
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0 || !running) return messages.length;
    await gather(messages);
    // Messages are waiting: another poller takes the next batch while this one is busy.
    if (messages.length === batchSize && pollers < maximum) spawn();
    const records = messages.map((m) => toRecord(m, queueArn));
    let failed: Set<string>;
    inFlight += records.length;
    invocations += 1;
    try {
      const response = await options.handler(
        { Records: records },
        lambdaContext(options.functionName ?? 'worker', options.timeoutMs ?? 30_000),
      );
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      options.onLog?.({
        level: 'ERROR',
        message: `${options.functionName ?? 'worker'} invocation failed; batch left for redelivery`,
        error: String(error),
      });
      return messages.length;
    } finally {
      inFlight -= records.length;
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
    return messages.length;
  };

  const loop = async () => {
    while (running) {
      try {
        const received = await pollOnce();
        if (received === 0 && pollers > minimum) return;
      } catch (error) {
        if (!running) return;
        options.onLog?.({ level: 'WARN', message: 'poll failed', error: String(error) });
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };

  function spawn(): void {
    pollers += 1;
    peakPollers = Math.max(peakPollers, pollers);
    const run: Promise<void> = loop().finally(() => {
      pollers -= 1;
      loops.delete(run);
    });
    loops.add(run);
  }

  for (let i = 0; i < minimum; i++) spawn();
  return {
    stats: () => ({ pollers, peakPollers, inFlight, invocations }),
    stop: async () => {
      running = false;
      abort.abort();
      while (loops.size > 0) await Promise.allSettled([...loops]);
    },
  };
};
