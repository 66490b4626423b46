import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { optional, optionalBool, readConfig, required } from '@hookrelay/config';
import { requiredSecret } from '@hookrelay/config/secrets';
import { eventStoreSettings, senderSettings } from '@hookrelay/config/settings';
import { ENV, INBOUND_ENV } from '@hookrelay/definitions';
import { DestinationGuard, parseAllowlist } from '@hookrelay/delivery';
import {
  DEFAULT_CHALLENGE_RETRY_SCHEDULE,
  parseChallengeRetrySchedule,
  systemClock,
} from '@hookrelay/domain';
import { createDocumentClient } from '@hookrelay/dynamodb/client';
import { createApi } from './api.js';
import type { AwsPorts } from './aws-ports.js';
import type { Deps } from './deps.js';
import { powertoolsIdempotency } from './idempotency.js';
import { lazyPorts } from './lazy-port.js';
import { once } from './once.js';

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
// Read once, at init: the cursor codecs (aws-ports.ts) are built with it.
const cursorSecret = await (await requiredSecret('CURSOR_SECRET')).value();

const logger = new Logger({ serviceName: 'api' });
// Configuration that can be wrong is checked here, at init, like the rest.
const destinations = new DestinationGuard(parseAllowlist(config.allowlist));
const challengeRetriesMs = parseChallengeRetrySchedule(config.challengeRetrySchedule);

// The SDK clients are built at init, as a cold start on AWS builds them; what is built over them
// (the stores, the queues, the sender, and the SDK commands they send) loads with the first call
// to one of them (aws-ports.ts, lazy-port.ts).
const ddb = new DynamoDBClient({});
const clients = {
  db: createDocumentClient(),
  sqs: new SQSClient({}),
  s3: new S3Client({ forcePathStyle: config.forcePathStyle }),
};
const port = lazyPorts<AwsPorts>(
  once(async () =>
    (await import('./aws-ports.js')).awsPorts({ ...config, clients, cursorSecret, destinations }),
  ),
);

const queue = port('queue');
const deps: Deps = {
  tenants: port('tenants'),
  keys: port('keys'),
  portalSessions: port('portalSessions'),
  webhooks: port('webhooks'),
  secrets: port('secrets'),
  credentials: port('credentials'),
  events: port('events'),
  catalog: port('catalog'),
  counters: port('counters'),
  retentionDays: config.retentionDays,
  queue,
  challenges: queue,
  challengeRetriesMs,
  ...(config.orderedQueueUrl
    ? { orderedLine: { pauses: port('pauses'), release: port('line').release } }
    : {}),
  sender: port('sender'),
  destinations,
  clock: systemClock,
  inbound: {
    sources: port('sources'),
    requests: port('requests'),
    archive: port('archive'),
    queue: port('inboundQueue'),
    ingestBaseUrl: config.ingestBaseUrl.replace(/\/$/, ''),
  },
  rotationOverlapMs: 24 * 3600 * 1000,
  maxEventBytes: 256 * 1024,
  idempotent: powertoolsIdempotency(config.idempotencyTable, ddb),
};

export const handler = createApi(deps, logger);
