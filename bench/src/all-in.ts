import type { PriceTable } from './pricing.js';

/**
 * The lines of the bill the headline leaves out, per million events: CloudWatch Logs
 * (ingestion and storage at the stage's retention), X-Ray, Lambda's billed INIT phase,
 * DynamoDB storage and point-in-time recovery, KMS requests, CloudWatch custom metrics and
 * data transfer out. What a run measured comes in per event; what it cannot measure here comes
 * from the stage's infra settings and the stated assumptions.
 */

/** Per event, as a run measured it. */
export interface AllInMeasured {
  /** Lambda invocations per event, by function. */
  readonly invocations: Readonly<Record<string, number>>;
  /** The handlers' own JSON lines (Powertools logs, EMF metrics), bytes as written. */
  readonly appLogBytes: number;
  /** Compressed size ÷ size of those lines (CloudWatch bills storage compressed). */
  readonly logCompression: number;
  /** API Gateway requests per event; each writes one access-log line. */
  readonly apiRequests: number;
  /** One access-log line as the stage's format writes it, in bytes. */
  readonly accessLogBytesPerRequest: number;
  /** What an event leaves in the data table (items and index entries). */
  readonly storedBytes: number;
  /** Sent to the tenant's endpoints (request line, headers, body), per event. */
  readonly bytesToEndpoints: number;
  /** Answered to API clients (status line, headers, body), per event. */
  readonly bytesToClients: number;
}

/** What the priced stage's infra sets. */
export interface AllInStage {
  readonly logRetentionDays: number;
  readonly dataRetentionDays: number;
  /** START and REPORT records Lambda writes per invocation at the stage's system log level. */
  readonly platformLogBytesPerInvocation: number;
  /** Functions deployed with active tracing. */
  readonly traced: ReadonlySet<string>;
  readonly memoryMb: Readonly<Record<string, number>>;
  /** Functions that read a SecureString at init (one KMS decrypt per cold start). */
  readonly readsSecrets: ReadonlySet<string>;
  readonly pointInTimeRecovery: boolean;
  /** Tables encrypted under a KMS key (AWS managed or not, its requests are billed). */
  readonly kmsTables: number;
  /** Custom metrics the functions publish (EMF), each billed per month. */
  readonly customMetrics: number;
}

/** What cannot be measured on one machine, said out loud. */
export interface AllInAssumptions {
  /** Platform-wide events per second, for amortising monthly and per-second charges. */
  readonly platform_events_per_second: number;
  /** Lambda's sampling for active tracing: the first request each second, then this share. */
  readonly trace_sample_rate: number;
  /** Invocations an instance serves before it is replaced (scaling in and out, recycling). */
  readonly invocations_per_cold_start: number;
  /** The INIT phase Lambda bills per cold start, ms (a few times this machine's import time). */
  readonly init_billed_ms: number;
  /** DynamoDB asks KMS for a table's key about once per 5 minutes per table. */
  readonly kms_requests_per_table_per_hour: number;
  /** A TLS handshake's bytes from the sender: the worker's ClientHello and key share, the API's certificate chain. */
  readonly tls_handshake_bytes_to_endpoint: number;
  readonly tls_handshake_bytes_to_client: number;
  /** Deliveries per new connection to an endpoint (one per worker batch: kept alive within it). */
  readonly deliveries_per_endpoint_connection: number;
  /** Requests per connection a tenant's client keeps open to the API. */
  readonly api_requests_per_client_connection: number;
}

export interface AllInLines {
  readonly cloudwatch_logs_ingestion: number;
  readonly cloudwatch_logs_storage: number;
  readonly xray: number;
  readonly lambda_init: number;
  readonly dynamodb_storage: number;
  readonly dynamodb_pitr: number;
  readonly kms: number;
  readonly cloudwatch_metrics: number;
  readonly data_transfer_out: number;
}

