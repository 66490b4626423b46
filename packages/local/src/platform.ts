import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { ChangeMessageVisibilityBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  DEFAULT_SWEEP_GRACE_MS,
  fifoQueueName,
  INBOUND_ENV,
  INBOUND_PROCESSOR_TIMEOUT_SECONDS,
  inboundBucket,
  inboundBus,
  inboundEnvironment,
  inboundMapping,
  inboundQueues,
  lanes,
  queueList,
  queueNameOf,
  resourceName,
  stageEnvironment,
  WORKER_TIMEOUT_SECONDS,
} from '@hookrelay/definitions';
import type { FunctionAccess, ServiceName } from '@hookrelay/definitions/access';
import { DEFAULT_RETRY_SCHEDULE } from '@hookrelay/domain';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { type LocalEventBus, startLocalEventBus } from './bus/local-event-bus.js';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.js';
import type { EventSourceMappingStats } from './event-source-mapping.js';
import { relaxFauxqsSync } from './fauxqs-sync.js';
import { type FrontDoor, type Gateway, startGateway } from './gateway.js';
import { asFunction, type Denial, invokedAs, startIamFronts } from './iam/index.js';
import { createInboundBucket, createInboundQueues, type InboundQueueUrls } from './inbound-provision.js';
import { lambdaContext } from './lambda-context.js';
import { type LocalMapping, startMappings } from './mappings.js';
import { createQueues, createTables } from './provision.js';
import { type LocalUsage, timed, UsageMeter } from './usage-meter.js';

export interface PlatformOptions {
  readonly stage?: string;
  readonly apiPort?: number;
  readonly receiverPort?: number;
  /** The public ingest API (`/in/{token}`) and the local EventBridge bus. */
  readonly ingestPort?: number;
  readonly busPort?: number;
  readonly dynamodbPort?: number;
  readonly sqsPort?: number;
  /** Use an already running DynamoDB Local / SQS emulator instead of starting one. */
  readonly dynamodbEndpoint?: string;
  readonly sqsEndpoint?: string;
  /** Where DynamoDB Local and fauxqs keep data; absent keeps everything in memory. */
  readonly dataDir?: string;
  readonly adminKey: string;
  readonly retrySchedule?: string;
  readonly allowlist?: string;
  readonly sweepIntervalMs?: number;
  readonly sweepGraceMs?: number;
  readonly authorizerCacheTtlMs?: number;
  /**
   * The API's front door, as a cloud stage's `api_gateway` chooses it: `http` (HTTP API,
   * payload format 2.0; the default) or `rest` (REST API, v1 events). `API_GATEWAY` in the
   * environment chooses when this is absent.
   */
  readonly apiGateway?: FrontDoor;
  /**
   * The public ingest route's front door, as a cloud stage's `ingestGateway` chooses it: `http`
   * (the default) or `rest` (where a web ACL is wanted). `INGEST_GATEWAY` in the environment
   * chooses when this is absent.
   */
  readonly ingestGateway?: FrontDoor;
  readonly deliveryTimeoutMs?: number;
  /** Visibility timeout for the local delivery queues, when tests want crashes to surface sooner. */
  readonly visibilityTimeoutSeconds?: number;
  /** Maximum concurrency of the main lane's event source mapping (production's, from the definitions). */
  readonly workerConcurrency?: number;
  /** Maximum concurrency of the slow lane's event source mapping (production's). */
  readonly slowWorkerConcurrency?: number;
  /**
   * Make what a killed platform held visible again at once, instead of after the queues'
   * visibility timeout as SQS does. A development convenience (`DEV_RELEASE_HELD=1`), off by
   * default: tests and the bench see what AWS would do.
   */
  readonly releaseHeldOnStart?: boolean;
  /**
   * Run the worker and the inbound processor behind their event source mappings in Lambda-like
   * instances (a worker thread each: module state per instance, one invocation at a time), as
   * on AWS; the default. False runs every invocation in this process, sharing its state.
   */
  readonly lambdaInstances?: boolean;
  /** Maximum concurrency of the inbound queue's mapping (production's, from the definitions). */
  readonly inboundConcurrency?: number;
  /** Visibility timeout of the inbound FIFO queue, when tests want a failed group back sooner. */
  readonly inboundVisibilityTimeoutSeconds?: number;
  /** Set false to run the inbound processor elsewhere (e.g. a child process a test can kill). */
  readonly startInboundProcessor?: boolean;
  /** Set false to run the worker elsewhere (e.g. a child process a test can kill). */
  readonly startWorker?: boolean;
  readonly extraEnv?: Record<string, string>;
  /**
   * What each function may do, checked on every AWS call it makes (the platform's declaration,
   * `FUNCTION_ACCESS`, unless a test takes a grant away to see what fails without it).
   */
  readonly access?: Readonly<Record<ServiceName, FunctionAccess>>;
  readonly log?: (entry: Record<string, unknown>) => void;
}

