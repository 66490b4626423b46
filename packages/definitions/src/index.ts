/**
 * The one description of the platform's tables and queues. `infra/` turns these into
 * Terraform resources and the local platform creates them in DynamoDB Local and fauxqs,
 * so the two can never disagree about a key, an index or a redrive policy.
 *
 * @example
 * resourceName(tables.data.baseName, 'dev') // 'hookrelay-platform-data-dev'
 */
export type AttributeType = 'S' | 'N';

interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  /** Attributes copied into the index besides the keys; `ALL` copies the item. */
  readonly projection: 'ALL' | 'KEYS_ONLY' | readonly string[];
}

export interface TableDefinition {
  readonly id: 'keys' | 'data' | 'secrets' | 'credentials' | 'idempotency' | 'receiver' | 'inbound';
  readonly baseName: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly attributes: Readonly<Record<string, AttributeType>>;
  readonly indexes: readonly IndexDefinition[];
  readonly ttlAttribute?: string;
}

export interface QueueDefinition {
  readonly id: 'deliveries' | 'slow' | 'ordered' | 'orderedDlq' | 'dlq';
  readonly baseName: string;
  /** A FIFO queue: its name ends in `.fifo`, and its messages carry a group and a deduplication id. */
  readonly fifo?: true;
  readonly visibilityTimeoutSeconds: number;
  readonly messageRetentionSeconds: number;
  readonly receiveWaitTimeSeconds: number;
  /** Only on the source queue: where messages go after `maxReceiveCount` receives. */
  readonly redrive?: { readonly deadLetterQueue: 'dlq' | 'orderedDlq'; readonly maxReceiveCount: number };
}

import { resourceName } from './names.js';
import { consumedQueueSettings, deadLetterSettings } from './queue-settings.js';

export { resourceName, SERVICE_PREFIX } from './names.js';

/**
 * Partitions a tenant's events, and a webhook's attempts, are spread over: 16 keep one tenant
 * at 8,000 events/s under a partition's 1,000 writes/s (docs/scaling.md).
 */
export const EVENT_INDEX_SHARDS = 16;
/** Partitions of the sweeper's sparse index of deliveries that failed or wait unattempted. */
export const SWEEP_INDEX_SHARDS = 32;

export const INDEX = {
  eventsByStatus: 'events-by-status',
  sweep: 'sweep',
  keysByTenant: 'keys-by-tenant',
  requestsBySource: 'requests-by-source',
} as const;

const keys: TableDefinition = {
  id: 'keys',
  baseName: 'api-keys',
  partitionKey: 'pk',
  attributes: { pk: 'S', tenant_id: 'S', created_at: 'S' },
  indexes: [
    {
      name: INDEX.keysByTenant,
      partitionKey: 'tenant_id',
      sortKey: 'created_at',
      projection: ['key_id', 'hint'],
    },
  ],
  // Portal sessions expire by it; API keys have none and stay until revoked.
  ttlAttribute: 'ttl',
};

/** What the status index copies of an event: its type, status and deliveries (codes in docs/data-model.md). */
const eventSummary = ['ty', 'st', 'd'] as const;

const data: TableDefinition = {
  id: 'data',
  baseName: 'platform-data',
  partitionKey: 'pk',
  sortKey: 'sk',
  attributes: {
    pk: 'S',
    sk: 'S',
    gsi2pk: 'S',
    sweep_pk: 'S',
    sweep_at: 'N',
  },
  // Events are listed by time from the table itself (a tenant's shard partitions, sorted by
  // creation time), and a webhook's attempts are items of its own: no index for either.
  indexes: [
    // Sparse: every status but DELIVERED, and PENDING only once attempted or past its grace.
    { name: INDEX.eventsByStatus, partitionKey: 'gsi2pk', sortKey: 'sk', projection: eventSummary },
    { name: INDEX.sweep, partitionKey: 'sweep_pk', sortKey: 'sweep_at', projection: 'KEYS_ONLY' },
  ],
  ttlAttribute: 'expires_at',
};

