import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { SQSClient } from '@aws-sdk/client-sqs';
import { optional, optionalChoice, optionalInt, readConfig, required } from '@hookrelay/config';
import { eventStoreSettings, senderSettings } from '@hookrelay/config/settings';
import { DELIVERY_LANE_COUNTS, ENV, lanes, queues } from '@hookrelay/definitions';
import {
  DestinationGuard,
  endpointSender,
  parseAllowlist,
  type RetryChallengeDeps,
  retryChallenge,
} from '@hookrelay/delivery';
import {
  EndpointSlots,
  type Outcome,
  processDelivery,
  sendReturnedAgain,
  tellTenant,
  type WorkerDeps,
} from '@hookrelay/delivery/attempt';
import {
  type ChallengeMessage,
  DEFAULT_CHALLENGE_RETRY_SCHEDULE,
  DEFAULT_LANE_POLICY,
  DEFAULT_RETRY_SCHEDULE,
  type DeliveryMessage,
  type Lane,
  parseChallengeMessage,
  parseChallengeRetrySchedule,
  parseDeliveryMessage,
  parseRetrySchedule,
  systemClock,
} from '@hookrelay/domain';
import {
  BatchReader,
  BatchWriter,
  createDocumentClient,
  DynamoDbDeliveryCounterStore,
  DynamoDbEndpointCredentialStore,
  DynamoDbEventStore,
  DynamoDbLaneLagStore,
  DynamoDbOrderingPauseStore,
  DynamoDbRateLimiter,
  DynamoDbSecretStore,
  DynamoDbTokenCache,
  DynamoDbWebhookStore,
} from '@hookrelay/dynamodb';
import { SqsDeliveryQueue, SqsLineHold } from '@hookrelay/sqs';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { BatchedCounters } from './batched-counters.js';
import { BatchedOutcomes } from './batched-outcomes.js';
import { LagReporter } from './lag-reporter.js';
import { lineBatchHandler } from './ordered-batch.js';

const config = readConfig({
  dataTable: required(ENV.dataTable),
  secretsTable: required(ENV.secretsTable),
  credentialsTable: required(ENV.credentialsTable),
  queueUrl: required(ENV.deliveryQueueUrl),
  slowQueueUrl: optional(ENV.slowQueueUrl, ''),
  // One lane: no slow queue, and what the slow lane would hold waits in the main queue.
  deliveryLanes: optionalChoice(ENV.deliveryLanes, DELIVERY_LANE_COUNTS, 2),
  orderedQueueUrl: optional(ENV.orderedQueueUrl, ''),
  dlqUrl: required(ENV.dlqUrl),
  slowAfterMs: optionalInt('SLOW_LANE_AFTER_MS', DEFAULT_LANE_POLICY.slowAfterMs),
  mainLaneBudgetMs: optionalInt('MAIN_LANE_BUDGET_MS', DEFAULT_LANE_POLICY.mainLaneBudgetMs),
  recoverAfterMs: optionalInt('SLOW_LANE_RECOVER_MS', DEFAULT_LANE_POLICY.recoverAfterMs),
  endpointConcurrency: optionalInt('SLOW_LANE_ENDPOINT_CONCURRENCY', 128),
  ...eventStoreSettings,
  ...senderSettings,
  schedule: optional('RETRY_SCHEDULE', DEFAULT_RETRY_SCHEDULE),
  challengeRetrySchedule: optional('CHALLENGE_RETRY_SCHEDULE', DEFAULT_CHALLENGE_RETRY_SCHEDULE),
});

