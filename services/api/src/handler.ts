import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { optional, optionalBool, readConfig, required } from '@hookrelay/config';
import { requiredSecret } from '@hookrelay/config/secrets';
import { eventStoreSettings, senderSettings } from '@hookrelay/config/settings';
import { ENV, INBOUND_ENV } from '@hookrelay/definitions';
import { DestinationGuard, endpointSender, parseAllowlist } from '@hookrelay/delivery';
import {
  DEFAULT_CHALLENGE_RETRY_SCHEDULE,
  parseChallengeRetrySchedule,
  systemClock,
} from '@hookrelay/domain';
import {
  BatchReader,
  CursorCodec,
  createDocumentClient,
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
import { inboundStores } from '@hookrelay/inbound-adapters';
import { SqsDeliveryQueue, SqsLineHold } from '@hookrelay/sqs';
import { createApi } from './api.js';
import type { Deps } from './deps.js';
import { NotedTypes } from './event-catalog.js';
import { powertoolsIdempotency } from './idempotency.js';

const config = readConfig({
  keysTable: required(ENV.keysTable),
  dataTable: required(ENV.dataTable),
  secretsTable: required(ENV.secretsTable),
  credentialsTable: required(ENV.credentialsTable),
  idempotencyTable: required(ENV.idempotencyTable),
  queueUrl: required(ENV.deliveryQueueUrl),
  slowQueueUrl: optional(ENV.slowQueueUrl, ''),
  orderedQueueUrl: optional(ENV.orderedQueueUrl, ''),
  ...eventStoreSettings,
  ...senderSettings,
  inboundTable: required(ENV.inboundTable),
  inboundBucket: required(INBOUND_ENV.bucket),
  inboundQueueUrl: required(INBOUND_ENV.queueUrl),
  ingestBaseUrl: required(INBOUND_ENV.ingestBaseUrl),
  forcePathStyle: optionalBool('S3_FORCE_PATH_STYLE', false),
  challengeRetrySchedule: optional('CHALLENGE_RETRY_SCHEDULE', DEFAULT_CHALLENGE_RETRY_SCHEDULE),
});

// On AWS, CURSOR_SECRET_PARAMETER names the SSM parameter; locally CURSOR_SECRET is the value.
// Read once, at init: the cursor codec below is built with it.
const cursorSecret = await (await requiredSecret('CURSOR_SECRET')).value();

const logger = new Logger({ serviceName: 'api' });
const ddb = new DynamoDBClient({});
const db = createDocumentClient();

const destinations = new DestinationGuard(parseAllowlist(config.allowlist));
const credentials = new DynamoDbEndpointCredentialStore(db, config.credentialsTable);
const queue = new SqsDeliveryQueue(
  new SQSClient({}),
  config.queueUrl,
  undefined,
  config.slowQueueUrl || undefined,
  config.orderedQueueUrl ? { orderedQueueUrl: config.orderedQueueUrl } : {},
);

const deps: Deps = {
  tenants: new DynamoDbTenantStore(db, config.dataTable),
  keys: new DynamoDbKeyStore(db, config.keysTable),
  portalSessions: new DynamoDbPortalSessionStore(db, config.keysTable),
  webhooks: new DynamoDbWebhookStore(db, config.dataTable),
  secrets: new DynamoDbSecretStore(db, config.secretsTable),
  credentials,
  events: new DynamoDbEventStore(db, config.dataTable, {
    cursors: new CursorCodec(cursorSecret),
    retentionDays: config.retentionDays,
    sweepGraceMs: config.sweepGraceMs,
    // An export page reads its events at once: one BatchGetItem rather than one GetItem each.
    reader: new BatchReader(db),
  }),
  catalog: new NotedTypes(new DynamoDbEventCatalog(db, config.dataTable, config.retentionDays)),
  counters: new DynamoDbDeliveryCounterStore(db, config.dataTable, { retentionDays: config.retentionDays }),
  retentionDays: config.retentionDays,
  queue,
  challenges: queue,
  challengeRetriesMs: parseChallengeRetrySchedule(config.challengeRetrySchedule),
  ...(config.orderedQueueUrl
    ? {
        orderedLine: {
          pauses: new DynamoDbOrderingPauseStore(db, config.dataTable),
          release: async (handles: readonly string[]) => {
            const line = new SqsLineHold(new SQSClient({}), config.orderedQueueUrl);
            await Promise.all(handles.map((h) => line.hold(h, 1)));
          },
        },
      }
    : {}),
  // Test sends and challenges authenticate to endpoints as deliveries do.
  sender: endpointSender({
    guard: destinations,
    timeoutMs: config.timeoutMs,
    httpsOnly: config.httpsOnly,
    credentials,
    tokens: new DynamoDbTokenCache(db, config.credentialsTable),
  }),
  destinations,
  clock: systemClock,
  inbound: {
    ...inboundStores({
      db,
      table: config.inboundTable,
      s3: new S3Client({ forcePathStyle: config.forcePathStyle }),
      bucket: config.inboundBucket,
      sqs: new SQSClient({}),
      queueUrl: config.inboundQueueUrl,
      cursors: new CursorCodec(cursorSecret),
    }),
    ingestBaseUrl: config.ingestBaseUrl.replace(/\/$/, ''),
  },
  rotationOverlapMs: 24 * 3600 * 1000,
  maxEventBytes: 256 * 1024,
  idempotent: powertoolsIdempotency(config.idempotencyTable, ddb),
};

export const handler = createApi(deps, logger);
