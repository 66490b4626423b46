import { INDEX, type QueueDefinition, queues, type TableDefinition, tables } from '@hookrelay/definitions';
import { type AwsLocation, indexArn, queueArn, tableArn } from './aws-arns.js';

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

export interface FunctionAccess {
  readonly tables: readonly TableGrant[];
  readonly queues: readonly QueueGrant[];
}

const read = ['dynamodb:GetItem'] as const;
const readWrite = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;
/**
 * Creating an event: an event whose id is a client's own is written in a transaction with its
 * alias item, under a condition check where the id's shape names a time (docs/data-model.md).
 */
const createsEvents = [...readWrite, 'dynamodb:ConditionCheckItem'] as const;

/**
 * What each function may touch, read off the calls its code makes (the stores in
 * `packages/dynamodb`, the queue in `packages/sqs`). A function that gains a call needs a line
 * here; the tests fail if a function is given a table or queue it is not meant to reach.
 * `SendMessage` also covers `SendMessageBatch`, and `ChangeMessageVisibility` its batch form.
 */
export const FUNCTION_ACCESS: Readonly<Record<ServiceName, FunctionAccess>> = {
  // Resolves a bearer key: two GetItems on api-keys (the key, then the tenant's access record).
  authorizer: {
    tables: [{ table: 'keys', actions: read }],
    queues: [],
  },
  // Every REST route: tenants, keys, webhooks, events and attempts, secrets, idempotency records.
  api: {
    tables: [
      {
        table: 'keys',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
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
    // A quarantined endpoint's messages go straight to the slow lane.
    queues: [
      { queue: 'deliveries', actions: ['sqs:SendMessage'] },
      { queue: 'slow', actions: ['sqs:SendMessage'] },
    ],
  },
  // One delivery attempt: claim it, record it, update the webhook's counters, queue the next
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
      { queue: 'dlq', actions: ['sqs:SendMessage'] },
    ],
  },
  // Reads the sparse sweep index and the lanes' lag, settles or reschedules events, reads both
  // lanes' depth, re-enqueues deliveries overdue by more than the queues' wait.
  sweeper: {
    tables: [
      {
        table: 'data',
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
        queriedIndexes: [INDEX.sweep],
      },
    ],
    queues: [
      { queue: 'deliveries', actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes'] },
      { queue: 'slow', actions: ['sqs:GetQueueAttributes'] },
    ],
  },
  // Receives from the DLQ, reopens FAILED deliveries, sends them back, deletes the DLQ copy,
  // and releases what it could not requeue (visibility 0).
  'dlq-processor': {
    tables: [{ table: 'data', actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'] }],
    queues: [
      { queue: 'dlq', actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'] },
      { queue: 'deliveries', actions: ['sqs:SendMessage'] },
    ],
  },
  // A provider's request: the token's source (GetItem), the request if it came before
  // (GetItem), the request's item (PutItem), refusal and duplicate counters (UpdateItem).
  // The archive and the FIFO queue are in inbound-access.ts.
  ingest: {
    tables: [{ table: 'inbound', actions: readWrite }],
    queues: [],
  },
  // Routes a request: reads it and marks it ROUTED or FAILED; forwarding creates an outbound
  // event as POST /v1/events does (the tenant's webhooks, the event's items, its deliveries'
  // messages). The bus, the archive and the FIFO queue are in inbound-access.ts.
  'inbound-processor': {
    tables: [
      { table: 'inbound', actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'] },
      { table: 'data', actions: [...createsEvents, 'dynamodb:Query'] },
    ],
    queues: [{ queue: 'deliveries', actions: ['sqs:SendMessage'] }],
  },
  // Verifies signatures against the tenant's webhook secrets; keeps its on/off switch.
  receiver: {
    tables: [
      { table: 'secrets', actions: ['dynamodb:GetItem', 'dynamodb:Query'] },
      { table: 'receiver', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'] },
    ],
    queues: [],
  },
};

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
 * queries) and one per queue, each naming exact actions and exact ARNs.
 *
 * @example
 * dataAccessStatements(FUNCTION_ACCESS.authorizer, aws, 'dev')
 * // [{ Sid: 'ApiKeysTable', Action: ['dynamodb:GetItem'], Resource: ['arn:...:table/api-keys-dev'] }]
 */
export const dataAccessStatements = (
  access: FunctionAccess,
  aws: AwsLocation,
  stage: string,
): PolicyStatement[] => {
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
  for (const grant of access.queues) {
    const queue = queues[grant.queue];
    statements.push({
      Sid: sid(queue.baseName, 'queue'),
      Effect: 'Allow',
      Action: [...grant.actions],
      Resource: [queueArn(aws, queue, stage)],
    });
  }
  return statements;
};
