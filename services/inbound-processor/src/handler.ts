import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { optional, optionalBool, readConfig, required } from '@hookrelay/config';
import { eventStoreSettings } from '@hookrelay/config/settings';
import { ENV, INBOUND_ENV, inboundQueues } from '@hookrelay/definitions';
import { systemClock } from '@hookrelay/domain';
import { createDocumentClient, DynamoDbEventStore, DynamoDbWebhookStore } from '@hookrelay/dynamodb';
import { type ProcessDeps, parseInboundMessage, prepareBatch } from '@hookrelay/inbound';
import { DynamoDbInboundRequestStore, EventBridgeBus, S3Archive } from '@hookrelay/inbound-adapters';
import { SqsDeliveryQueue } from '@hookrelay/sqs';
import middy from '@middy/core';
import type { Context, SQSEvent } from 'aws-lambda';
import { StoredOutboundEvents } from './outbound-events.js';
import { recordHandler } from './process-records.js';

const config = readConfig({
  inboundTable: required(ENV.inboundTable),
  dataTable: required(ENV.dataTable),
  bucket: required(INBOUND_ENV.bucket),
  busName: required(INBOUND_ENV.busName),
  deliveryQueueUrl: required(ENV.deliveryQueueUrl),
  slowQueueUrl: optional(ENV.slowQueueUrl, ''),
  orderedQueueUrl: optional(ENV.orderedQueueUrl, ''),
  ...eventStoreSettings,
  forcePathStyle: optionalBool('S3_FORCE_PATH_STYLE', false),
});

const logger = new Logger({ serviceName: 'inbound-processor' });
const tracer = new Tracer({ serviceName: 'inbound-processor' });
const db = tracer.captureAWSv3Client(createDocumentClient());
const deps: ProcessDeps = {
  requests: new DynamoDbInboundRequestStore(db, config.inboundTable),
  archive: new S3Archive(
    tracer.captureAWSv3Client(new S3Client({ forcePathStyle: config.forcePathStyle })),
    config.bucket,
  ),
  bus: new EventBridgeBus(tracer.captureAWSv3Client(new EventBridgeClient({})), config.busName),
  outbound: new StoredOutboundEvents({
    events: new DynamoDbEventStore(db, config.dataTable, {
      retentionDays: config.retentionDays,
      sweepGraceMs: config.sweepGraceMs,
    }),
    webhooks: new DynamoDbWebhookStore(db, config.dataTable),
    queue: new SqsDeliveryQueue(
      tracer.captureAWSv3Client(new SQSClient({})),
      config.deliveryQueueUrl,
      undefined,
      config.slowQueueUrl || undefined,
      config.orderedQueueUrl ? { orderedQueueUrl: config.orderedQueueUrl } : {},
    ),
    clock: systemClock,
  }),
  clock: systemClock,
};

const maxReceiveCount = inboundQueues.fifo.redrive?.maxReceiveCount ?? 3;

/**
 * The FIFO consumer: first the batch's bodies not archived yet are written, one object per
 * tenant; then the records in order; a failure fails the rest of that source's group in the
 * batch (order is kept) while other sources' records go on.
 */
const lambdaHandler = async (event: SQSEvent, context: Context) => {
  const prepared = await prepareBatch(
    deps,
    event.Records.map((record) => parseInboundMessage(record.body)),
  );
  const byMessage = new Map(event.Records.map((record, i) => [record.messageId, prepared[i]]));
  const handleRecord = recordHandler(deps, logger, maxReceiveCount, (id) => byMessage.get(id));
  // A processor per invocation: it holds the batch's handler, which holds this batch's preparation.
  const processor = new SqsFifoPartialProcessorAsync();
  return processPartialResponse(event, handleRecord, processor, { context, skipGroupOnError: true });
};

export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer, { captureResponse: false }));
