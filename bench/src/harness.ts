import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PurgeQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { lanes } from '@hookrelay/definitions';
import {
  asFunction,
  createQueues,
  createTables,
  type EventSourceMapping,
  type Gateway,
  invokedAs,
  type LambdaHandler,
  lambdaContext,
  localBucket,
  platformEnv,
  startEventSourceMapping,
  startGateway,
  startIamFronts,
} from '@hookrelay/local';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayTokenAuthorizerEvent,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import { inFunction, timed } from './meter.js';

/**
 * The local platform assembled from the same parts `startPlatform` uses (packages/local:
 * tables and queues from the shared definitions, the local API Gateway with the real
 * authorizer and its 300 s cache, the SQS event source mapping) with every handler wrapped
 * so that its invocations are timed and its SDK calls attributed. The worker can be paused,
 * so a run can fill the queue first and drain it with full batches, as the mapping's batching
 * window does under load.
 */

export interface Engines {
  readonly dynamodb: string;
  readonly sqs: string;
}

export const enginesFromEnv = (): Engines => {
  const dynamodb = process.env.BENCH_DYNAMODB_ENDPOINT;
  const sqs = process.env.BENCH_SQS_ENDPOINT;
  if (!dynamodb || !sqs) throw new Error('BENCH_DYNAMODB_ENDPOINT and BENCH_SQS_ENDPOINT must be set');
  return { dynamodb, sqs };
};

/**
 * What every section's local platform starts with: the engines `make bench` started, ephemeral
 * ports and a fresh admin key (the section adds its own options).
 */
export const platformOnEngines = (stage: string) => {
  const engines = enginesFromEnv();
  return {
    stage,
    apiPort: 0,
    receiverPort: 0,
    ingestPort: 0,
    dynamodbEndpoint: engines.dynamodb,
    sqsEndpoint: engines.sqs,
    adminKey: `hr_admin_${randomBytes(16).toString('hex')}`,
  };
};

export type ApiHandler = LambdaHandler<APIGatewayProxyEvent, APIGatewayProxyResult>;
export type AuthorizerHandler = LambdaHandler<APIGatewayTokenAuthorizerEvent, APIGatewayAuthorizerResult>;
export type WorkerHandler = LambdaHandler<SQSEvent, SQSBatchResponse | undefined>;
export type SweeperHandler = LambdaHandler<Record<string, never>, unknown>;