const logger = new Logger({ serviceName: 'worker' });
// Its own warnings go through the logger, as JSON lines like every other.
const metrics = new Metrics({ namespace: 'Hookrelay', serviceName: 'worker', logger });
// X-Ray: a segment per invocation, a subsegment per DynamoDB and SQS call.
const tracer = new Tracer({ serviceName: 'worker' });
const db = tracer.captureAWSv3Client(createDocumentClient());
// The reads of a batch's messages (events, then webhooks and secrets) go out together.
const reader = new BatchReader(db);
const webhooks = new DynamoDbWebhookStore(db, config.dataTable, reader);
// Webhook counters: one write per webhook per batch, after the batch.
const outcomes = new BatchedOutcomes(webhooks);
// Delivery counters for the stats: one write per webhook and bucket per batch, after the batch.
const counters = new BatchedCounters(
  new DynamoDbDeliveryCounterStore(db, config.dataTable, { retentionDays: config.retentionDays }),
);
const lag = new LagReporter(new DynamoDbLaneLagStore(db, config.dataTable));
// The worker never reads cursors; the codec only satisfies the store's constructor.
const events = new DynamoDbEventStore(db, config.dataTable, {
  retentionDays: config.retentionDays,
  sweepGraceMs: config.sweepGraceMs,
  reader,
  // Attempts that finish within 5 ms of each other are written in one request.
  writer: new BatchWriter(db, 5),
});
// The slow lane's queue, where the stage has one.
const slowQueueUrl = config.deliveryLanes === 2 && config.slowQueueUrl ? config.slowQueueUrl : undefined;
const queue = new SqsDeliveryQueue(
  tracer.captureAWSv3Client(new SQSClient({})),
  config.queueUrl,
  config.dlqUrl,
  slowQueueUrl,
  // The messages a batch hands back, forwards or retries go out together.
  { gather: true },
);
const deps: WorkerDeps = {
  events,
  webhooks: outcomes,
  secrets: new DynamoDbSecretStore(db, config.secretsTable, reader),
  queue,
  // OAuth2 tokens are cached in the credentials table, where every instance finds them.
  sender: endpointSender({
    guard: new DestinationGuard(parseAllowlist(config.allowlist)),
    timeoutMs: config.timeoutMs,
    httpsOnly: config.httpsOnly,
    credentials: new DynamoDbEndpointCredentialStore(db, config.credentialsTable),
    tokens: new DynamoDbTokenCache(db, config.credentialsTable),
  }),
  clock: systemClock,
  schedule: parseRetrySchedule(config.schedule),
  // The sweeper's grace less the longest attempt (the worker's timeout, with room to spare).
  listBeforeAttemptAfterMs: config.sweepGraceMs - 60_000,
  lanes: {
    ...DEFAULT_LANE_POLICY,
    slowAfterMs: config.slowAfterMs,
    mainLaneBudgetMs: config.mainLaneBudgetMs,
    recoverAfterMs: config.recoverAfterMs,
  },
  deliveryLanes: config.deliveryLanes,
  onTaken: (lane, lateByMs) => lag.observe(lane, lateByMs),
  endpointSlots: new EndpointSlots(config.endpointConcurrency),
  rateLimiter: new DynamoDbRateLimiter(db, config.dataTable),
  notices: { events, webhooks, queue, clock: systemClock },
  counters,
};

// Retries of unanswered ownership challenges ride the main lane beside deliveries.
const challengeDeps: RetryChallengeDeps = {
  webhooks,
  secrets: deps.secrets,
  sender: deps.sender,
  clock: systemClock,
  challenges: queue,
  challengeRetriesMs: parseChallengeRetrySchedule(config.challengeRetrySchedule),
};

// One function consumes every lane; a record's queue says which lane it came from.
const slowQueueName = slowQueueUrl?.split('/').pop() ?? '';
const orderedQueueName = config.orderedQueueUrl.split('/').pop() ?? '';
const orderedLine = orderedQueueName
  ? lineBatchHandler(
      {
        events,
        webhooks: outcomes,
        secrets: deps.secrets,
        queue,
        line: new SqsLineHold(tracer.captureAWSv3Client(new SQSClient({})), config.orderedQueueUrl),
        sender: deps.sender,
        clock: systemClock,
        schedule: deps.schedule,
        rateLimiter: deps.rateLimiter,
        pauses: new DynamoDbOrderingPauseStore(db, config.dataTable),
        tellTenant: (report) => tellTenant({ events, webhooks, queue, clock: systemClock }, report),
        counters,
      },
      logger,
      metrics,
      // A turn: the attempt's timeout and the reads and writes around it.
      config.timeoutMs + 5_000,
    )
  : undefined;
