import type { DeliveryLanes, InboundArchiveMode, lanes } from '@hookrelay/definitions';
import type { FunctionAccess, ServiceName } from '@hookrelay/definitions/access';
import type { LocalEventBus } from './bus/local-event-bus.js';
import type { EventSourceMappingStats } from './event-source-mapping.js';
import type { Gateway } from './gateway.js';
import type { FrontDoor } from './gateway-answers.js';
import type { Denial } from './iam/index.js';
import type { InboundQueueUrls } from './inbound-provision.js';
import type { EventLoopTime } from './lambda-instances.js';
import type { LocalMapping } from './mappings.js';
import type { LocalUsage } from './usage-meter.js';

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
   * The delivery lanes, as a cloud stage's `deliveryLanes` sets them: production's two by
   * default; `1` runs a development stage's main lane alone (no slow queue, no slow-lane
   * mapping, the slow lane's grants on the main queue).
   */
  readonly deliveryLanes?: DeliveryLanes;
  /**
   * When a body that rides in its inbound message is archived, as a cloud stage's
   * `inboundArchive` sets it: at ingest (the default) or by the processor a batch at a time.
   * `INBOUND_ARCHIVE` in the environment chooses when this is absent.
   */
  readonly inboundArchive?: InboundArchiveMode;
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
  /** The AWS calls the functions have made so far, by function and operation (`worker UpdateItem`). */
  awsCalls(): Readonly<Record<string, number>>;
  /**
   * What the functions used so far, as AWS bills it: invocations and their durations, DynamoDB
   * capacity units, SQS requests (the local receiver's aside; it is no part of a production stage).
   */
  usage(): LocalUsage;
  /**
   * Milliseconds the platform's main event loop and its Lambda-like instances' loops (summed)
   * have spent running and waiting so far (`performance.eventLoopUtilization()`).
   */
  eventLoop(): { readonly main: EventLoopTime; readonly instances: EventLoopTime };
  /** The Lambda-like instances: alive now, busy now, started so far. */
  instances(): { readonly instances: number; readonly busy: number; readonly started: number };
  /** Each lane's event source mapping: pollers, peak, records in flight. */
  workerStats(): Partial<Record<keyof typeof lanes, EventSourceMappingStats>>;
  /** The event source mappings as this platform runs them (queue URLs aside). */
  readonly topology: readonly Omit<LocalMapping, 'queueUrl'>[];
  stop(): Promise<void>;
}

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
