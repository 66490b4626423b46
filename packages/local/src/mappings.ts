import { existsSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  type DeliveryLanes,
  INBOUND_PROCESSOR_TIMEOUT_SECONDS,
  inboundMapping,
  type LaneName,
  lanes,
  stageLanes,
  WORKER_TIMEOUT_SECONDS,
} from '@hookrelay/definitions';
import type { ServiceName } from '@hookrelay/definitions/access';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type EventSourceMapping, startEventSourceMapping } from './event-source-mapping.js';
import { asFunction } from './iam/index.js';
import type { LambdaHandler } from './lambda-context.js';
import { type EventLoopTime, startLambdaInstances } from './lambda-instances.js';
import { timed, type UsageMeter } from './usage-meter.js';

/**
 * One event source mapping the platform runs, as infra writes it: a queue, the function it
 * invokes, and how (batch size, batching window, maximum concurrency, the function's timeout).
 * Every mapping of the platform is one of these, so a new queue with a consumer is one more
 * entry, not another poller.
 */
export interface LocalMapping {
  /** What the platform calls it (`main`, `slow`, `inbound`): its stats are reported under it. */
  readonly name: string;
  /** The function it invokes: its package `@hookrelay/<service>` exports `./handler`. */
  readonly service: ServiceName;
  /** The queue, as the function's role reaches it (through its IAM front). */
  readonly queueUrl: string;
  readonly batchSize: number;
  readonly batchingWindowSeconds?: number;
  readonly maximumConcurrency: number;
  readonly timeoutSeconds: number;
}

interface MappingsOptions {
  /** The SQS endpoint the pollers use (the IAM front). */
  readonly sqsEndpoint: string;
  /**
   * Each invocation in a Lambda-like instance of its function (module state per instance, one
   * invocation at a time), as on AWS; false runs them all in this process, sharing its state.
   */
  readonly instances: boolean;
  /** Where each invocation's duration is counted. */
  readonly meter?: UsageMeter;
  readonly log: (entry: Record<string, unknown>) => void;
}

interface RunningMappings {
  readonly mappings: Readonly<Record<string, EventSourceMapping>>;
  /** The Lambda-like instances' event loops, summed (nothing when invocations run in this process). */
  eventLoop(): EventLoopTime;
  /** The Lambda-like instances of every function: alive now, busy now, started so far. */
  instances(): { readonly instances: number; readonly busy: number; readonly started: number };
  stop(): Promise<void>;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Every queue with a consumer, at a production stage's maximum concurrency and batch size (the
 * definitions infra writes the mappings from), unless the options say otherwise. The lanes
 * (main, slow where the stage runs two, the ordered line) all invoke the worker, each within its own maximum, sharing
 * the function's instances. `queueUrl` reaches a queue as the function's role does.
 */
export const platformMappings = (
  options: {
    readonly startWorker?: boolean;
    readonly workerConcurrency?: number;
    readonly slowWorkerConcurrency?: number;
    readonly deliveryLanes?: DeliveryLanes;
    readonly startInboundProcessor?: boolean;
    readonly inboundConcurrency?: number;
  },
  queueUrl: (queueId: string) => string | undefined,
): LocalMapping[] => {
  const laneMaximum = (name: LaneName): number =>
    (name === 'slow'
      ? options.slowWorkerConcurrency
      : name === 'main'
        ? options.workerConcurrency
        : undefined) ?? lanes[name].maximumConcurrency.production;
  const consumers: LocalMapping[] = [];
  if (options.startWorker !== false) {
    for (const name of stageLanes(options.deliveryLanes ?? 2)) {
      const lane = lanes[name];
      const url = queueUrl(lane.queue);
      if (!url) continue;
      consumers.push({
        name,
        service: 'worker',
        queueUrl: url,
        batchSize: lane.batchSize,
        batchingWindowSeconds: lane.batchingWindowSeconds,
        maximumConcurrency: laneMaximum(name),
        timeoutSeconds: WORKER_TIMEOUT_SECONDS,
      });
    }
  }
  const inbound = queueUrl('inbound');
  if (options.startInboundProcessor !== false && inbound) {
    consumers.push({
      name: 'inbound',
      service: 'inbound-processor',
      queueUrl: inbound,
      batchSize: inboundMapping.batchSize,
      maximumConcurrency: options.inboundConcurrency ?? inboundMapping.maximumConcurrency.production,
      timeoutSeconds: INBOUND_PROCESSOR_TIMEOUT_SECONDS,
    });
  }
  return consumers;
};

