import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  fifoQueueName,
  type InboundProvider,
  inboundBus,
  inboundQueueList,
  resourceName,
} from '@hookrelay/definitions';
import { createQueueSpecs } from './provision.js';

export interface InboundQueueUrls {
  readonly fifo: string;
  readonly fifoDlq: string;
  /** The per-provider queues the bus rules deliver to. */
  readonly targets: Readonly<Record<InboundProvider, string>>;
}

/** The stage's inbound FIFO queue and its DLQ, and each provider's rule target queue (idempotent). */
export const createInboundQueues = async (
  sqs: SQSClient,
  stage: string,
  endpoint: string,
  visibilityTimeoutSeconds: Partial<Record<string, number>> = {},
): Promise<InboundQueueUrls> => {
  const fifo = inboundQueueList.map((queue) => ({
    id: queue.id,
    name: fifoQueueName(queue, stage),
    attributes: {
      FifoQueue: 'true',
      ContentBasedDeduplication: String(queue.contentBasedDeduplication),
      VisibilityTimeout: String(visibilityTimeoutSeconds[queue.id] ?? queue.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(queue.messageRetentionSeconds),
      ReceiveMessageWaitTimeSeconds: String(queue.receiveWaitTimeSeconds),
    },
    ...(queue.redrive ? { redrive: queue.redrive } : {}),
  }));
  const targets = inboundBus.rules.map((rule) => ({
    id: `target:${rule.provider}`,
    name: resourceName(rule.queueBaseName, stage),
    attributes: { MessageRetentionPeriod: String(inboundBus.targetRetentionSeconds) },
  }));
  const urls = await createQueueSpecs(sqs, endpoint, [...fifo, ...targets]);
  return {
    fifo: urls.fifo ?? '',
    fifoDlq: urls.fifoDlq ?? '',
    targets: Object.fromEntries(
      inboundBus.rules.map((rule) => [rule.provider, urls[`target:${rule.provider}`] ?? '']),
    ) as Record<InboundProvider, string>,
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
