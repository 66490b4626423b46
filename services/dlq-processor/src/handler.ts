import { Logger } from '@aws-lambda-powertools/logger';
import { SQSClient } from '@aws-sdk/client-sqs';
import { readConfig, required } from '@hookrelay/config';
import { eventStoreSettings } from '@hookrelay/config/settings';
import { ENV } from '@hookrelay/definitions';
import { systemClock } from '@hookrelay/domain';
import { createDocumentClient, DynamoDbEventStore, DynamoDbWebhookStore } from '@hookrelay/dynamodb';
import { type RequeueDeps, requeueDeadLetters, SqsDeliveryQueue } from '@hookrelay/sqs';
import middy from '@middy/core';

const config = readConfig({
  dataTable: required(ENV.dataTable),
  queueUrl: required(ENV.deliveryQueueUrl),
  dlqUrl: required(ENV.dlqUrl),
  ...eventStoreSettings,
});

const logger = new Logger({ serviceName: 'dlq-processor' });
const sqs = new SQSClient({});
const db = createDocumentClient();
const deps: RequeueDeps = {
  sqs,
  dlqUrl: config.dlqUrl,
  queue: new SqsDeliveryQueue(sqs, config.queueUrl, config.dlqUrl),
  events: new DynamoDbEventStore(db, config.dataTable, {
    retentionDays: config.retentionDays,
    sweepGraceMs: config.sweepGraceMs,
  }),
  webhooks: new DynamoDbWebhookStore(db, config.dataTable),
  clock: systemClock,
};

const positive = (value: unknown, fallback: number, max: number): number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? Math.min(value, max) : fallback;

/** `{batchSize, maxMessages}` → `{statusCode: 200, body: '{"requeued": n, "failed": m}'}` */
export const handler = middy(async (event: { batchSize?: unknown; maxMessages?: unknown } | null) => {
  const result = await requeueDeadLetters(deps, {
    batchSize: positive(event?.batchSize, 10, 10),
    maxMessages: positive(event?.maxMessages, 100, 10_000),
    // Why a message stayed in the DLQ, for whoever reads the logs after a partial requeue.
    onFailure: ({ message_id, error }) =>
      logger.warn('message left in the DLQ', {
        message_id,
        error: error instanceof Error ? error.message : String(error),
      }),
  });
  logger.info('dlq requeue', { ...result });
  return { statusCode: 200, body: JSON.stringify(result) };
});
