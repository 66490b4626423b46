import {
  DELIVERY_LANE_COUNTS,
  type DeliveryLanes,
  INBOUND_ARCHIVE_MODES,
  type InboundArchiveMode,
  inboundMapping,
  lanes,
  SERVICE_PREFIX,
  type StageProfile,
} from '@hookrelay/definitions';

export { DELIVERY_LANE_COUNTS, type DeliveryLanes, INBOUND_ARCHIVE_MODES, type InboundArchiveMode };

/**
 * The tenant API's front door. `http` (API Gateway HTTP API, $1.00 per million requests) is the
 * default; `rest` (REST API, $3.50) keeps what only a REST API has: the platform's JSON error
 * shape on the gateway's own answers, X-Ray on the gateway, and the place WAF and request
 * validation attach to (docs/deploy.md compares them).
 */
export type ApiGatewayKind = 'http' | 'rest';
export const API_GATEWAY_KINDS: readonly ApiGatewayKind[] = ['http', 'rest'];

/**
 * What a stage pays to be watched. `full`: every alarm (about 60 alarm metrics, $6 a month) and
 * the dashboard ($3). `lean`: neither, only the alarm topic, for a stage nobody is paged for;
 * an idle development stage then pays little more than Lambda's pollers on its queues
 * (docs/benchmarks.md, section 6).
 */
export type MonitoringKind = 'full' | 'lean';
export const MONITORING_KINDS: readonly MonitoringKind[] = ['full', 'lean'];

/**
 * What differs between cloud stages. Everything else (names, keys, indexes, queue settings)
 * comes from `@hookrelay/definitions` and is the same everywhere, including the local platform.
 */