export interface Platform {
  readonly apiUrl: string;
  /** The front door the API is behind (`PlatformOptions.apiGateway`). */
  readonly apiGateway: FrontDoor;
  readonly receiverUrl: string;
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  readonly env: Record<string, string>;
  readonly queueUrls: Record<string, string>;
  readonly api: Gateway;
  readonly receiver: Gateway;
  /** Where providers post (`${ingestUrl}/in/{token}`). */
  readonly ingestUrl: string;
  readonly ingest: Gateway;
  readonly bus: LocalEventBus;
  readonly inboundQueueUrls: InboundQueueUrls;
  readonly inboundBucket: string;
  /** Runs one sweep now (the scheduled job), returning its report. */
  sweepNow(): Promise<unknown>;
  /** Every AWS call a function made that its IAM statements do not allow, oldest first. */
  iamDenials(): readonly Denial[];
  /** SQS messages the functions have sent so far (hand-backs, forwards, retries, sweeps). */
  messagesSent(): number;
  /**
   * What the functions used so far, as AWS bills it: invocations and their durations, DynamoDB
   * capacity units, SQS requests (the local receiver's aside; it is no part of a production stage).
   */
  usage(): LocalUsage;
  /** Each lane's event source mapping: pollers, peak, records in flight. */
  workerStats(): Partial<Record<keyof typeof lanes, EventSourceMappingStats>>;
  /** The event source mappings as this platform runs them (queue URLs aside). */
  readonly topology: readonly Omit<LocalMapping, 'queueUrl'>[];
  stop(): Promise<void>;
}

const persistentSecret = (dataDir: string | undefined, name: string): string => {
  if (!dataDir) return randomBytes(32).toString('base64url');
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = randomBytes(32).toString('base64url');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, value, { mode: 0o600 });
  return value;
};

const doorFrom = (name: string, raw: string | undefined): FrontDoor => {
  const value = raw?.trim().toLowerCase();
  if (!value || value === 'http') return 'http';
  if (value === 'rest') return 'rest';
  throw new Error(`${name} must be http or rest, not "${value}".`);
};

/** The front door from the options, else `API_GATEWAY`, else the cloud's default (http). */
export const frontDoorOf = (options: Pick<PlatformOptions, 'apiGateway'>, env = process.env): FrontDoor =>
  options.apiGateway ?? doorFrom('API_GATEWAY', env.API_GATEWAY);

/** The ingest route's front door from the options, else `INGEST_GATEWAY`, else http. */
export const ingestFrontDoorOf = (
  options: Pick<PlatformOptions, 'ingestGateway'>,
  env = process.env,
): FrontDoor => options.ingestGateway ?? doorFrom('INGEST_GATEWAY', env.INGEST_GATEWAY);

/** The local archive bucket of a stage. */
export const localBucket = (stage: string): string => resourceName(inboundBucket.baseName, stage);

