import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CursorCodec } from '@hookrelay/dynamodb';
import { DynamoDbInboundRequestStore } from './dynamodb-inbound-request-store.js';
import { DynamoDbSourceStore } from './dynamodb-source-store.js';
import { S3Archive } from './s3-archive.js';
import { SqsInboundQueue } from './sqs-inbound-queue.js';

/** Where the inbound stores are, and the clients that reach them. */
interface InboundStoresConfig {
  readonly db: DynamoDBDocumentClient;
  readonly table: string;
  readonly s3: S3Client;
  readonly bucket: string;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** Signs the received requests' list cursors: only a function that lists them needs it. */
  readonly cursors?: CursorCodec;
}

/**
 * The stores a function that takes in or shows received requests works with: the sources, the
 * requests received, their raw bodies and the queue they wait in to be processed.
 *
 * @example const { sources, requests, archive, queue } = inboundStores({ db, table, s3, bucket, sqs, queueUrl });
 */
export const inboundStores = (config: InboundStoresConfig) => ({
  sources: new DynamoDbSourceStore(config.db, config.table),
  requests: new DynamoDbInboundRequestStore(config.db, config.table, config.cursors),
  archive: new S3Archive(config.s3, config.bucket),
  queue: new SqsInboundQueue(config.sqs, config.queueUrl),
});
