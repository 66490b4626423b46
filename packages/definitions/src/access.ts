import { fifoQueueName, inboundBus, inboundQueues } from './inbound.js';
import {
  type DeliveryLanes,
  INDEX,
  type QueueDefinition,
  queueNameOf,
  queueOnStage,
  queues,
  resourceName,
  type TableDefinition,
  tables,
} from './index.js';

/** The Lambda functions of the platform, one package each under `services/`. */
export const SERVICES = [
  'api',
  'authorizer',
  'worker',
  'sweeper',
  'dlq-processor',
  'receiver',
  'ingest',
  'inbound-processor',
] as const;
export type ServiceName = (typeof SERVICES)[number];

type DynamoDbAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:Query'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:BatchWriteItem'
  | 'dynamodb:ConditionCheckItem';
type SqsAction =
  | 'sqs:SendMessage'
  | 'sqs:ReceiveMessage'
  | 'sqs:DeleteMessage'
  | 'sqs:ChangeMessageVisibility'
  | 'sqs:GetQueueAttributes';
type ArchiveAction = 's3:GetObject' | 's3:PutObject';
type BusAction = 'events:PutEvents';

export interface TableGrant {
  readonly table: TableDefinition['id'];
  readonly actions: readonly DynamoDbAction[];
  /** Indexes the function queries; only `dynamodb:Query` is allowed on them. */
  readonly queriedIndexes?: readonly string[];
}

export interface QueueGrant {
  readonly queue: QueueDefinition['id'];
  readonly actions: readonly SqsAction[];
}

/** The inbound path's resources: the archive's objects, the FIFO queue, the bus. */
type InboundGrant =
  | { readonly sid: string; readonly resource: 'archive'; readonly actions: readonly ArchiveAction[] }
  | { readonly sid: string; readonly resource: 'fifo'; readonly actions: readonly SqsAction[] }
  | { readonly sid: string; readonly resource: 'bus'; readonly actions: readonly BusAction[] };

/** The stage's secrets in SSM Parameter Store (SecureString), each named to a function by a variable. */
export const PARAMETERS = {
  adminApiKey: 'ADMIN_API_KEY_PARAMETER',
  cursorSecret: 'CURSOR_SECRET_PARAMETER',
} as const;
export type ParameterId = keyof typeof PARAMETERS;

export interface FunctionAccess {
  readonly tables: readonly TableGrant[];
  readonly queues: readonly QueueGrant[];
  readonly inbound?: readonly InboundGrant[];
  /** Parameters it reads (`ssm:GetParameter`, decrypted); the cloud stages' only secrets. */
  readonly parameters?: readonly ParameterId[];
}

const read = ['dynamodb:GetItem'] as const;
const readWrite = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;
/**
 * Creating an event: an event whose id is a client's own is written in a transaction with its
 * alias item, under a condition check where the id's shape names a time (docs/data-model.md).
 */
const createsEvents = [...readWrite, 'dynamodb:ConditionCheckItem'] as const;

/**
 * What each function may do, read off the calls its code makes (the stores in
 * `packages/dynamodb` and `packages/inbound-adapters`, the queues in `packages/sqs`). Infra
 * writes each function's IAM policy from it, and the local platform refuses, as AWS would, any
 * call a function makes outside it (`packages/local/src/iam`): a function that gains a call
 * needs a line here, or its tests fail. `SendMessage` also covers `SendMessageBatch`, and
 * `ChangeMessageVisibility` its batch form.
 */
