import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { inboundBus, lanes, resourceName } from '@hookrelay/definitions';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { startLocalEventBus } from './bus/local-event-bus.js';
import { startPlatformEngines } from './engines.js';
import { startGateway } from './gateway.js';
import { asFunction, invokedAs, startIamFronts } from './iam/index.js';
import { createInboundBucket } from './inbound-provision.js';
import { lambdaContext } from './lambda-context.js';
import { platformMappings, startMappings } from './mappings.js';
import { localBucket, platformEnv } from './platform-env.js';
import { frontDoorOf, ingestFrontDoorOf, type Platform, type PlatformOptions } from './platform-options.js';
import { provisionPlatformQueues } from './platform-queues.js';
import { createTables } from './provision.js';
import { timed, UsageMeter } from './usage-meter.js';

/**
 * The whole platform in one process: DynamoDB Local and fauxqs (or given endpoints), the
 * tables and queues from the shared definitions, the API behind a local API Gateway with
 * the real authorizer, the reference receiver, the worker behind a local SQS event source
 * mapping, and the sweeper on a timer.
 */
export const startPlatform = async (options: PlatformOptions): Promise<Platform> => {
  const log = options.log ?? (() => undefined);
  const stage = options.stage ?? 'local';
  const frontDoor = frontDoorOf(options);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const engines = await startPlatformEngines(options, log, stops);
    const { dynamodbEndpoint, sqsEndpoint } = engines;
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const ddbClient = new DynamoDBClient({ endpoint: dynamodbEndpoint, region: 'us-east-1', credentials });
    const sqsClient = new SQSClient({ endpoint: sqsEndpoint, region: 'us-east-1', credentials });
    stops.push(async () => {
      ddbClient.destroy();
      sqsClient.destroy();
    });
    await createTables(ddbClient, stage);
    const { queueUrls, inboundQueueUrls } = await provisionPlatformQueues(
      sqsClient,
      stage,
      engines,
      options,
      log,
    );
    const s3Client = new S3Client({
      endpoint: sqsEndpoint,
      region: 'us-east-1',
      credentials,
      forcePathStyle: true,
    });
    stops.push(async () => s3Client.destroy());
    await createInboundBucket(s3Client, localBucket(stage));
    const bus = await startLocalEventBus({
      busName: resourceName(inboundBus.baseName, stage),
      port: options.busPort ?? 0,
      sqs: sqsClient,
      rules: inboundBus.rules.map((rule) => ({
        name: resourceName(rule.baseName, stage),
        pattern: rule.pattern,
        queueUrl: inboundQueueUrls.targets[rule.provider],
      })),
      onLog: (e) => log({ service: 'event-bus', ...e }),
    });
    stops.push(() => bus.close());
    // IAM, as AWS enforces it: every call a function makes reaches its engine through a front
    // that checks it against the function's statements (packages/local/src/iam).
    // What the functions use, in the units AWS bills (the soak's bill is priced from it).
    const meter = new UsageMeter();
    const iam = await startIamFronts({
      engines: { dynamodb: dynamodbEndpoint, sqs: sqsEndpoint, eventbridge: bus.endpoint },
      stage,
      archiveBucket: localBucket(stage),
      ...(options.access ? { access: options.access } : {}),
      ...(options.deliveryLanes ? { deliveryLanes: options.deliveryLanes } : {}),
      meter,
      onLog: (e) => log(e),
    });
    stops.push(() => iam.close());
    const { viaFront } = iam;
    // The ingest API listens before the handlers load: their configuration names its URL.
    let ingestHandler: ((e: APIGatewayProxyEvent, c: Context) => Promise<APIGatewayProxyResult>) | undefined;
    const ingestGateway = await startGateway({
      name: 'ingest',
      port: options.ingestPort ?? 3002,
      handler: (event, context) => {
        if (!ingestHandler) throw new Error('the ingest handler is not loaded yet');
        const handler = ingestHandler;
        return asFunction('ingest', () => timed('ingest', handler, meter)(event, context));
      },
      routes: [{ method: 'POST', path: '/in/{token}', auth: 'public' }],
      frontDoor: ingestFrontDoorOf(options),
      binaryBodies: true,
      onLog: (e) => log({ service: 'ingest-gateway', ...e }),
    });
    stops.push(() => ingestGateway.close());

    const env = platformEnv(
      options,
      {
        dynamodb: iam.dynamodb,
        sqs: iam.sqs,
        ...(iam.eventbridge ? { eventbridge: iam.eventbridge } : {}),
        ingest: ingestGateway.url,
      },
      Object.fromEntries(
        Object.entries({
          ...queueUrls,
          inbound: inboundQueueUrls.fifo,
          inboundDlq: inboundQueueUrls.fifoDlq,
        }).map(([id, url]) => [id, viaFront(url)]),
      ),
    );
    Object.assign(process.env, env);

    // The functions behind the gateways and the scheduler run in this process; the worker and
    // the inbound processor are loaded here only when they do too (`lambdaInstances: false`).
    const [api, authorizer, receiver, sweeper, routes, ingest] = await Promise.all([
      import('@hookrelay/api/handler'),
      import('@hookrelay/authorizer/handler'),
      import('@hookrelay/receiver/handler'),
      import('@hookrelay/sweeper/handler'),
      import('@hookrelay/api/routes'),
      import('@hookrelay/ingest/handler'),
    ]);
    ingestHandler = ingest.handler as never;
    const apiGateway = await startGateway({
      name: 'api',
      port: options.apiPort ?? 3000,
      frontDoor,
      handler: invokedAs('api', timed('api', api.handler as never, meter)),
      authorizer: invokedAs('authorizer', timed('authorizer', authorizer.handler as never, meter)),
      routes: routes.routeIndex(new Logger({ serviceName: 'api', logLevel: 'SILENT' })),
      authorizerCacheTtlMs: options.authorizerCacheTtlMs ?? 300_000,
      onLog: (e) => log({ service: 'gateway', ...e }),
    });
    stops.push(() => apiGateway.close());
    const receiverGateway = await startGateway({
      name: 'receiver',
      port: options.receiverPort ?? 3001,
      handler: invokedAs('receiver', receiver.handler as never),
      onLog: (e) => log({ service: 'receiver-gateway', ...e }),
    });
    stops.push(() => receiverGateway.close());

    const consumers = platformMappings(options, (id) => {
      const url = id === 'inbound' ? inboundQueueUrls.fifo : queueUrls[id];
      return url ? viaFront(url) : undefined;
    });
    const running = await startMappings(consumers, {
      sqsEndpoint: iam.sqs,
      instances: options.lambdaInstances !== false,
      meter,
      log,
    });
    stops.push(() => running.stop());
    const workerStats = () =>
      Object.fromEntries(
        Object.keys(lanes).flatMap((name) => {
          const mapping = running.mappings[name];
          return mapping ? [[name, mapping.stats()]] : [];
        }),
      ) as ReturnType<Platform['workerStats']>;
    const sweepNow = () =>
      asFunction('sweeper', () =>
        timed(
          'sweeper',
          sweeper.handler as never as (e: unknown, c: unknown) => Promise<unknown>,
          meter,
        )({}, lambdaContext('sweeper', 60_000)),
      );
    const interval = options.sweepIntervalMs ?? 60_000;
    let sweeping = false;
    const timer = setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      sweepNow()
        .catch((error) =>
          log({ service: 'scheduler', level: 'ERROR', message: 'sweep failed', error: String(error) }),
        )
        .finally(() => {
          sweeping = false;
        });
    }, interval);
    stops.push(async () => clearInterval(timer));

    return {
      apiUrl: apiGateway.url,
      apiGateway: frontDoor,
      receiverUrl: receiverGateway.url,
      dynamodbEndpoint,
      sqsEndpoint,
      env,
      queueUrls,
      api: apiGateway,
      receiver: receiverGateway,
      ingestUrl: ingestGateway.url,
      ingest: ingestGateway,
      bus,
      inboundQueueUrls,
      inboundBucket: localBucket(stage),
      sweepNow,
      iamDenials: iam.denials,
      messagesSent: iam.messagesSent,
      awsCalls: iam.calls,
      usage: () => meter.snapshot(),
      workerStats,
      eventLoop: () => {
        const { active, idle } = performance.eventLoopUtilization();
        return { main: { active, idle }, instances: running.eventLoop() };
      },
      instances: () => running.instances(),
      topology: consumers.map(({ queueUrl: _, ...mapping }) => mapping),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