const GB = 2 ** 30;
const DAYS_PER_MONTH = 30.4;
const SECONDS_PER_MONTH = DAYS_PER_MONTH * 24 * 3600;

/** The share of a function's invocations Lambda's default sampling rule records. */
export const sampledShare = (invocationsPerSecond: number, rate: number): number =>
  invocationsPerSecond <= 1 ? 1 : (1 + rate * (invocationsPerSecond - 1)) / invocationsPerSecond;

/**
 * Dollars per million events for every line beyond the headline.
 *
 * @example
 * allInLines(measured, stage, assumptions, prices).cloudwatch_logs_ingestion // 0.12
 */
export const allInLines = (
  m: AllInMeasured,
  stage: AllInStage,
  a: AllInAssumptions,
  p: PriceTable,
  /** Deliveries per event that open a connection (worker invocations per event). */
  endpointConnectionsPerEvent: number,
): AllInLines => {
  const million = 1e6;
  const invocations = Object.values(m.invocations).reduce((t, n) => t + n, 0);
  const platformLogBytes = invocations * stage.platformLogBytesPerInvocation;
  const accessLogBytes = m.apiRequests * m.accessLogBytesPerRequest;
  const logBytes = m.appLogBytes + platformLogBytes + accessLogBytes;
  const logMonths = stage.logRetentionDays / DAYS_PER_MONTH;
  const dataMonths = stage.dataRetentionDays / DAYS_PER_MONTH;

  const xrayTraces = Object.entries(m.invocations)
    .filter(([fn]) => stage.traced.has(fn))
    .reduce((t, [, n]) => t + n * sampledShare(n * a.platform_events_per_second, a.trace_sample_rate), 0);
  const coldStarts = Object.fromEntries(
    Object.entries(m.invocations).map(([fn, n]) => [fn, n / a.invocations_per_cold_start]),
  );
  const initGbSeconds = Object.entries(coldStarts).reduce(
    (t, [fn, n]) => t + n * (a.init_billed_ms / 1000) * ((stage.memoryMb[fn] ?? 0) / 1024),
    0,
  );
  const eventsPerMonth = a.platform_events_per_second * SECONDS_PER_MONTH;
  const tableKeyRequests =
    (stage.kmsTables * a.kms_requests_per_table_per_hour * 24 * DAYS_PER_MONTH) / eventsPerMonth;
  const secretDecrypts = Object.entries(coldStarts)
    .filter(([fn]) => stage.readsSecrets.has(fn))
    .reduce((t, [, n]) => t + n, 0);
  const bytesOut =
    m.bytesToEndpoints +
    endpointConnectionsPerEvent * a.tls_handshake_bytes_to_endpoint +
    m.bytesToClients +
    (m.apiRequests / a.api_requests_per_client_connection) * a.tls_handshake_bytes_to_client;

  return {
    cloudwatch_logs_ingestion: ((logBytes * million) / GB) * p.cloudwatch_logs.ingest_per_gb,
    cloudwatch_logs_storage:
      ((logBytes * m.logCompression * million) / GB) * logMonths * p.cloudwatch_logs.storage_per_gb_month,
    xray: xrayTraces * p.xray.per_million_traces_recorded,
    lambda_init: initGbSeconds * million * p.lambda.arm64_per_gb_second,
    dynamodb_storage: ((m.storedBytes * million) / GB) * dataMonths * p.dynamodb.storage_per_gb_month,
    dynamodb_pitr: stage.pointInTimeRecovery
      ? ((m.storedBytes * million) / GB) * dataMonths * p.dynamodb.pitr_per_gb_month
      : 0,
    kms: (tableKeyRequests + secretDecrypts) * p.kms.per_million_requests,
    cloudwatch_metrics:
      ((stage.customMetrics * p.cloudwatch.custom_metric_per_month) / eventsPerMonth) * million,
    data_transfer_out: ((bytesOut * million) / GB) * p.data_transfer.out_to_internet_per_gb,
  };
};