export const FUNCTION_ACCESS: Readonly<Record<ServiceName, FunctionAccess>> = {
  // Resolves a bearer key: two GetItems on api-keys (the key, then the tenant's access record).
  authorizer: {
    tables: [{ table: 'keys', actions: read }],
    queues: [],
    // The admin key, compared with a bearer key that is not a tenant's.
    parameters: ['adminApiKey'],
  },
  // Every REST route: tenants, keys, webhooks, events and attempts, secrets, idempotency records;
  // the stats Query each webhook's delivery counters.
  api: {
    tables: [
      {
        table: 'keys',
        // UpdateItem: a tenant's access (status and plan, beside when its portal sessions ended) and
        // ending a portal session.
        actions: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:Query',
        ],
        queriedIndexes: [INDEX.keysByTenant],
      },
      {
        table: 'data',
        actions: [...createsEvents, 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'],
        queriedIndexes: [INDEX.eventsByStatus],
      },
      {
        table: 'secrets',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
      },
      // Endpoint credentials written with a webhook and deleted with it; a test send or a challenge
      // to an endpoint with OAuth2 reads and caches its token as the worker does.
      { table: 'credentials', actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'] },
      // Powertools idempotency: get, conditional put, update with the result, delete on failure.
      { table: 'idempotency', actions: [...readWrite, 'dynamodb:DeleteItem'] },
      // Sources (written in transactions of puts, updates and deletes) and received requests,
      // listed through the keys-only index and read back in batches.
      {
        table: 'inbound',
        actions: [...readWrite, 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'],
        queriedIndexes: [INDEX.requestsBySource],
      },
    ],
    // A quarantined endpoint's messages go straight to the slow lane; an ordered webhook's
    // keyed deliveries to the ordered line, whose held messages a resumed key releases.
    queues: [
      { queue: 'deliveries', actions: ['sqs:SendMessage'] },
      { queue: 'slow', actions: ['sqs:SendMessage'] },
      { queue: 'ordered', actions: ['sqs:SendMessage', 'sqs:ChangeMessageVisibility'] },
    ],
    // `GET /v1/inbound/{id}` reads the body; replay enqueues the request again.
    inbound: [
      { sid: 'InboundArchiveRead', resource: 'archive', actions: ['s3:GetObject'] },
      { sid: 'InboundQueueSend', resource: 'fifo', actions: ['sqs:SendMessage'] },
    ],
    // The secret that signs pagination cursors.
    parameters: ['cursorSecret'],
  },
  // One delivery attempt: claim it, record it, update the webhook's counters and (an UpdateItem
  // ADD per webhook and bucket, once per batch) its delivery counters, queue the next
  // attempt (or hop a long wait), or dead-letter it when the schedule is spent; take a rate-limit
  // slot; tell the tenant's subscribed webhooks (a Query of its webhooks) about its endpoints.
  // The event source mapping polls the delivery queue with this role.
  worker: {
    tables: [
      // Reads in batches (BatchReader), writes attempts in batches (BatchWriter).
      {
        table: 'data',
        actions: [...createsEvents, 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'],
      },
      { table: 'secrets', actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'] },
      // An endpoint's client secret or certificate key, its cached OAuth2 token (GetItem), and a
      // new token for every instance (PutItem).
      { table: 'credentials', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'] },
    ],
    queues: [
      {
        queue: 'deliveries',
        actions: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      },
      {
        queue: 'slow',
        actions: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      },
      // The ordered line: a retry holds its message invisible for its delay (it keeps its place).
      {
        queue: 'ordered',
        actions: [
          'sqs:ReceiveMessage',
          'sqs:DeleteMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueAttributes',
        ],
      },
      { queue: 'dlq', actions: ['sqs:SendMessage'] },
    ],
  },
  // Reads the sparse sweep index and the lanes' lag, settles or reschedules events, reads both
  // lanes' depth, re-enqueues deliveries overdue by more than the queues' wait, and puts its
  // swept mark (the time before which nothing unindexed is left) at the end of each sweep.
  sweeper: {
    tables: [
      {
        table: 'data',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
        queriedIndexes: [INDEX.sweep],
      },
    ],
    queues: [
      { queue: 'deliveries', actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes'] },
      { queue: 'slow', actions: ['sqs:GetQueueAttributes'] },
    ],
  },
  // Receives from the DLQ, reopens FAILED deliveries, sends them back, deletes the DLQ copy,
  // and releases what it could not requeue.
  'dlq-processor': {
    tables: [{ table: 'data', actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'] }],
    queues: [
      { queue: 'dlq', actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'] },
      { queue: 'deliveries', actions: ['sqs:SendMessage'] },
    ],
  },
  // A provider's request: the token's source (GetItem), the request if it came before
  // (GetItem), the request's item (PutItem), refusal and duplicate counters (UpdateItem);
  // the raw body archived, then the request enqueued on its source's group.
  ingest: {
    tables: [{ table: 'inbound', actions: readWrite }],
    queues: [],
    inbound: [
      { sid: 'InboundArchiveWrite', resource: 'archive', actions: ['s3:PutObject'] },
      { sid: 'InboundQueueSend', resource: 'fifo', actions: ['sqs:SendMessage'] },
    ],
  },
  // Routes a request: reads it and marks it ROUTED or FAILED; forwarding creates an outbound
  // event as POST /v1/events does (the tenant's webhooks, the event's items, its deliveries'
  // messages). Archives the bodies that rode in a batch's messages (one object per tenant),
  // reads a larger one (or a replay's) back, and puts it on the bus; the event source mapping
  // polls the FIFO queue with this role.
  'inbound-processor': {
    tables: [
      { table: 'inbound', actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'] },
      { table: 'data', actions: [...createsEvents, 'dynamodb:Query'] },
    ],
    // Forwarded events are published as the API publishes: each delivery on its endpoint's lane
    // or in its key's ordered line.
    queues: [
      { queue: 'deliveries', actions: ['sqs:SendMessage'] },
      { queue: 'slow', actions: ['sqs:SendMessage'] },
      { queue: 'ordered', actions: ['sqs:SendMessage'] },
    ],
    inbound: [
      { sid: 'InboundArchiveReadWrite', resource: 'archive', actions: ['s3:GetObject', 's3:PutObject'] },
      {
        sid: 'InboundQueueConsume',
        resource: 'fifo',
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      },
      { sid: 'InboundBusPut', resource: 'bus', actions: ['events:PutEvents'] },
    ],
  },
  // Verifies signatures against the tenant's webhook secrets; keeps its on/off switch.
  receiver: {
    tables: [
      { table: 'secrets', actions: ['dynamodb:GetItem', 'dynamodb:Query'] },
      { table: 'receiver', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'] },
    ],
    queues: [],
    // Its control routes take the admin key.
    parameters: ['adminApiKey'],
  },
};

/**
 * Where a stage runs. In infra the account and partition are Terraform references
 * (`data.aws_caller_identity`, `data.aws_partition`), resolved at plan time; the local
 * platform gives fixed values.
 */
export interface AwsLocation {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly dnsSuffix: string;
}

/** What the statements of a stage name: its location, its stage, its archive bucket. */
interface AccessScope {
  readonly aws: AwsLocation;
  readonly stage: string;
  /** The inbound archive's bucket name (global, so cloud and local stages name it differently). */
  readonly archiveBucket: string;
  /** With one lane a grant on the slow queue is one on the main queue (absent: two). */
  readonly deliveryLanes?: DeliveryLanes;
}

export const tableArn = (aws: AwsLocation, table: TableDefinition, stage: string): string =>
  `arn:${aws.partition}:dynamodb:${aws.region}:${aws.accountId}:table/${resourceName(table.baseName, stage)}`;

export const indexArn = (aws: AwsLocation, table: TableDefinition, index: string, stage: string): string => {
  if (!table.indexes.some((i) => i.name === index)) {
    throw new Error(`Table ${table.baseName} has no index ${index}.`);
  }
  return `${tableArn(aws, table, stage)}/index/${index}`;
};

export const queueArn = (aws: AwsLocation, queue: QueueDefinition, stage: string): string =>
  `arn:${aws.partition}:sqs:${aws.region}:${aws.accountId}:${queueNameOf(queue, stage)}`;

export const bucketArn = (aws: AwsLocation, bucket: string): string => `arn:${aws.partition}:s3:::${bucket}`;

export const inboundQueueArn = (aws: AwsLocation, stage: string): string =>
  `arn:${aws.partition}:sqs:${aws.region}:${aws.accountId}:${fifoQueueName(inboundQueues.fifo, stage)}`;

export const inboundBusArn = (aws: AwsLocation, stage: string): string =>
  `arn:${aws.partition}:events:${aws.region}:${aws.accountId}:event-bus/${resourceName(inboundBus.baseName, stage)}`;

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
}

const sid = (...parts: string[]): string =>
  parts
    .join('-')
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p.length > 0)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');

/**
 * The data-plane statements of one function: one per table (plus one for the indexes it
 * queries), one per queue and one per inbound grant, each naming exact actions and exact
 * ARNs. The same statements are the function's IAM policy in a cloud stage and what the
 * local platform checks every call against.
 *
 * @example
 * accessStatements(FUNCTION_ACCESS.authorizer, { aws, stage: 'dev', archiveBucket })
 * // [{ Sid: 'ApiKeysTable', Action: ['dynamodb:GetItem'], Resource: ['arn:...:table/hookrelay-api-keys-dev'] }]
 */
export const accessStatements = (access: FunctionAccess, scope: AccessScope): PolicyStatement[] => {
  const { aws, stage } = scope;
  const statements: PolicyStatement[] = [];
  for (const grant of access.tables) {
    const table = tables[grant.table];
    statements.push({
      Sid: sid(table.baseName, 'table'),
      Effect: 'Allow',
      Action: [...grant.actions],
      Resource: [tableArn(aws, table, stage)],
    });
    if (grant.queriedIndexes && grant.queriedIndexes.length > 0) {
      statements.push({
        Sid: sid(table.baseName, 'indexes'),
        Effect: 'Allow',
        Action: ['dynamodb:Query'],
        Resource: grant.queriedIndexes.map((index) => indexArn(aws, table, index, stage)),
      });
    }
  }
  // One statement per queue the stage has: a grant on a queue another stands for (the slow
  // lane's on a stage of one lane) adds its actions to that queue's statement.
  const queueStatements = new Map<QueueDefinition['id'], { Sid: string; Action: string[] }>();
  for (const grant of access.queues) {
    const queue = queues[queueOnStage(grant.queue, scope.deliveryLanes ?? 2)];
    const known = queueStatements.get(queue.id);
    if (known) {
      known.Action.push(...grant.actions.filter((action) => !known.Action.includes(action)));
      continue;
    }
    const statement = {
      Sid: sid(queue.baseName, 'queue'),
      Effect: 'Allow' as const,
      Action: [...grant.actions],
      Resource: [queueArn(aws, queue, stage)],
    };
    queueStatements.set(queue.id, statement);
    statements.push(statement);
  }
  for (const grant of access.inbound ?? []) {
    const resource =
      grant.resource === 'archive'
        ? `${bucketArn(aws, scope.archiveBucket)}/*`
        : grant.resource === 'fifo'
          ? inboundQueueArn(aws, stage)
          : inboundBusArn(aws, stage);
    statements.push({ Sid: grant.sid, Effect: 'Allow', Action: [...grant.actions], Resource: [resource] });
  }
  return statements;
};