/** The environment every in-process Lambda gets: endpoints, names, stage settings. */
export const platformEnv = (
  options: PlatformOptions,
  endpoints: { dynamodb: string; sqs: string; eventbridge?: string; ingest?: string },
  queueUrls: Record<string, string>,
): Record<string, string> => {
  const stage = options.stage ?? 'local';
  const byName = (name: string) => Object.values(queueUrls).find((u) => u.endsWith(`/${name}`)) ?? name;
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    // fauxqs is S3 too; path-style addressing avoids bucket subdomains of 127.0.0.1.
    AWS_ENDPOINT_URL_S3: endpoints.sqs,
    S3_FORCE_PATH_STYLE: 'true',
    ...(endpoints.eventbridge ? { AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventbridge } : {}),
    STAGE: stage,
    ...stageEnvironment(stage, byName),
    ...inboundEnvironment(stage, byName, localBucket(stage)),
    ...(endpoints.ingest ? { [INBOUND_ENV.ingestBaseUrl]: endpoints.ingest } : {}),
    ADMIN_API_KEY: options.adminKey,
    CURSOR_SECRET: persistentSecret(options.dataDir, 'cursor-secret'),
    RETRY_SCHEDULE: options.retrySchedule ?? process.env.RETRY_SCHEDULE ?? DEFAULT_RETRY_SCHEDULE,
    DESTINATION_ALLOWLIST: options.allowlist ?? process.env.DESTINATION_ALLOWLIST ?? '127.0.0.0/8,::1/128',
    SWEEP_GRACE_MS: String(options.sweepGraceMs ?? DEFAULT_SWEEP_GRACE_MS),
    DELIVERY_TIMEOUT_MS: String(options.deliveryTimeoutMs ?? 10_000),
    HTTPS_ONLY: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    // Nothing is traced here, yet on import the X-Ray SDK under Powertools Tracer starts
    // following every promise of the process with an async hook (its automatic mode): about a
    // tenth of the platform's CPU under load (docs/benchmarks.md, section 3b). On AWS only the
    // traced functions load it, each in its own Lambda.
    AWS_XRAY_MANUAL_MODE: '1',
    POWERTOOLS_DEV: 'false',
    AWS_LAMBDA_FUNCTION_NAME: 'local',
    ...(options.extraEnv ?? {}),
  };
};

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
    let dynamodbEndpoint = options.dynamodbEndpoint;
    if (!dynamodbEndpoint) {
      const ddb: DynamoDbLocal = await startDynamoDbLocal({
        port: options.dynamodbPort ?? 8000,
        ...(options.dataDir ? { dataDir: join(options.dataDir, 'dynamodb') } : {}),
        onLog: (line) => log({ service: 'dynamodb-local', message: line }),
      });
      stops.push(() => ddb.stop());
      dynamodbEndpoint = ddb.endpoint;
    }
    let sqsEndpoint = options.sqsEndpoint;
    let orphaned: ((queueName: string) => string[]) | undefined;
    if (!sqsEndpoint) {
      const dataDir = options.dataDir ? join(options.dataDir, 'sqs') : undefined;
      if (dataDir) await relaxFauxqsSync();
      const { startFauxqs } = await import('fauxqs');
      if (dataDir) mkdirSync(dataDir, { recursive: true });
      const fauxqs = await startFauxqs({
        port: options.sqsPort ?? 4566,
        listenHost: '127.0.0.1',
        logger: false,
        ...(dataDir ? { dataDir } : {}),
      });
      stops.push(() => fauxqs.stop());
      sqsEndpoint = fauxqs.address;
      orphaned = (name) => fauxqs.inspectQueue(name)?.messages.inflight.map((m) => m.receiptHandle) ?? [];
    }
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const ddbClient = new DynamoDBClient({ endpoint: dynamodbEndpoint, region: 'us-east-1', credentials });
    const sqsClient = new SQSClient({ endpoint: sqsEndpoint, region: 'us-east-1', credentials });
    stops.push(async () => {
      ddbClient.destroy();
      sqsClient.destroy();
    });
    await createTables(ddbClient, stage);
    const laneVisibility: Record<string, number> = {};
    for (const lane of Object.values(lanes)) {
      if (options.visibilityTimeoutSeconds !== undefined)
        laneVisibility[lane.queue] = options.visibilityTimeoutSeconds;
    }
    const queueUrls = await createQueues(sqsClient, stage, sqsEndpoint, laneVisibility);
    // This process owns its fauxqs and no worker has run yet, so whatever its data says is in
    // flight was held by a platform that was killed. As on AWS, it comes back once its
    // visibility timeout has passed; asked to (`releaseHeldOnStart`), it is released now.
    const release = options.releaseHeldOnStart === true ? orphaned : undefined;
    if (release) {
      for (const queue of queueList) {
        const handles = release(queueNameOf(queue, stage));
        const queueUrl = queueUrls[queue.id];
        for (let i = 0; queueUrl && i < handles.length; i += 10) {
          await sqsClient.send(
            new ChangeMessageVisibilityBatchCommand({
              QueueUrl: queueUrl,
              Entries: handles
                .slice(i, i + 10)
                .map((h, j) => ({ Id: String(j), ReceiptHandle: h, VisibilityTimeout: 1 })),
            }),
          );
        }
        if (handles.length > 0) {
          log({
            service: 'platform',
            message: 'released messages a stopped platform held',
            queue: queue.baseName,
            count: handles.length,
          });
        }
      }
    }
    const s3Client = new S3Client({
      endpoint: sqsEndpoint,
      region: 'us-east-1',
      credentials,
      forcePathStyle: true,
    });
    stops.push(async () => s3Client.destroy());
    const inboundQueueUrls = await createInboundQueues(
      sqsClient,
      stage,
      sqsEndpoint,
      options.inboundVisibilityTimeoutSeconds !== undefined
        ? { [inboundQueues.fifo.id]: options.inboundVisibilityTimeoutSeconds }
        : {},
    );
    if (release) {
      // The same for the inbound FIFO queue: a restart resumes its groups at once.
      const handles = release(fifoQueueName(inboundQueues.fifo, stage));
      for (let i = 0; i < handles.length; i += 10) {
        await sqsClient.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: inboundQueueUrls.fifo,
            Entries: handles
              .slice(i, i + 10)
              .map((h, j) => ({ Id: String(j), ReceiptHandle: h, VisibilityTimeout: 0 })),
          }),
        );
      }
    }
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

    // Every queue with a consumer, at a production stage's maximum concurrency and batch size
    // (the definitions infra writes the mappings from). The lanes (main, slow, the ordered line)
    // all invoke the worker, each within its own maximum, sharing the function's instances.
    const laneMaximum = (name: keyof typeof lanes): number =>
      (name === 'slow'
        ? options.slowWorkerConcurrency
        : name === 'main'
          ? options.workerConcurrency
          : undefined) ?? lanes[name].maximumConcurrency.production;
    const consumers: LocalMapping[] = [];
    if (options.startWorker !== false) {
      for (const [name, lane] of Object.entries(lanes) as [
        keyof typeof lanes,
        (typeof lanes)[keyof typeof lanes],
      ][]) {
        const queueUrl = queueUrls[lane.queue];
        if (!queueUrl) continue;
        consumers.push({
          name,
          service: 'worker',
          queueUrl: viaFront(queueUrl),
          batchSize: lane.batchSize,
          batchingWindowSeconds: lane.batchingWindowSeconds,
          maximumConcurrency: laneMaximum(name),
          timeoutSeconds: WORKER_TIMEOUT_SECONDS,
        });
      }
    }
    if (options.startInboundProcessor !== false) {
      consumers.push({
        name: 'inbound',
        service: 'inbound-processor',
        queueUrl: viaFront(inboundQueueUrls.fifo),
        batchSize: inboundMapping.batchSize,
        maximumConcurrency: options.inboundConcurrency ?? inboundMapping.maximumConcurrency.production,
        timeoutSeconds: INBOUND_PROCESSOR_TIMEOUT_SECONDS,
      });
    }
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
      usage: () => meter.snapshot(),
      workerStats,
      topology: consumers.map(({ queueUrl: _, ...mapping }) => mapping),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
