import type { AwsLocation } from '@hookrelay/definitions/access';

/** One permission a request needs: an IAM action on a resource ARN. */
export interface Permission {
  readonly action: string;
  readonly resource: string;
}

/** The account and region the local platform's ARNs name. */
export const LOCAL_AWS: AwsLocation = {
  partition: 'aws',
  region: 'us-east-1',
  accountId: '000000000000',
  dnsSuffix: 'amazonaws.com',
};

export interface EngineRequest {
  readonly method: string;
  /** Path and query, as the request line has them. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

const json = (body: Buffer): Record<string, unknown> => {
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

const parsed = new WeakMap<EngineRequest, Record<string, unknown>>();

/** A JSON call's input (`{}` when the body is not a JSON object), parsed once per request. */
export const inputOf = (request: EngineRequest): Record<string, unknown> => {
  const known = parsed.get(request);
  if (known) return known;
  const input = json(request.body);
  parsed.set(request, input);
  return input;
};

const tableArn = (table: unknown) =>
  `arn:${LOCAL_AWS.partition}:dynamodb:${LOCAL_AWS.region}:${LOCAL_AWS.accountId}:table/${String(table)}`;

/** A transaction's items need the action each item does; a transaction has no action of its own. */
const TRANSACT_ITEM_ACTIONS: Readonly<Record<string, string>> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
  Get: 'dynamodb:GetItem',
};

/**
 * What a DynamoDB call needs (JSON 1.0: `X-Amz-Target: DynamoDB_20120810.<Operation>`), as
 * DynamoDB's authorization reads it: the operation's own action on the table, or on the index
 * it queries; each table of a batch; each item's action in a transaction.
 */
export const dynamoDbPermissions = (request: EngineRequest): Permission[] => {
  const target = String(request.headers['x-amz-target'] ?? '');
  const operation = target.split('.')[1] ?? '';
  const input = inputOf(request);
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    const items = Array.isArray(input.TransactItems)
      ? (input.TransactItems as Record<string, unknown>[])
      : [];
    return items.flatMap((item) =>
      Object.entries(item).flatMap(([kind, detail]) => {
        const action = TRANSACT_ITEM_ACTIONS[kind];
        const table = (detail as { TableName?: unknown } | undefined)?.TableName;
        return action && table ? [{ action, resource: tableArn(table) }] : [];
      }),
    );
  }
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
    const tables = Object.keys((input.RequestItems as Record<string, unknown> | undefined) ?? {});
    return tables.map((table) => ({ action: `dynamodb:${operation}`, resource: tableArn(table) }));
  }
  const table = input.TableName;
  if (table === undefined) return [{ action: `dynamodb:${operation}`, resource: '*' }];
  const index = input.IndexName;
  return [
    {
      action: `dynamodb:${operation}`,
      resource: typeof index === 'string' ? `${tableArn(table)}/index/${index}` : tableArn(table),
    },
  ];
};

/** The IAM action of an SQS operation: a batch needs its single form's action. */
const sqsAction = (operation: string): string => `sqs:${operation.replace(/Batch$/, '')}`;

const queueArnOf = (queueUrl: unknown): string => {
  const name = String(queueUrl ?? '')
    .split('?')[0]
    ?.split('/')
    .filter((p) => p.length > 0)
    .pop();
  return `arn:${LOCAL_AWS.partition}:sqs:${LOCAL_AWS.region}:${LOCAL_AWS.accountId}:${name ?? ''}`;
};

/**
 * What a call to the SQS/S3 engine needs. SQS speaks JSON 1.0 (`X-Amz-Target:
 * AmazonSQS.<Operation>`) or the query protocol (`Action=` in a form body); anything else is
 * S3's REST protocol, path-style (`/bucket/key`).
 */
export const sqsOrS3Permissions = (request: EngineRequest): Permission[] => {
  const target = String(request.headers['x-amz-target'] ?? '');
  if (target.startsWith('AmazonSQS.')) {
    const operation = target.slice('AmazonSQS.'.length);
    const input = inputOf(request);
    if (operation === 'ListQueues' || operation === 'GetQueueUrl' || operation === 'CreateQueue') {
      return [{ action: sqsAction(operation), resource: queueArnOf(input.QueueName ?? '') }];
    }
    return [{ action: sqsAction(operation), resource: queueArnOf(input.QueueUrl) }];
  }
  const contentType = String(request.headers['content-type'] ?? '');
  if (request.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(request.body.toString('utf8'));
    const operation = form.get('Action');
    if (operation && !request.url.split('?')[0]?.slice(1).includes('/')) {
      const queue = form.get('QueueUrl') ?? request.url;
      return [{ action: sqsAction(operation), resource: queueArnOf(queue) }];
    }
  }
  return s3Permissions(request);
};

const s3Permissions = (request: EngineRequest): Permission[] => {
  const [path = '/', query = ''] = request.url.split('?');
  const [bucket = '', ...keyParts] = path
    .slice(1)
    .split('/')
    .map((p) => decodeURIComponent(p));
  const key = keyParts.join('/');
  const arn = `arn:${LOCAL_AWS.partition}:s3:::${bucket}`;
  const params = new URLSearchParams(query);
  const method = request.method.toUpperCase();
  if (!key) {
    const action =
      method === 'PUT'
        ? 's3:CreateBucket'
        : method === 'DELETE'
          ? 's3:DeleteBucket'
          : method === 'POST' && params.has('delete')
            ? 's3:DeleteObject'
            : 's3:ListBucket';
    return [{ action, resource: arn }];
  }
  const action =
    method === 'GET' || method === 'HEAD'
      ? 's3:GetObject'
      : method === 'DELETE'
        ? 's3:DeleteObject'
        : 's3:PutObject';
  return [{ action, resource: `${arn}/${key}` }];
};

/** What a call to the EventBridge bus needs (`X-Amz-Target: AWSEvents.PutEvents`): each entry's bus. */
export const eventBridgePermissions = (request: EngineRequest): Permission[] => {
  const target = String(request.headers['x-amz-target'] ?? '');
  const operation = target.split('.')[1] ?? '';
  const input = inputOf(request);
  const busArn = (bus: unknown) => {
    const name = String(bus ?? 'default');
    return name.startsWith('arn:')
      ? name
      : `arn:${LOCAL_AWS.partition}:events:${LOCAL_AWS.region}:${LOCAL_AWS.accountId}:event-bus/${name}`;
  };
  if (operation === 'PutEvents' && Array.isArray(input.Entries)) {
    const buses = new Set((input.Entries as { EventBusName?: unknown }[]).map((e) => busArn(e.EventBusName)));
    return [...buses].map((resource) => ({ action: 'events:PutEvents', resource }));
  }
  return [{ action: `events:${operation}`, resource: '*' }];
};
