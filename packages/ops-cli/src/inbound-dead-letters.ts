import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { fifoQueueName, inboundQueues } from '@hookrelay/definitions';
import { parseInboundMessage } from '@hookrelay/inbound';
import { type StageTarget, UsageError } from './stage-target.js';

/** One message of the inbound DLQ, as `make dlq-peek QUEUE=inbound` lists it. */
export interface InboundDeadLetterView {
  readonly message_id: string;
  readonly tenant_id?: string;
  readonly source_id?: string;
  readonly webhook_id?: string;
  readonly receives: number;
  readonly sent_at?: string;
}

export interface InboundStage {
  readonly sqs: SQSClient;
  readonly queueName: string;
  readonly dlqName: string;
  readonly queueUrl: string;
  readonly dlqUrl: string;
  close(): void;
}

/** Opens the stage's inbound FIFO queue and its DLQ (local emulators or AWS). */
export const connectInbound = async (target: StageTarget): Promise<InboundStage> => {
  const sqs = new SQSClient(
    target.kind === 'emulators'
      ? {
          endpoint: target.sqsEndpoint,
          region: 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : target.region
        ? { region: target.region }
        : {},
  );
  const urlOf = async (name: string) => {
    try {
      const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl ?? '';
      return target.kind === 'emulators'
        ? new URL(new URL(url).pathname, target.sqsEndpoint).toString()
        : url;
    } catch (error) {
      if ((error as { name?: string }).name === 'QueueDoesNotExist') {
        throw new UsageError(`Queue ${name} does not exist: is stage "${target.stage}" running or deployed?`);
      }
      throw error;
    }
  };
  try {
    const queueName = fifoQueueName(inboundQueues.fifo, target.stage);
    const dlqName = fifoQueueName(inboundQueues.fifoDlq, target.stage);
    return {
      sqs,
      queueName,
      dlqName,
      queueUrl: await urlOf(queueName),
      dlqUrl: await urlOf(dlqName),
      close: () => sqs.destroy(),
    };
  } catch (error) {
    sqs.destroy();
    throw error;
  }
};

const view = (m: Message): InboundDeadLetterView => {
  const message = parseInboundMessage(m.Body ?? '');
  const sent = Number(m.Attributes?.SentTimestamp);
  return {
    message_id: m.MessageId ?? '',
    ...(message
      ? { tenant_id: message.tenant_id, source_id: message.source_id, webhook_id: message.webhook_id }
      : {}),
    receives: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
    ...(Number.isFinite(sent) ? { sent_at: new Date(sent).toISOString() } : {}),
  };
};

const receive = async (stage: InboundStage, max: number, waitSeconds: number): Promise<Message[]> => {
  const seen = new Map<string, Message>();
  while (seen.size < max) {
    const out = await stage.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: stage.dlqUrl,
        MaxNumberOfMessages: Math.max(1, Math.min(10, max - seen.size)),
        VisibilityTimeout: 30,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const fresh = (out.Messages ?? []).filter((m) => !seen.has(m.MessageId ?? ''));
    if (fresh.length === 0) break;
    for (const m of fresh) seen.set(m.MessageId ?? '', m);
  }
  return [...seen.values()];
};

/** Lists up to `max` inbound DLQ messages and makes them visible again at once. */
export const peekInboundDeadLetters = async (stage: InboundStage, max: number, waitSeconds: number) => {
  const messages = await receive(stage, max, waitSeconds);
  for (let i = 0; i < messages.length; i += 10) {
    await stage.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: stage.dlqUrl,
        Entries: messages
          .slice(i, i + 10)
          .map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle ?? '', VisibilityTimeout: 0 })),
      }),
    );
  }
  return { queue: stage.dlqName, count: messages.length, messages: messages.map(view) };
};

/**
 * Moves inbound DLQ messages back to the FIFO queue, each in its source's group (so it is
 * routed after what that source received before it is requeued), then deletes it from the
 * DLQ. A fresh deduplication id: the original one may still be inside SQS's 5-minute window.
 */
export const requeueInboundDeadLetters = async (
  stage: InboundStage,
  max: number,
  waitSeconds: number,
  onFailure: (messageId: string, error: unknown) => void,
): Promise<{ requeued: number; failed: number }> => {
  let requeued = 0;
  let failed = 0;
  for (const m of await receive(stage, max, waitSeconds)) {
    try {
      const message = parseInboundMessage(m.Body ?? '');
      if (!message) throw new Error('not an inbound message');
      await stage.sqs.send(
        new SendMessageCommand({
          QueueUrl: stage.queueUrl,
          MessageBody: m.Body ?? '',
          MessageGroupId: message.source_id,
          MessageDeduplicationId: `${message.webhook_id}-requeue-${Date.now()}`,
        }),
      );
      await stage.sqs.send(
        new DeleteMessageCommand({ QueueUrl: stage.dlqUrl, ReceiptHandle: m.ReceiptHandle ?? '' }),
      );
      requeued++;
    } catch (error) {
      failed++;
      onFailure(m.MessageId ?? '', error);
    }
  }
  return { requeued, failed };
};

export const formatInboundDeadLetters = (listing: {
  queue: string;
  count: number;
  messages: readonly InboundDeadLetterView[];
}): string => {
  const rows = listing.messages.map((m) =>
    [m.tenant_id ?? '-', m.source_id ?? '-', m.webhook_id ?? '-', String(m.receives), m.sent_at ?? '-'].join(
      '  ',
    ),
  );
  return [
    `${listing.queue}: ${listing.count} message(s)`,
    ...(rows.length > 0 ? ['TENANT  SOURCE  WEBHOOK  RECEIVES  SENT', ...rows] : []),
    '',
  ].join('\n');
};
