import { Logger } from '@aws-lambda-powertools/logger';
import { SQSClient } from '@aws-sdk/client-sqs';
import { optionalInt, readConfig, required } from '@hookrelay/config';
import { ENV } from '@hookrelay/definitions';
import { systemClock } from '@hookrelay/domain';
import { CursorCodec, createDocumentClient, DynamoDbEventStore } from '@hookrelay/dynamodb';
import { SqsDeliveryQueue } from '@hookrelay/sqs';
import middy from '@middy/core';
import { type SweepDeps, sweep } from './sweep.js';

const config = readConfig({
  dataTable: required(ENV.dataTable),
  queueUrl: required(ENV.deliveryQueueUrl),
  dlqUrl: required(ENV.dlqUrl),
  retentionDays: optionalInt('RETENTION_DAYS', 30),
  sweepGraceMs: optionalInt('SWEEP_GRACE_MS', 120_000),
});

const logger = new Logger({ serviceName: 'sweeper' });
const deps: SweepDeps = {
  events: new DynamoDbEventStore(
    createDocumentClient(),
    config.dataTable,
    new CursorCodec('sweeper-does-not-page'),
    {
      retentionDays: config.retentionDays,
      sweepGraceMs: config.sweepGraceMs,
    },
  ),
  queue: new SqsDeliveryQueue(new SQSClient({}), config.queueUrl, config.dlqUrl),
  clock: systemClock,
  graceMs: config.sweepGraceMs,
};

/** Runs on a schedule (EventBridge, every minute). */
export const handler = middy(async () => {
  const report = await sweep(deps);
  if (report.examined > 0) logger.info('sweep', { ...report });
  return report;
});
