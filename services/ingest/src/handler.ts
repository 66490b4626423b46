import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { optionalBool, optionalChoice, optionalInt, readConfig, required } from '@hookrelay/config';
import { ENV, INBOUND_ARCHIVE_MODES, INBOUND_ENV, INBOUND_MAX_BODY_BYTES } from '@hookrelay/definitions';
import { systemClock } from '@hookrelay/domain';
import { createDocumentClient } from '@hookrelay/dynamodb';
import type { IngestDeps } from '@hookrelay/inbound';
import { inboundStores } from '@hookrelay/inbound-adapters';
import { createIngestHandler } from './ingest-handler.js';

const config = readConfig({
  table: required(ENV.inboundTable),
  bucket: required(INBOUND_ENV.bucket),
  queueUrl: required(INBOUND_ENV.queueUrl),
  retentionDays: optionalInt('RETENTION_DAYS', 30),
  forcePathStyle: optionalBool('S3_FORCE_PATH_STYLE', false),
  archiveMode: optionalChoice(INBOUND_ENV.archive, INBOUND_ARCHIVE_MODES, 'ingest'),
});

const logger = new Logger({ serviceName: 'ingest' });
const tracer = new Tracer({ serviceName: 'ingest' });
const db = tracer.captureAWSv3Client(createDocumentClient());
const deps: IngestDeps = {
  // Ingestion never lists, so it never reads a cursor.
  ...inboundStores({
    db,
    table: config.table,
    s3: tracer.captureAWSv3Client(new S3Client({ forcePathStyle: config.forcePathStyle })),
    bucket: config.bucket,
    sqs: tracer.captureAWSv3Client(new SQSClient({})),
    queueUrl: config.queueUrl,
  }),
  clock: systemClock,
  maxBodyBytes: INBOUND_MAX_BODY_BYTES,
  retentionDays: config.retentionDays,
  archiveMode: config.archiveMode,
};

export const handler = createIngestHandler(deps, logger).use(
  captureLambdaHandler(tracer, { captureResponse: false }),
);
