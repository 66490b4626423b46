import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  fifoQueueName,
  type InboundProvider,
  inboundBus,
  inboundQueueList,
  resourceName,
} from '@hookrelay/definitions';

export interface InboundQueueUrls {
  readonly fifo: string;
  readonly fifoDlq: string;
  /** The per-provider queues the bus rules deliver to. */
  readonly targets: Readonly<Record<InboundProvider, string>>;
}

const localUrl = (queueUrl: string | undefined, endpoint: string) =>
  new URL(new URL(queueUrl ?? '').pathname, endpoint).toString();

/** The stage's inbound FIFO queue and its DLQ, and each provider's rule target queue (idempotent). */
export const createInboundQueues = async (
  sqs: SQSClient,
  stage: string,
  endpoint: string,
  visibilityTimeoutSeconds: Partial<Record<string, number>> = {},
): Promise<InboundQueueUrls> => {
  const urls: Record<string, string> = {};
  const arns: Record<string, string> = {};
  for (const queue of inboundQueueList) {
    const attributes: Record<string, string> = {
      FifoQueue: 'true',
      ContentBasedDeduplication: String(queue.contentBasedDeduplication),
      VisibilityTimeout: String(visibilityTimeoutSeconds[queue.id] ?? queue.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(queue.messageRetentionSeconds),
      ReceiveMessageWaitTimeSeconds: String(queue.receiveWaitTimeSeconds),
    };
    if (queue.redrive) {
      attributes.RedrivePolicy = JSON.stringify({
        deadLetterTargetArn: arns[queue.redrive.deadLetterQueue],
        maxReceiveCount: queue.redrive.maxReceiveCount,
      });
    }
    const out = await sqs.send(
      new CreateQueueCommand({ QueueName: fifoQueueName(queue, stage), Attributes: attributes }),
    );
    const url = localUrl(out.QueueUrl, endpoint);
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
    );
    urls[queue.id] = url;
    arns[queue.id] = attrs.Attributes?.QueueArn ?? '';
  }
  const targets: Record<string, string> = {};
  for (const rule of inboundBus.rules) {
    const out = await sqs.send(
      new CreateQueueCommand({
        QueueName: resourceName(rule.queueBaseName, stage),
        Attributes: { MessageRetentionPeriod: String(inboundBus.targetRetentionSeconds) },
      }),
    );
    targets[rule.provider] = localUrl(out.QueueUrl, endpoint);
  }
  return {
    fifo: urls.fifo ?? '',
    fifoDlq: urls.fifoDlq ?? '',
    targets: targets as Record<InboundProvider, string>,
  };
};

/** The archive bucket (fauxqs answers an existing bucket as created). */
export const createInboundBucket = async (s3: S3Client, bucket: string): Promise<void> => {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
};
