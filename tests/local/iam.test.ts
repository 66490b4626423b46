import { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ENV, INBOUND_ENV } from '@hookrelay/definitions';
import { FUNCTION_ACCESS, type FunctionAccess, type ServiceName } from '@hookrelay/definitions/access';
import { asFunction } from '@hookrelay/local';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { receiverClient, startTestPlatform, type TestPlatform } from '../support/platform.js';

const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

const failure = async (
  call: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> => {
  try {
    await call;
  } catch (error) {
    return error as Error;
  }
  throw new Error('the call was allowed');
};

describe('IAM, locally: each function may do what its statements allow and nothing else', () => {
  let platform: TestPlatform;
  let env: Record<string, string>;

  beforeAll(async () => {
    platform = await startTestPlatform({
      startWorker: false,
      startInboundProcessor: false,
      expectDenials: true,
    });
    env = platform.env;
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const dataTable = () => env[ENV.dataTable] ?? '';

  it('refuses a DynamoDB call outside the function’s statements with AccessDeniedException, naming action and resource', async () => {
    const db = new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, ...local });
    const get = () =>
      db.send(new GetItemCommand({ TableName: dataTable(), Key: { pk: { S: 'nothing' }, sk: { S: 'x' } } }));
    // The authorizer reads api-keys only.
    const error = await failure(asFunction('authorizer', get));
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toContain('is not authorized to perform: dynamodb:GetItem on resource:');
    expect(error.message).toContain(`:table/${dataTable()}`);
    expect(error.message).toContain(`assumed-role/hookrelay-authorizer-${platform.env.STAGE}`);
    // The sweeper reads the table: allowed.
    await expect(asFunction('sweeper', get)).resolves.toBeDefined();
    // Outside any function (the platform's setup, an operator, this test): allowed.
    await expect(get()).resolves.toBeDefined();
    db.destroy();

    const denial = platform.iamDenials().find((d) => d.function === 'authorizer');
    expect(denial).toEqual({
      function: 'authorizer',
      action: 'dynamodb:GetItem',
      resource: `arn:aws:dynamodb:us-east-1:000000000000:table/${dataTable()}`,
    });
    expect(platform.logs).toContainEqual(
      expect.objectContaining({ service: 'iam', message: 'AccessDenied', function: 'authorizer' }),
    );
  });

  it('checks a query on an index against the index’s ARN, not the table’s', async () => {
    const db = new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, ...local });
    const query = (index: string) => () =>
      db.send(
        new QueryCommand({
          TableName: dataTable(),
          IndexName: index,
          KeyConditionExpression: 'sweep_pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'SWEEP#0' } },
        }),
      );
    await expect(asFunction('sweeper', query('sweep'))).resolves.toBeDefined();
    // The worker queries the table itself, never the sweep index.
    const error = await failure(asFunction('worker', query('sweep')));
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toContain(`:table/${dataTable()}/index/sweep`);
    db.destroy();
  });

  it('refuses an SQS call outside the function’s statements with AccessDenied', async () => {
    const sqs = new SQSClient({ endpoint: env.AWS_ENDPOINT_URL_SQS, ...local });
    const queueUrl = env[ENV.dlqUrl] ?? '';
    // The api never reads the DLQ.
    const error = await failure(
      asFunction('api', () =>
        sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 })),
      ),
    );
    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata?.httpStatusCode).toBe(403);
    expect(error.message).toContain('sqs:ReceiveMessage');
    expect(error.message).toContain(':hookrelay-webhook-deliveries-dlq-');
    // The worker dead-letters: allowed to send there.
    await expect(
      asFunction('worker', () => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{}' }))),
    ).resolves.toBeDefined();
    sqs.destroy();
  });

  it('refuses an S3 call outside the function’s statements with AccessDenied', async () => {
    const s3 = new S3Client({ endpoint: env.AWS_ENDPOINT_URL_S3, forcePathStyle: true, ...local });
    const bucket = env[INBOUND_ENV.bucket] ?? '';
    const put = () => s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'iam/probe', Body: 'x' }));
    await expect(asFunction('ingest', put)).resolves.toBeDefined();
    // The api reads archived bodies; it never writes them.
    const error = await failure(asFunction('api', put));
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toContain(`s3:PutObject on resource: arn:aws:s3:::${bucket}/iam/probe`);
    await expect(
      asFunction('api', () => s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'iam/probe' }))),
    ).resolves.toBeDefined();
    s3.destroy();
  });

  it('refuses PutEvents to the bus from any function but the inbound processor', async () => {
    const events = new EventBridgeClient({ endpoint: env.AWS_ENDPOINT_URL_EVENTBRIDGE, ...local });
    const put = () =>
      events.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: env[INBOUND_ENV.busName],
              Source: 'hookrelay.inbound.iam-probe',
              DetailType: 'probe',
              Detail: '{}',
            },
          ],
        }),
      );
    const error = await failure(asFunction('ingest', put));
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toContain('events:PutEvents');
    await expect(asFunction('inbound-processor', put)).resolves.toMatchObject({ FailedEntryCount: 0 });
    events.destroy();
  });

  it('counts each call it checks by function and operation, and meters a DynamoDB call from its answer', async () => {
    const db = new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, ...local });
    const before = platform.awsCalls()['sweeper GetItem'] ?? 0;
    const unitsBefore = platform.usage().dynamodbRru;
    const get = () =>
      db.send(new GetItemCommand({ TableName: dataTable(), Key: { pk: { S: 'nothing' }, sk: { S: 'y' } } }));
    const answer = await asFunction('sweeper', get);
    await asFunction('sweeper', get);
    // Outside any function: not a function's call, not counted.
    await get();
    db.destroy();
    expect((platform.awsCalls()['sweeper GetItem'] ?? 0) - before).toBe(2);
    // The front asked for the capacity; the answer's units were counted, and the SDK read them too.
    expect(answer.ConsumedCapacity?.CapacityUnits).toBeGreaterThan(0);
    expect(platform.usage().dynamodbRru - unitsBefore).toBe(
      2 * (answer.ConsumedCapacity?.CapacityUnits ?? 0),
    );
  });

  it('lets the same request through with the grant in place', async () => {
    const reply = await receiverClient(platform.apiUrl, platform.adminKey).request('POST', '/v1/tenants', {
      tenant_id: 'iam-keys',
    });
    expect(reply.status).toBe(201);
    expect(
      platform.iamDenials().filter((d) => d.function === 'authorizer' && d.action !== 'dynamodb:GetItem'),
    ).toEqual([]);
  });

  it('runs a sweep with nothing refused: the sweeper has every grant its sweep uses', async () => {
    await platform.sweepNow();
    expect(platform.iamDenials().filter((d) => d.function === 'sweeper')).toEqual([]);
  });
});