/** A table whose items are found by their key alone (string attributes), with no index. */
const keyedTable = (
  id: TableDefinition['id'],
  baseName: string,
  [partitionKey, sortKey]: readonly [partitionKey: string, sortKey?: string],
  ttlAttribute?: string,
): TableDefinition => ({
  id,
  baseName,
  partitionKey,
  ...(sortKey ? { sortKey } : {}),
  attributes: { [partitionKey]: 'S', ...(sortKey ? { [sortKey]: 'S' } : {}) },
  indexes: [],
  ...(ttlAttribute ? { ttlAttribute } : {}),
});

const secrets = keyedTable('secrets', 'webhook-secrets', ['tenant_id', 'webhook_id']);

/**
 * What a webhook's endpoint authentication needs beyond the webhook: its OAuth2 client secret and
 * client-certificate key (`CRED#<webhook>`), and the OAuth2 access tokens every worker instance
 * shares (`TOKEN#<webhook>#<credentials version>`, gone by TTL once expired). A table of its
 * own, so that only the API and the worker can read them (not the reference receiver).
 */
const credentials = keyedTable('credentials', 'endpoint-credentials', ['tenant_id', 'sk'], 'expires_at');

const idempotency = keyedTable('idempotency', 'idempotency', ['id'], 'expiration');

const receiver = keyedTable('receiver', 'receiver-state', ['tenant_id']);

/**
 * Inbound sources and requests: a source (`TENANT#t` / `SOURCE#id`), its ingest token with the
 * secrets (`TOKEN#token`), and one item per received request (`REQ#tenant#id`), listed per
 * source, newest first, through `requests-by-source`.
 */
const inbound: TableDefinition = {
  id: 'inbound',
  baseName: 'inbound',
  partitionKey: 'pk',
  sortKey: 'sk',
  attributes: { pk: 'S', sk: 'S', gsi1pk: 'S', gsi1sk: 'S' },
  indexes: [
    { name: INDEX.requestsBySource, partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'KEYS_ONLY' },
  ],
  ttlAttribute: 'expires_at',
};

export const tables = { keys, data, secrets, credentials, idempotency, receiver, inbound } as const;
export const tableList: readonly TableDefinition[] = Object.values(tables);

/** The worker's Lambda timeout; the queue's visibility timeout is 6x it, as AWS advises. */
export const WORKER_TIMEOUT_SECONDS = 30;

/**
 * How long past its due time a pending delivery may go unseen before the sweeper sends it
 * again (SWEEP_GRACE_MS). Longer than the delivery queues' visibility timeout, so that a
 * message held by a worker that died comes back on its own before the sweeper would copy it.
 */
export const DEFAULT_SWEEP_GRACE_MS = (6 * WORKER_TIMEOUT_SECONDS + 60) * 1000;

const dlq: QueueDefinition = { id: 'dlq', baseName: 'webhook-deliveries-dlq', ...deadLetterSettings };

/** A lane's standard queue: the worker consumes it; five receives, then the DLQ. */
const laneQueue = (id: 'deliveries' | 'slow', baseName: string): QueueDefinition => ({
  id,
  baseName,
  ...consumedQueueSettings(WORKER_TIMEOUT_SECONDS),
  redrive: { deadLetterQueue: 'dlq', maxReceiveCount: 5 },
});

const deliveries = laneQueue('deliveries', 'webhook-deliveries');

/**
 * The slow lane: deliveries to endpoints that answer slowly or not at all wait here, behind
 * a consumer of their own, so that they never hold a healthy endpoint's batch.
 */
const slow = laneQueue('slow', 'webhook-deliveries-slow');

/**
 * Receives an ordered message may take before SQS moves it to the ordered DLQ. A message is
 * received once per attempt of its own and, on AWS, once more each time it rides in a batch
 * behind a failing message of its key (up to 9 heads, each retried up to the schedule's 8
 * attempts): 100 leaves that room, so that only a message the worker cannot process at all (a
 * poison message) gets there. Attempts are counted in the delivery's record, not here.
 */
