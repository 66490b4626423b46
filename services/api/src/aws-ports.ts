import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { type DestinationGuard, endpointSender } from '@hookrelay/delivery';
import {
  BatchReader,
  CursorCodec,
  DynamoDbDeliveryCounterStore,
  DynamoDbEndpointCredentialStore,
  DynamoDbEventCatalog,
  DynamoDbEventStore,
  DynamoDbKeyStore,
  DynamoDbOrderingPauseStore,
  DynamoDbPortalSessionStore,
  DynamoDbSecretStore,
  DynamoDbTenantStore,
  DynamoDbTokenCache,
  DynamoDbWebhookStore,
} from '@hookrelay/dynamodb';
import type { createDocumentClient } from '@hookrelay/dynamodb/client';
import { inboundStores } from '@hookrelay/inbound-adapters';
import { SqsDeliveryQueue, SqsLineHold } from '@hookrelay/sqs';
import { NotedTypes } from './event-catalog.js';

/** What the API's adapters are built from: the tables, queues and bucket, and the SDK clients. */
interface AwsPortSettings {
  readonly clients: {
    readonly db: ReturnType<typeof createDocumentClient>;
    readonly sqs: SQSClient;
    readonly s3: S3Client;
  };
  readonly cursorSecret: string;
  readonly keysTable: string;
  readonly dataTable: string;
  readonly secretsTable: string;
  readonly credentialsTable: string;
  readonly queueUrl: string;
  readonly slowQueueUrl: string;
  readonly orderedQueueUrl: string;
  readonly retentionDays: number;
  readonly sweepGraceMs: number;
  readonly timeoutMs: number;
  readonly httpsOnly: boolean;
  readonly destinations: DestinationGuard;
  readonly inboundTable: string;
  readonly inboundBucket: string;
  readonly inboundQueueUrl: string;
}

/**
 * The API's ports over DynamoDB, SQS and S3, and the sender test sends and challenges use. The
 * handler imports this module on the first call to any port (`lazyPort`), so a cold start
 * compiles none of the stores nor the SDK commands they send.
 */
export const awsPorts = (settings: AwsPortSettings) => {
  const { db, sqs, s3 } = settings.clients;
  const cursors = new CursorCodec(settings.cursorSecret);
  const credentials = new DynamoDbEndpointCredentialStore(db, settings.credentialsTable);
  const queue = new SqsDeliveryQueue(
    sqs,
    settings.queueUrl,
    undefined,
    settings.slowQueueUrl || undefined,
    settings.orderedQueueUrl ? { orderedQueueUrl: settings.orderedQueueUrl } : {},
  );
  const line = new SqsLineHold(sqs, settings.orderedQueueUrl);
  const inbound = inboundStores({
    db,
    table: settings.inboundTable,
    s3,
    bucket: settings.inboundBucket,
    sqs,
    queueUrl: settings.inboundQueueUrl,
    cursors,
  });
  return {
    tenants: new DynamoDbTenantStore(db, settings.dataTable),
    keys: new DynamoDbKeyStore(db, settings.keysTable),
    portalSessions: new DynamoDbPortalSessionStore(db, settings.keysTable),
    webhooks: new DynamoDbWebhookStore(db, settings.dataTable),
    secrets: new DynamoDbSecretStore(db, settings.secretsTable),
    credentials,
    events: new DynamoDbEventStore(db, settings.dataTable, {
      cursors,
      retentionDays: settings.retentionDays,
      sweepGraceMs: settings.sweepGraceMs,
      // An export page reads its events at once: one BatchGetItem rather than one GetItem each.
      reader: new BatchReader(db),
    }),
    catalog: new NotedTypes(new DynamoDbEventCatalog(db, settings.dataTable, settings.retentionDays)),
    counters: new DynamoDbDeliveryCounterStore(db, settings.dataTable, {
      retentionDays: settings.retentionDays,
    }),
    queue,
    pauses: new DynamoDbOrderingPauseStore(db, settings.dataTable),
    line: {
      release: async (handles: readonly string[]) => {
        await Promise.all(handles.map((h) => line.hold(h, 1)));
      },
    },
    // Test sends and challenges authenticate to endpoints as deliveries do.
    sender: endpointSender({
      guard: settings.destinations,
      timeoutMs: settings.timeoutMs,
      httpsOnly: settings.httpsOnly,
      credentials,
      tokens: new DynamoDbTokenCache(db, settings.credentialsTable),
    }),
    sources: inbound.sources,
    requests: inbound.requests,
    archive: inbound.archive,
    inboundQueue: inbound.queue,
  };
};

export type AwsPorts = ReturnType<typeof awsPorts>;