const laneOfRecord = (record: SQSRecord): Lane =>
  slowQueueName && record.eventSourceARN.endsWith(`:${slowQueueName}`) ? 'slow' : 'main';

const processor = new BatchProcessor(EventType.SQS);

/**
 * How many times a lane's message may come back and be sent again before its queue's own
 * receives count: as many as the queue's redrive allows, so that a message that fails every
 * time still reaches the DLQ, after twice as many returns as the redrive alone would allow.
 */
const returnLimit = (lane: Lane): number => queues[lanes[lane].queue].redrive?.maxReceiveCount ?? 5;

/** Retries of unanswered ownership challenges ride the main lane beside deliveries. */
const handleChallenge = async (record: SQSRecord, challenge: ChallengeMessage): Promise<void> => {
  const ids = { tenant_id: challenge.tenant_id, webhook_id: challenge.webhook_id, round: challenge.round };
  // Taken from the main lane like a delivery: the sweeper's reckoning of the lane's wait counts it.
  lag.observe(laneOfRecord(record), Math.max(0, Date.now() - Date.parse(challenge.due_at)));
  // Best effort, as the API's own challenges: a retry that fails here is not retried by SQS
  // (the webhook stays unverified and POST /v1/webhooks/{id}/verify asks again).
  const result = await retryChallenge(challengeDeps, challenge).catch((error: unknown) => {
    logger.warn('ownership challenge not made', {
      ...ids,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return 'failed';
  });
  logger.info(`ownership challenge ${result}`, ids);
};

type Attempted = Extract<Outcome, { kind: 'delivered' | 'retry' | 'failed' }>;

/** An attempt's line, its latency, its lane move, and the delivery counts it adds to. */
const reportAttempt = (record: SQSRecord, message: DeliveryMessage, outcome: Attempted): void => {
  const ids = { tenant_id: message.tenant_id, event_id: message.event_id, webhook_id: message.webhook_id };
  const { result } = outcome;
  // A first-time success is the common case and already recorded twice (the attempt item,
  // the EMF metrics): its line is DEBUG, paid for only when asked for. Retries and failures
  // stay at INFO.
  const delivered = outcome.kind === 'delivered' && outcome.attempt === 1;
  logger[delivered ? 'debug' : 'info'](`attempt ${outcome.kind}`, {
    ...ids,
    attempt: outcome.attempt,
    status_code: result.status_code,
    error_kind: result.error_kind,
    duration_ms: result.duration_ms,
  });
  metrics.addMetric('AttemptLatency', MetricUnit.Milliseconds, result.duration_ms);
  if (outcome.lane_change === 'quarantine') {
    logger.warn('endpoint moved to the slow lane', { ...ids, duration_ms: result.duration_ms });
    metrics.addMetric('EndpointQuarantined', MetricUnit.Count, 1);
  } else if (outcome.lane_change === 'recover') {
    logger.info('endpoint back on the main lane', ids);
  }
  if (outcome.kind === 'delivered') {
    metrics.addMetric('WebhookDeliverySuccess', MetricUnit.Count, 1);
    const sentAt = Number(record.attributes.SentTimestamp);
    if (message.attempt === 1 && Number.isFinite(sentAt)) {
      metrics.addMetric('EndToEndLatency', MetricUnit.Milliseconds, Date.now() - sentAt);
    }
  }
  if (outcome.kind === 'retry') metrics.addMetric('WebhookRetryCount', MetricUnit.Count, 1);
  if (outcome.kind === 'failed') metrics.addMetric('WebhookDeliveryFailure', MetricUnit.Count, 1);
};

/**
 * Says what a lane's message came to: an attempt's line and metrics, a hand-off to the slow
 * lane, or (at DEBUG) why nothing was attempted.
 */
const reportOutcome = (record: SQSRecord, message: DeliveryMessage, outcome: Outcome): void => {
  const ids = { tenant_id: message.tenant_id, event_id: message.event_id, webhook_id: message.webhook_id };
  switch (outcome.kind) {
    case 'delivered':
    case 'retry':
    case 'failed':
      reportAttempt(record, message, outcome);
      break;
    case 'forwarded':
      if (outcome.abandoned_after_ms !== undefined) {
        logger.info('attempt handed to the slow lane', {
          ...ids,
          attempt: message.attempt,
          after_ms: outcome.abandoned_after_ms,
        });
        metrics.addMetric('AttemptHandedBack', MetricUnit.Count, 1);
      }
      break;
    default:
      logger.debug(`message ${outcome.kind}`, { ...ids, attempt: message.attempt });
  }
};

/** Outcomes whose message has a replacement queued already. */
const HANDED_BACK: ReadonlySet<Outcome['kind']> = new Set([
  'deferred',
  'forwarded',
  'rate_limited',
  'parked',
]);

const handleDelivery = async (record: SQSRecord, message: DeliveryMessage): Promise<void> => {
  const lane = laneOfRecord(record);
  let outcome: Outcome;
  try {
    // A message back from a receive that ended without an outcome goes out again as a new one.
    outcome =
      (await sendReturnedAgain(
        deps,
        message,
        Number(record.attributes.ApproximateReceiveCount),
        lane,
        returnLimit(lane),
      )) ?? (await processDelivery(deps, message, lane));
  } catch (error) {
    // Only this record fails (SQS makes it visible again); its cause is said here, per record.
    logger.error('delivery not processed; its message comes back', {
      tenant_id: message.tenant_id,
      event_id: message.event_id,
      webhook_id: message.webhook_id,
      attempt: message.attempt,
      message_id: record.messageId,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    throw error;
  }
  if (HANDED_BACK.has(outcome.kind)) {
    // Its replacement is queued: the original goes now, not when the batch's slowest attempt
    // ends, so the queues never hold a delivery twice (if this fails, the batch's end deletes it).
    await queue.release(lane, record.receiptHandle).catch(() => undefined);
  }
  reportOutcome(record, message, outcome);
};

const recordHandler = async (record: SQSRecord): Promise<void> => {
  const challenge = parseChallengeMessage(record.body);
  if (challenge) return handleChallenge(record, challenge);
  const message = parseDeliveryMessage(record.body);
  if (!message) {
    logger.error('dropping a message that is not a delivery', { message_id: record.messageId });
    return;
  }
  await handleDelivery(record, message);
};

const lambdaHandler = async (event: SQSEvent, context: Context) => {
  try {
    // A mapping's batch comes from one queue: the ordered line's takes its own path.
    const first = event.Records[0];
    if (orderedLine && first?.eventSourceARN.endsWith(`:${orderedQueueName}`))
      return await orderedLine(event, context);
    // A batch whose every record failed answers them all as failures, as a partial one does:
    // no FullBatchFailureError hides the causes logged above.
    return await processPartialResponse(event, recordHandler, processor, {
      context,
      throwOnFullBatchFailure: false,
    });
  } finally {
    // Counters are statistics: if they cannot be written now they stay held for the next batch,
    // and the batch's deliveries stand either way. The webhooks' and the stats' go out together.
    await Promise.all([
      outcomes.flush().catch((error) =>
        logger.warn('webhook counters not written; kept for the next batch', {
          error: error instanceof Error ? error.message : String(error),
        }),
      ),
      counters.flush().catch((error) =>
        logger.warn('delivery counters not written; kept for the next batch', {
          error: error instanceof Error ? error.message : String(error),
        }),
      ),
    ]);
    await lag.flush(Date.now()).catch(() => undefined);
    // A batch of skipped or deferred messages measured nothing: nothing to publish, and
    // nothing to warn about (publishing would print a plain-text warning into the JSON stream).
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  }
};

export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer, { captureResponse: false }));