/** The platform's declaration with one action taken from one function's grant on one table. */
const without = (
  service: ServiceName,
  table: string,
  action: string,
): Record<ServiceName, FunctionAccess> => ({
  ...FUNCTION_ACCESS,
  [service]: {
    ...FUNCTION_ACCESS[service],
    tables: FUNCTION_ACCESS[service].tables.map((grant) =>
      grant.table === table ? { ...grant, actions: grant.actions.filter((a) => a !== action) } : grant,
    ),
  },
});

describe('a grant taken away', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startTestPlatform({
      startWorker: false,
      startInboundProcessor: false,
      expectDenials: true,
      access: without('authorizer', 'keys', 'dynamodb:GetItem'),
    });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('makes the calls that need it fail: the authorizer cannot read a key, so the API lets no one in', async () => {
    // The gateway answers an authorizer that fails as API Gateway does: 500, the API not called.
    const reply = await receiverClient(platform.apiUrl, platform.adminKey).request('POST', '/v1/tenants', {
      tenant_id: 'iam-no-keys',
    });
    expect(reply.status).toBe(500);
    expect(platform.iamDenials()).toContainEqual({
      function: 'authorizer',
      action: 'dynamodb:GetItem',
      resource: expect.stringContaining(':table/hookrelay-api-keys-'),
    });
  });
});