export interface StageSettings {
  /** How long Lambda and API logs are kept. */
  readonly logRetentionDays: number;
  /**
   * Lambda's own records: `INFO` writes a START and a REPORT record per invocation (about
   * 600 bytes, $0.30 per million invocations to ingest), `WARN` only what goes wrong. Duration,
   * errors (timeouts included) and throttles are CloudWatch metrics either way.
   */
  readonly lambdaSystemLogLevel: 'INFO' | 'WARN';
  /** Days events and attempts are kept before DynamoDB's TTL removes them (RETENTION_DAYS). */
  readonly dataRetentionDays: number;
  /**
   * What holds data cannot be lost to a stray destroy: DynamoDB deletion protection on the
   * tables, and Terraform's `prevent_destroy` on the tables, the queues and DLQs, the archive
   * bucket (and its key) and the bus archive, so a plan that would destroy or replace one of
   * them fails instead.
   */
  readonly deletionProtection: boolean;
  /**
   * Whether the reference receiver (a public demo and test target that reads every tenant's
   * signing secrets) is deployed. `DEPLOY_RECEIVER=1|0` at synth overrides it for one stage.
   */
  readonly deployReceiver: boolean;
  /**
   * How the inbound archive's bodies are encrypted at rest: `s3` (SSE-S3, S3-managed keys) or
   * `kms` (SSE-KMS under a customer managed key of the stage's own, rotated yearly, whose use is
   * logged in CloudTrail and which only the functions that read or write the archive may use;
   * $1 a month and a KMS request per uncached data key, fewer with the bucket key).
   */
  readonly archiveEncryption: 's3' | 'kms';
  /** The tenant API's front door; `API_GATEWAY=http|rest` at synth overrides it for one stage. */
  readonly apiGateway: ApiGatewayKind;
  /**
   * The public ingest route's front door: `http` ($1.00 per million requests) or `rest` ($3.50),
   * the one a web ACL (`webAcl`) attaches to. The ingestion function serves both.
   */
  readonly ingestGateway: ApiGatewayKind;
  /** Alarms and dashboard; `MONITORING=full|lean` at synth overrides it for one stage. */
  readonly monitoring: MonitoringKind;
  /**
   * The delivery lanes (`DeliveryLanes`): `2`, the main and the slow lane, each a queue with an
   * event source mapping of its own; `1`, the main lane alone: no slow queue, no slow-lane
   * mapping (its five idle long polls are $0.26 a month) and no slow-lane alarms, and a
   * quarantined endpoint's attempts share the main lane's consumers. `DELIVERY_LANES=1|2` at
   * synth overrides it for one stage (a staging stage that tests isolation sets 2).
   */
  readonly deliveryLanes: DeliveryLanes;
  /**
   * When an inbound body that rides in its FIFO message is archived (`InboundArchiveMode`):
   * `ingest`, before the request's metadata and the 202, as the product contract orders it
   * (one S3 PUT a request, $5.00 a million); `batch`, by the processor, one object per tenant
   * per batch (in bursts about a tenth of the PUTs; the body is shown and replayable once the
   * request is processed). `INBOUND_ARCHIVE=ingest|batch` at synth overrides it for one stage.
   */
  readonly inboundArchive: InboundArchiveMode;
  /**
   * How often the sweeper looks for deliveries whose message was lost. Each run is 32 index
   * queries, the lanes' lag and depths and its mark, whatever the traffic: about $0.18 a month
   * at one a minute. A lost message is sent again within the grace period plus this.
   */
  readonly sweepIntervalMinutes: number;
  /** Steady-state requests per second and burst for the whole API stage. */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * The public ingest stage's ceiling: near what the ingest function's reserved concurrency
   * absorbs (a burst no larger than its instances), so a flood on `/in/...` is turned away at
   * the gateway with a 429 the provider retries, and never takes the account's quota
   * (`ACCOUNT_API_THROTTLE`) from the tenant API.
   */
  readonly ingestThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Most concurrent inbound-processor invocations the FIFO queue's event source mapping starts:
   * at most the processor's reserved concurrency, or the mapping would throttle its own function.
   */
  readonly inboundMaxConcurrency: number;
  /**
   * A WAF web ACL with a per-address rate-based rule on the ingest stage and, where the tenant
   * API is a REST API, on its stage (WAF cannot attach to an HTTP API). Requests per client
   * address per five minutes; absent: no web ACL.
   */
  readonly webAcl?: { readonly ingestPerAddress: number; readonly apiPerAddress: number };
  /** The receiver is a test target, so it gets a much lower ceiling than the API. */
  readonly receiverThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Most concurrent worker invocations the SQS event source mapping starts. It caps the load
   * the platform puts on DynamoDB and on tenants' endpoints, and keeps a backlog from taking
   * the whole account's Lambda concurrency.
   */
  readonly workerMaxConcurrency: number;
  /**
   * The same for the slow lane's mapping: deliveries to endpoints that answer slowly or not at
   * all. Its own ceiling, so quarantined endpoints can never take the main lane's concurrency.
   * Unused with one lane.
   */
  readonly slowLaneMaxConcurrency: number;
  /** The same for the ordered line's mapping (FIFO): ordered webhooks' keyed deliveries. */
  readonly orderedLaneMaxConcurrency: number;
  /**
   * Reserved concurrency per function: each function is guaranteed this many instances and
   * never takes more, so a burst on the API cannot starve the worker or the authorizer.
   * A function not listed gets `default`.
   */
  readonly reservedConcurrency: { readonly default: number } & Readonly<Partial<Record<string, number>>>;
  readonly alarms: {
    /** Oldest delivery message, in seconds, before the backlog alarm fires. */
    readonly oldestMessageSeconds: number;
    /** The same for the slow lane, where waiting longer is expected. */
    readonly slowLaneOldestMessageSeconds: number;
    /** Oldest DLQ message, in seconds: SQS drops dead letters at 14 days. */
    readonly dlqOldestMessageSeconds: number;
    /** Share of API requests answered 5xx, in percent. */
    readonly api5xxPercent: number;
    /** API Gateway p99 latency, in milliseconds. */
    readonly apiLatencyP99Ms: number;
    /** Share of deliveries that ran out of retries, in percent. */
    readonly deliveryFailurePercent: number;
    /** Oldest request in the inbound FIFO queue, in seconds (3 receives × 180 s is ~9 minutes). */
    readonly inboundOldestMessageSeconds: number;
    /** Share of requests to the ingest URL answered 5xx, in percent. */
    readonly ingest5xxPercent: number;
  };
}

const DAY = 24 * 3600;

/**
 * API Gateway's default throttle for a whole account in a region, shared by every API stage in
 * it: the stages' own throttles together stay under it, so none can starve another.
 */
export const ACCOUNT_API_THROTTLE = { rateLimit: 10_000, burstLimit: 5_000 } as const;

/**
 * The event source mappings' ceilings of a kind of stage, from the definitions the local
 * platform runs as well.
 */
const mappingConcurrency = (profile: StageProfile) => ({
  inboundMaxConcurrency: inboundMapping.maximumConcurrency[profile],
  workerMaxConcurrency: lanes.main.maximumConcurrency[profile],
  slowLaneMaxConcurrency: lanes.slow.maximumConcurrency[profile],
  orderedLaneMaxConcurrency: lanes.ordered.maximumConcurrency[profile],
});

