import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { fifoQueueName, inboundQueues } from '@hookrelay/definitions';
import { parseInboundMessage } from '@hookrelay/inbound';
import {
  decideReadable,
  type RequeueResult,
  receiveDeadLetters,
  releaseDeadLetters,
  requeueFifoDeadLetters,
} from '@hookrelay/sqs';
import { queueUrlOf, type StageTarget, sqsClientOf } from './stage-target.js';

/** One message of the inbound DLQ, as `make dlq-peek QUEUE=inbound` lists it. */
interface InboundDeadLetterView {
  readonly message_id: string;
  readonly tenant_id?: string;
  readonly source_id?: string;
  readonly request_id?: string;
  readonly receives: number;
  readonly sent_at?: string;
}

interface InboundStage {
  readonly sqs: SQSClient;
  readonly queueName: string;
  readonly dlqName: string;
  readonly queueUrl: string;
  readonly dlqUrl: string;
  close(): void;
}

/** Opens the stage's inbound FIFO queue and its DLQ (local emulators or AWS). */
export const connectInbound = async (target: StageTarget): Promise<InboundStage> => {
  const sqs = sqsClientOf(target);
  try {
    const queueName = fifoQueueName(inboundQueues.fifo, target.stage);
    const dlqName = fifoQueueName(inboundQueues.fifoDlq, target.stage);
    return {
      sqs,
      queueName,
      dlqName,
      queueUrl: await queueUrlOf(sqs, target, queueName),
      dlqUrl: await queueUrlOf(sqs, target, dlqName),
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
      ? { tenant_id: message.tenant_id, source_id: message.source_id, request_id: message.request_id }
      : {}),
    receives: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
    ...(Number.isFinite(sent) ? { sent_at: new Date(sent).toISOString() } : {}),
  };
};

const receive = async (stage: InboundStage, max: number, waitSeconds: number): Promise<Message[]> => {
  const seen = new Map<string, Message>();
  while (seen.size < max) {
    const received = await receiveDeadLetters(stage.sqs, stage.dlqUrl, max - seen.size, 30, waitSeconds);
    const fresh = received.filter((m) => !seen.has(m.MessageId ?? ''));
    if (fresh.length === 0) break;
    for (const m of fresh) seen.set(m.MessageId ?? '', m);
  }
  return [...seen.values()];
};

/** Lists up to `max` inbound DLQ messages and makes them visible again at once. */
export const peekInboundDeadLetters = async (stage: InboundStage, max: number, waitSeconds: number) => {
  const messages = await receive(stage, max, waitSeconds);
  await releaseDeadLetters(stage.sqs, stage.dlqUrl, messages);
  return { queue: stage.dlqName, count: messages.length, messages: messages.map(view) };
};

/**
 * Moves inbound DLQ messages back to the FIFO queue, each in its source's group (so it is
 * routed after what that source received before it is requeued), in the order the DLQ holds
 * them, then deletes it from the DLQ.
 */
export const requeueInboundDeadLetters = (
  stage: InboundStage,
  options: { max: number; batchSize: number; waitSeconds: number },
  onFailure: (messageId: string, error: unknown) => void,
): Promise<RequeueResult> =>
  requeueFifoDeadLetters(
    {
      sqs: stage.sqs,
      dlqUrl: stage.dlqUrl,
      queueUrl: stage.queueUrl,
      decide: decideReadable('an inbound message', parseInboundMessage),
    },
    {
      maxMessages: options.max,
      batchSize: options.batchSize,
      waitTimeSeconds: options.waitSeconds,
      onFailure: ({ message_id, error }) => onFailure(message_id, error),
    },
  );

export const formatInboundDeadLetters = (listing: {
  queue: string;
  count: number;
  messages: readonly InboundDeadLetterView[];
}): string => {
  const rows = listing.messages.map((m) =>
    [m.tenant_id ?? '-', m.source_id ?? '-', m.request_id ?? '-', String(m.receives), m.sent_at ?? '-'].join(
      '  ',
    ),
  );
  return [
    `${listing.queue}: ${listing.count} message(s)`,
    ...(rows.length > 0 ? ['TENANT  SOURCE  REQUEST  RECEIVES  SENT', ...rows] : []),
    '',
  ].join('\n');
};