export const ORDERED_MAX_RECEIVE_COUNT = 100;

// AWS requires a FIFO queue's dead-letter queue to be FIFO as well.
const orderedDlq: QueueDefinition = {
  id: 'orderedDlq',
  baseName: 'webhook-deliveries-ordered-dlq',
  fifo: true,
  ...deadLetterSettings,
};

/**
 * The ordered line: deliveries to webhooks with `ordering: "per_key"` of events that carry an
 * `ordering_key`, one message group per (tenant, webhook, key). SQS hands out a group's next
 * message only once the one before it is deleted, so a key's deliveries go one at a time; a
 * retry holds its message invisible for its delay (up to SQS's 12 hours), keeping its place.
 */
const ordered: QueueDefinition = {
  id: 'ordered',
  baseName: 'webhook-deliveries-ordered',
  fifo: true,
  // The longest SQS keeps a message: a key stuck behind a long retry schedule keeps its line.
  ...consumedQueueSettings(WORKER_TIMEOUT_SECONDS, 14 * 24 * 3600 - 3600),
  redrive: { deadLetterQueue: 'orderedDlq', maxReceiveCount: ORDERED_MAX_RECEIVE_COUNT },
};

export const queues = { deliveries, slow, ordered, dlq, orderedDlq } as const;
export const queueList: readonly QueueDefinition[] = [dlq, deliveries, slow, orderedDlq, ordered];

/**
 * How many delivery lanes a stage runs. `2`: the main lane and the slow lane, each a queue with
 * a consumer of its own, so a slow endpoint's attempts never take the main lane's consumers.
 * `1`: the main lane alone, a queue and an idle consumer fewer; a quarantined endpoint's
 * deliveries wait in the main queue and are attempted from it under the slow lane's policy
 * (docs/delivery.md). Production runs two; the local platform runs two unless asked.
 */
export type DeliveryLanes = 1 | 2;
export const DELIVERY_LANE_COUNTS: readonly DeliveryLanes[] = [1, 2];

/**
 * The queue that holds what is sent to a queue of the definitions on a stage: with one lane, the
 * slow lane's messages are the main queue's; every other queue is itself.
 *
 * @example
 * queueOnStage('slow', 1) // 'deliveries'
 */
export const queueOnStage = (
  id: QueueDefinition['id'],
  deliveryLanes: DeliveryLanes,
): QueueDefinition['id'] => (id === 'slow' && deliveryLanes === 1 ? 'deliveries' : id);

/** The queues a stage has: with one lane, no slow queue. */
export const stageQueueList = (deliveryLanes: DeliveryLanes): readonly QueueDefinition[] =>
  queueList.filter((queue) => queueOnStage(queue.id, deliveryLanes) === queue.id);

/** A queue's name on a stage (a FIFO queue's ends in `.fifo`, as SQS requires). */
export const queueNameOf = (queue: QueueDefinition, stage: string): string =>
  `${resourceName(queue.baseName, stage)}${queue.fifo ? '.fifo' : ''}`;

/** The two kinds of cloud stage: production's settings, and development's smaller ones. */
export type StageProfile = 'production' | 'development';

/** A delivery lane: where an endpoint's deliveries wait, and how its consumer takes them. */
interface LaneDefinition {
  readonly queue: 'deliveries' | 'slow' | 'ordered';
  readonly batchSize: number;
  /**
   * The event source mapping's maximum concurrency per kind of stage: the most worker
   * invocations it runs at once. The local platform runs production's.
   */
  readonly maximumConcurrency: Readonly<Record<StageProfile, number>>;
  /**
   * How long the mapping waits to fill a batch (`MaximumBatchingWindowInSeconds`): fuller
   * batches when events trickle in, at most this much added to a delivery due at once.
   */
  readonly batchingWindowSeconds: number;
}