/**
 * The module instances load: with LAMBDA_BUNDLES=1 (the bench, after `make build`) the
 * function's Lambda bundle, as AWS runs it; otherwise its sources.
 */
const moduleOf = (service: ServiceName): string => {
  const bundle = new URL(`../../../services/${service}/dist/handler.mjs`, import.meta.url);
  return process.env.LAMBDA_BUNDLES === '1' && existsSync(bundle)
    ? bundle.href
    : `@hookrelay/${service}/handler`;
};

type SqsHandler = LambdaHandler<SQSEvent, SQSBatchResponse | undefined>;

/**
 * Starts every mapping. The mappings of one function share its instances, as two mappings of
 * one function do on AWS: at most the sum of their maximum concurrency run at once, each
 * mapping within its own.
 *
 * @example
 * const running = await startMappings([{ name: 'main', service: 'worker', queueUrl, batchSize: 10,
 *   maximumConcurrency: 50, timeoutSeconds: 30 }], { sqsEndpoint, instances: true, log });
 * running.mappings.main?.stats(); // { pollers: 5, peakPollers: 5, inFlight: 0, invocations: 0 }
 */
export const startMappings = async (
  list: readonly LocalMapping[],
  options: MappingsOptions,
): Promise<RunningMappings> => {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  const handlers = new Map<ServiceName, SqsHandler>();
  const loops: (() => EventLoopTime)[] = [];
  const pools: { stats(): { instances: number; busy: number; started: number } }[] = [];
  const handlerOf = async (service: ServiceName): Promise<SqsHandler> => {
    const known = handlers.get(service);
    if (known) return known;
    const ofService = list.filter((m) => m.service === service);
    let handler: SqsHandler;
    if (options.instances) {
      const pool = startLambdaInstances({
        service,
        module: moduleOf(service),
        maximum: ofService.reduce((sum, m) => sum + m.maximumConcurrency, 0),
        timeoutMs: Math.max(...ofService.map((m) => m.timeoutSeconds)) * 1000,
        ...(options.meter ? { onInvoked: (ms: number) => options.meter?.invoked(service, ms) } : {}),
        onLog: (e) => options.log({ service: `${service}-instances`, ...e }),
      });
      stops.push(() => pool.stop());
      loops.push(() => pool.eventLoop());
      pools.push(pool);
      handler = (event) => pool.invoke(event);
    } else {
      const loaded = ((await import(`@hookrelay/${service}/handler`)) as { handler: SqsHandler }).handler;
      handler = options.meter ? timed(service, loaded, options.meter) : loaded;
    }
    handlers.set(service, handler);
    return handler;
  };
  const mappings: Record<string, EventSourceMapping> = {};
  try {
    for (const mapping of list) {
      const handler = await handlerOf(mapping.service);
      // Each poller holds a connection for its long poll: a client of its own per mapping,
      // with a socket for every poller and its deletes (the SDK's default pool is 50).
      const sqs = new SQSClient({
        endpoint: options.sqsEndpoint,
        region: 'us-east-1',
        credentials,
        requestHandler: {
          httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 2 * mapping.maximumConcurrency + 10 }),
        },
      });
      stops.push(async () => sqs.destroy());
      // The mapping polls with the function's role, as Lambda's does.
      const running = await asFunction(mapping.service, () =>
        startEventSourceMapping({
          sqs,
          queueUrl: mapping.queueUrl,
          handler,
          functionName: mapping.service,
          timeoutMs: mapping.timeoutSeconds * 1000,
          batchSize: mapping.batchSize,
          ...(mapping.batchingWindowSeconds !== undefined
            ? { batchingWindowSeconds: mapping.batchingWindowSeconds }
            : {}),
          concurrency: mapping.maximumConcurrency,
          onLog: (e) => options.log({ service: 'event-source-mapping', mapping: mapping.name, ...e }),
        }),
      );
      mappings[mapping.name] = running;
      stops.push(() => running.stop());
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const eventLoop = () =>
    loops.reduce<EventLoopTime>(
      (sum, loop) => {
        const one = loop();
        return { active: sum.active + one.active, idle: sum.idle + one.idle };
      },
      { active: 0, idle: 0 },
    );
  const instances = () =>
    pools.reduce(
      (sum, pool) => {
        const one = pool.stats();
        return {
          instances: sum.instances + one.instances,
          busy: sum.busy + one.busy,
          started: sum.started + one.started,
        };
      },
      { instances: 0, busy: 0, started: 0 },
    );
  return { mappings, eventLoop, instances, stop };
};
