import { Logger } from '@aws-lambda-powertools/logger';
import { SQSClient } from '@aws-sdk/client-sqs';
import { optional, optionalChoice, readConfig, required } from '@hookrelay/config';
import { eventStoreSettings } from '@hookrelay/config/settings';
import { DELIVERY_LANE_COUNTS, ENV } from '@hookrelay/definitions';
import { systemClock } from '@hookrelay/domain';
import { createDocumentClient, DynamoDbEventStore, DynamoDbLaneLagStore } from '@hookrelay/dynamodb';
import { SqsDeliveryQueue, SqsQueueDepths } from '@hookrelay/sqs';
import middy from '@middy/core';
import { type SweepDeps, sweep } from './sweep.js';

const config = readConfig({
  dataTable: required(ENV.dataTable),
  queueUrl: required(ENV.deliveryQueueUrl),
  slowQueueUrl: optional(ENV.slowQueueUrl, ''),
  // One lane: the main queue is the only one whose wait counts.
  deliveryLanes: optionalChoice(ENV.deliveryLanes, DELIVERY_LANE_COUNTS, 2),
  ...eventStoreSettings,
});

const logger = new Logger({ serviceName: 'sweeper' });
const db = createDocumentClient();
const sqs = new SQSClient({});
const deps: SweepDeps = {
  events: new DynamoDbEventStore(db, config.dataTable, {
    retentionDays: config.retentionDays,
    sweepGraceMs: config.sweepGraceMs,
  }),
  queue: new SqsDeliveryQueue(sqs, config.queueUrl, undefined),
  clock: systemClock,
  graceMs: config.sweepGraceMs,
  lags: new DynamoDbLaneLagStore(db, config.dataTable),
  depths: new SqsQueueDepths(sqs, {
    main: config.queueUrl,
    ...(config.deliveryLanes === 2 && config.slowQueueUrl ? { slow: config.slowQueueUrl } : {}),
  }),
};

/** Runs on a schedule (EventBridge, every minute). */
export const handler = middy(async () => {
  const report = await sweep(deps);
  if (report.examined > 0) logger.info('sweep', { ...report });
  else if (report.queue_wait_ms === null)
    logger.info('sweep skipped: messages wait and no worker has ever reported taking any', { ...report });
  return report;
});