/**
 * Every endpoint starts on `main`. One whose attempts take longer than the slow-lane threshold
 * moves to `slow` and comes back once it has answered quickly for a while (docs/delivery.md).
 * Each lane's mapping has a ceiling of its own, so quarantined endpoints can never take the
 * main lane's concurrency. The one source of a stage's topology: infra writes the mappings
 * from it and the local platform runs it.
 */
export const lanes = {
  main: {
    queue: 'deliveries',
    batchSize: 10,
    maximumConcurrency: { production: 50, development: 5 },
    batchingWindowSeconds: 1,
  },
  slow: {
    queue: 'slow',
    batchSize: 10,
    maximumConcurrency: { production: 20, development: 2 },
    batchingWindowSeconds: 1,
  },
  // Keys wait for their own previous delivery, never for each other: a batch's keys are
  // attempted side by side, each key's records one after the other.
  ordered: {
    queue: 'ordered',
    batchSize: 10,
    maximumConcurrency: { production: 10, development: 2 },
    // FIFO event source mappings take no batching window.
    batchingWindowSeconds: 0,
  },
} as const satisfies Record<string, LaneDefinition>;

export type LaneName = keyof typeof lanes;

/** The lanes whose queues a stage's worker consumes: with one lane, not the slow lane. */
export const stageLanes = (deliveryLanes: DeliveryLanes): readonly LaneName[] =>
  (Object.keys(lanes) as LaneName[]).filter(
    (name) => queueOnStage(lanes[name].queue, deliveryLanes) === lanes[name].queue,
  );

/** Environment variable names through which every service learns where things are. */
export const ENV = {
  keysTable: 'KEYS_TABLE',
  dataTable: 'DATA_TABLE',
  secretsTable: 'SECRETS_TABLE',
  credentialsTable: 'CREDENTIALS_TABLE',
  idempotencyTable: 'IDEMPOTENCY_TABLE',
  receiverTable: 'RECEIVER_TABLE',
  inboundTable: 'INBOUND_TABLE',
  deliveryQueueUrl: 'DELIVERY_QUEUE_URL',
  slowQueueUrl: 'SLOW_QUEUE_URL',
  orderedQueueUrl: 'ORDERED_QUEUE_URL',
  dlqUrl: 'DLQ_URL',
  /** `1` on a stage with one delivery lane; absent, two (`DeliveryLanes`). */
  deliveryLanes: 'DELIVERY_LANES',
} as const;

/**
 * The environment a stage's services get: table names and queue URLs. With one delivery lane
 * the slow lane's URL is the main queue's (whatever sends to the slow lane sends there), and
 * `DELIVERY_LANES=1` says so to the functions that consume or watch the lanes.
 */
export const stageEnvironment = (
  stage: string,
  queueUrl: (name: string) => string,
  deliveryLanes: DeliveryLanes = 2,
): Record<string, string> => ({
  [ENV.keysTable]: resourceName(keys.baseName, stage),
  [ENV.dataTable]: resourceName(data.baseName, stage),
  [ENV.secretsTable]: resourceName(secrets.baseName, stage),
  [ENV.credentialsTable]: resourceName(credentials.baseName, stage),
  [ENV.idempotencyTable]: resourceName(idempotency.baseName, stage),
  [ENV.receiverTable]: resourceName(receiver.baseName, stage),
  [ENV.inboundTable]: resourceName(inbound.baseName, stage),
  [ENV.deliveryQueueUrl]: queueUrl(queueNameOf(deliveries, stage)),
  [ENV.slowQueueUrl]: queueUrl(queueNameOf(queues[queueOnStage('slow', deliveryLanes)], stage)),
  [ENV.orderedQueueUrl]: queueUrl(queueNameOf(ordered, stage)),
  [ENV.dlqUrl]: queueUrl(queueNameOf(dlq, stage)),
  ...(deliveryLanes === 1 ? { [ENV.deliveryLanes]: '1' } : {}),
});

export * from './inbound.js';