const production: StageSettings = {
  logRetentionDays: 90,
  lambdaSystemLogLevel: 'WARN',
  dataRetentionDays: 30,
  deletionProtection: true,
  deployReceiver: false,
  archiveEncryption: 'kms',
  apiGateway: 'http',
  // Production keeps a web ACL on its public route, which only a REST API takes.
  ingestGateway: 'rest',
  monitoring: 'full',
  deliveryLanes: 2,
  inboundArchive: 'ingest',
  sweepIntervalMinutes: 1,
  apiThrottle: { rateLimit: 500, burstLimit: 1000 },
  // 100 instances at ~150 ms a request take ~650 requests/s; a burst no larger than they are.
  ingestThrottle: { rateLimit: 500, burstLimit: 100 },
  // 100 requests/s from one address, sustained over five minutes: a provider's delivery burst
  // passes, one client cannot take a stage's whole throttle.
  webAcl: { ingestPerAddress: 30_000, apiPerAddress: 30_000 },
  receiverThrottle: { rateLimit: 100, burstLimit: 200 },
  ...mappingConcurrency('production'),
  // 500 requests/s at ~60 ms is ~30 instances: 200 leave room for slow dependencies. The worker
  // gets what its two event source mappings may start plus headroom, the sweeper one run at a
  // time.
  reservedConcurrency: {
    default: 5,
    api: 200,
    authorizer: 50,
    worker: 80,
    sweeper: 1,
    'dlq-processor': 2,
    receiver: 20,
    // Providers send in bursts to the public route; each request is a few short calls.
    ingest: 100,
    // One instance per source with work queued (FIFO groups), each batch in order.
    'inbound-processor': 10,
  },
  // Retry waits keep a message at most ~15 minutes (SQS's longest delay; longer waits hop),
  // so twice that means the worker is not draining the queue.
  alarms: {
    oldestMessageSeconds: 1800,
    slowLaneOldestMessageSeconds: 3600,
    dlqOldestMessageSeconds: 10 * DAY,
    api5xxPercent: 1,
    apiLatencyP99Ms: 3000,
    deliveryFailurePercent: 5,
    inboundOldestMessageSeconds: 1800,
    ingest5xxPercent: 1,
  },
};

const development: StageSettings = {
  logRetentionDays: 14,
  lambdaSystemLogLevel: 'INFO',
  dataRetentionDays: 30,
  deletionProtection: false,
  deployReceiver: true,
  archiveEncryption: 's3',
  apiGateway: 'http',
  ingestGateway: 'http',
  monitoring: 'lean',
  deliveryLanes: 1,
  inboundArchive: 'ingest',
  sweepIntervalMinutes: 5,
  apiThrottle: { rateLimit: 50, burstLimit: 100 },
  ingestThrottle: { rateLimit: 50, burstLimit: 10 },
  receiverThrottle: { rateLimit: 20, burstLimit: 40 },
  ...mappingConcurrency('development'),
  reservedConcurrency: {
    default: 2,
    api: 20,
    authorizer: 10,
    worker: 10,
    sweeper: 1,
    'dlq-processor': 1,
    receiver: 5,
    ingest: 10,
    'inbound-processor': 2,
  },
  alarms: {
    oldestMessageSeconds: 1800,
    slowLaneOldestMessageSeconds: 3600,
    dlqOldestMessageSeconds: 10 * DAY,
    api5xxPercent: 5,
    apiLatencyP99Ms: 5000,
    deliveryFailurePercent: 20,
    inboundOldestMessageSeconds: 1800,
    ingest5xxPercent: 5,
  },
};

/** Same rule as the operations CLI, so every deployable stage can be operated. */
const STAGE_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

/**
 * Checks a stage name and returns its settings. `local` is the embedded platform (`make dev`)
 * and never deployed; `prod` gets production settings, every other stage development ones.
 *
 * @example
 * stageSettings('prod').deletionProtection // true
 */
export const stageSettings = (stage: string): StageSettings => {
  if (!STAGE_NAME.test(stage)) {
    throw new Error(`"${stage}" is not a stage name (lowercase letters, digits and dashes, at most 31).`);
  }
  if (stage === 'local') {
    throw new Error('Stage "local" is the embedded platform (make dev); deploy a cloud stage such as dev.');
  }
  return stage === 'prod' ? production : development;
};

/** A function's reserved concurrency in a stage. */
export const reservedConcurrencyOf = (settings: StageSettings, service: string): number =>
  settings.reservedConcurrency[service] ?? settings.reservedConcurrency.default;

/** The value of every resource's `Service` tag and the prefix of every name. */
export const SERVICE = SERVICE_PREFIX;