export interface Harness {
  readonly apiUrl: string;
  readonly gateway: Gateway;
  readonly queueUrl: string;
  readonly env: Record<string, string>;
  readonly ddb: DynamoDBClient;
  readonly sqs: SQSClient;
  /** The handlers as the modules export them (not timed). */
  readonly handlers: {
    readonly api: ApiHandler;
    readonly authorizer: AuthorizerHandler;
    readonly worker: WorkerHandler;
    readonly sweeper: SweeperHandler;
  };
  startWorker(concurrency: number): Promise<void>;
  stopWorker(): Promise<void>;
  sweep(): Promise<unknown>;
  purgeQueue(): Promise<void>;
  stop(): Promise<void>;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Stopping a mapping aborts its long polls on the client side only: the queue still hands the
 * next message to the abandoned poll, where it stays invisible for the visibility timeout.
 * Polls here wait 1 s, and a stop waits that out before anything is sent again.
 */
export const POLL_WAIT_SECONDS = 1;
export const settlePolls = () => new Promise((r) => setTimeout(r, POLL_WAIT_SECONDS * 1000 + 300));

export const startHarness = async (options: {
  engines: Engines;
  stage: string;
  adminKey: string;
}): Promise<Harness> => {
  const { engines, stage } = options;
  const ddb = new DynamoDBClient({ endpoint: engines.dynamodb, region: 'us-east-1', credentials });
  const sqs = new SQSClient({ endpoint: engines.sqs, region: 'us-east-1', credentials });
  await createTables(ddb, stage);
  const queueUrls = await createQueues(sqs, stage, engines.sqs);
  // Every call a function makes is checked against its IAM statements, as startPlatform does.
  const iam = await startIamFronts({ engines, stage, archiveBucket: localBucket(stage) });
  const frontQueueUrls = Object.fromEntries(
    Object.entries(queueUrls).map(([id, url]) => [id, iam.viaFront(url)]),
  );
  const queueUrl = frontQueueUrls.deliveries;
  if (!queueUrl) throw new Error('no delivery queue');
  const env = platformEnv(
    { stage, adminKey: options.adminKey, allowlist: '127.0.0.0/8,::1/128', retrySchedule: '0,5s,5m,30m' },
    // The api builds inbound URLs from the ingest API's address; no inbound request is sent here.
    { dynamodb: iam.dynamodb, sqs: iam.sqs, ingest: 'http://127.0.0.1:3002' },
    frontQueueUrls,
  );
  // As on AWS (infra/src/stateless-stack.ts): INFO logs, EMF metrics written with them, and a
  // trace header on every invocation, which Powertools puts on every line (xray_trace_id).
  Object.assign(process.env, env, {
    POWERTOOLS_LOG_LEVEL: 'INFO',
    POWERTOOLS_METRICS_DISABLED: 'false',
    _X_AMZN_TRACE_ID:
      'Root=1-67531a2b-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=0;Lineage=1:0a1b2c3d:0',
  });

  const [api, authorizer, worker, sweeper, routes] = await Promise.all([
    import('@hookrelay/api/handler'),
    import('@hookrelay/authorizer/handler'),
    import('@hookrelay/worker/handler'),
    import('@hookrelay/sweeper/handler'),
    import('@hookrelay/api/routes'),
  ]);
  const handlers = {
    api: api.handler as never as ApiHandler,
    authorizer: authorizer.handler as never as AuthorizerHandler,
    worker: worker.handler as never as WorkerHandler,
    sweeper: sweeper.handler as never as SweeperHandler,
  };
  // The default front door, as a stage deploys it: the HTTP API (payload format 2.0).
  const gateway = await startGateway({
    name: 'api',
    port: 0,
    frontDoor: 'http',
    handler: timed('api', invokedAs('api', handlers.api)),
    authorizer: timed('authorizer', invokedAs('authorizer', handlers.authorizer)),
    routes: routes.routeIndex(new Logger({ serviceName: 'api', logLevel: 'SILENT' })),
    authorizerCacheTtlMs: 300_000,
  });

  let mapping: EventSourceMapping | undefined;
  // The slow lane's mapping too, as a stage has it: on a loaded machine an attempt can take over
  // a second and quarantine the bench's own receiver, whose messages then wait there.
  let slowMapping: EventSourceMapping | undefined;
  let orderedMapping: EventSourceMapping | undefined;
  const slowQueueUrl = frontQueueUrls.slow;
  const pollerSqs = new SQSClient({ endpoint: iam.sqs, region: 'us-east-1', credentials });
  const timedWorker = timed('worker', invokedAs('worker', handlers.worker));
  const timedSweeper = timed('sweeper', invokedAs('sweeper', handlers.sweeper));

  return {
    apiUrl: gateway.url,
    gateway,
    queueUrl,
    env,
    ddb,
    sqs,
    handlers,
    startWorker: async (concurrency) => {
      if (mapping) return;
      // The mapping's own receives and deletes are billed SQS requests too: attributed to "esm".
      // It polls with the worker's role, as Lambda's mapping does.
      mapping = await inFunction('esm', () =>
        asFunction('worker', () =>
          startEventSourceMapping({
            sqs: pollerSqs,
            queueUrl,
            handler: timedWorker,
            batchSize: 10,
            batchingWindowSeconds: lanes.main.batchingWindowSeconds,
            concurrency,
            waitTimeSeconds: POLL_WAIT_SECONDS,
          }),
        ),
      );
      if (frontQueueUrls.ordered) {
        // The ordered line (FIFO), for ordered webhooks' keyed deliveries.
        const orderedQueueUrl = frontQueueUrls.ordered;
        orderedMapping = await inFunction('esm', () =>
          asFunction('worker', () =>
            startEventSourceMapping({
              sqs: pollerSqs,
              queueUrl: orderedQueueUrl,
              handler: timedWorker,
              // BENCH_ORDERED_BATCH_SIZE measures the alternative of one record per invocation.
              batchSize: Number(process.env.BENCH_ORDERED_BATCH_SIZE ?? lanes.ordered.batchSize),
              concurrency,
              waitTimeSeconds: POLL_WAIT_SECONDS,
            }),
          ),
        );
      }
      if (slowQueueUrl) {
        slowMapping = await inFunction('esm', () =>
          asFunction('worker', () =>
            startEventSourceMapping({
              sqs: pollerSqs,
              queueUrl: slowQueueUrl,
              handler: timedWorker,
              batchSize: 10,
              batchingWindowSeconds: lanes.slow.batchingWindowSeconds,
              concurrency: 1,
              waitTimeSeconds: POLL_WAIT_SECONDS,
            }),
          ),
        );
      }
    },
    stopWorker: async () => {
      if (!mapping) return;
      await mapping.stop();
      await slowMapping?.stop();
      await orderedMapping?.stop();
      mapping = undefined;
      slowMapping = undefined;
      orderedMapping = undefined;
      await settlePolls();
    },
    sweep: () => timedSweeper({}, lambdaContext('sweeper', 60_000)),
    purgeQueue: async () => {
      await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
    },
    stop: async () => {
      await mapping?.stop();
      await slowMapping?.stop();
      await orderedMapping?.stop();
      await gateway.close();
      ddb.destroy();
      sqs.destroy();
      pollerSqs.destroy();
      await iam.close();
      const denials = iam.denials();
      if (denials.length > 0) throw new Error(`AWS calls refused by IAM: ${JSON.stringify(denials)}`);
    },
  };
};

export interface Receipt {
  readonly webhookId: string;
  readonly at: number;
}

export interface Receiver {
  readonly url: string;
  readonly receipts: Receipt[];
  /** Bytes received so far as they came over the wire: request lines, headers and bodies. */
  bytesReceived(): number;
  /** Resolves when `count` requests have arrived in total, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** The tenant's endpoint on loopback: answers 200 at once and notes each webhook-id and when. */
export const startReceiver = async (): Promise<Receiver> => {
  const receipts: Receipt[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let bytes = 0;
  const server: Server = createServer((req, res) => {
    bytes += Buffer.byteLength(`${req.method} ${req.url} HTTP/${req.httpVersion}\r\n\r\n`);
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      bytes += Buffer.byteLength(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`);
    }
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    req.on('end', () => {
      receipts.push({ webhookId: String(req.headers['webhook-id'] ?? ''), at: Date.now() });
      for (const w of waiters.filter((x) => receipts.length >= x.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    receipts,
    bytesReceived: () => bytes,
    waitFor: (count, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        if (receipts.length >= count) return resolve();
        const timer = setTimeout(() => {
          reject(
            new Error(`the receiver got ${receipts.length} of ${count} requests within ${timeoutMs} ms`),
          );
        }, timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

export interface TenantKeys {
  readonly tenantId: string;
  readonly apiKey: string;
  readonly webhookId: string;
}

/** Creates a tenant whose default webhook points at `targetUrl`, through the admin API. */
export const createTenant = async (
  apiUrl: string,
  adminKey: string,
  tenantId: string,
  targetUrl: string,
): Promise<TenantKeys> => {
  const res = await fetch(`${apiUrl}/v1/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tenant_id: tenantId, target_url: targetUrl }),
  });
  const body = (await res.json()) as { api_key?: string; webhook?: { id?: string } };
  if (res.status !== 201 || !body.api_key || !body.webhook?.id) {
    throw new Error(`creating tenant ${tenantId} failed: ${res.status} ${JSON.stringify(body)}`);
  }
  return { tenantId, apiKey: body.api_key, webhookId: body.webhook.id };
};

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight. */
export const pool = async (count: number, concurrency: number, task: (i: number) => Promise<void>) => {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
};
