import { readFileSync } from 'node:fs';

/** A service's prices, each a number in dollars (per the unit its name says). */
type Prices<Name extends string> = { readonly [P in Name]: number };

/** The dated price table kept beside the benchmark (bench/prices-us-east-1.json). */
export interface PriceTable {
  readonly region: string;
  readonly as_of: string;
  readonly api_gateway: Prices<'rest_per_million_requests' | 'http_per_million_requests'>;
  readonly lambda: Prices<'arm64_per_gb_second' | 'per_million_requests'>;
  /** `pitr_per_gb_month`: continuous backups (point-in-time recovery), on the table's size. */
  readonly dynamodb: Prices<
    'on_demand_per_million_wru' | 'on_demand_per_million_rru' | 'storage_per_gb_month' | 'pitr_per_gb_month'
  >;
  readonly sqs: Prices<'standard_per_million_requests' | 'fifo_per_million_requests' | 'billed_chunk_bytes'>;
  readonly s3: Prices<'put_per_million_requests' | 'get_per_million_requests' | 'storage_per_gb_month'>;
  /** `archive_*`: events written to an archive, and the archive's storage. */
  readonly eventbridge: Prices<
    'custom_events_per_million' | 'billed_chunk_bytes' | 'archive_per_gb' | 'archive_storage_per_gb_month'
  >;
  readonly cloudwatch_logs: Prices<'ingest_per_gb' | 'storage_per_gb_month'>;
  readonly xray: Prices<'per_million_traces_recorded'>;
  readonly cloudwatch: Prices<'alarm_metric_per_month' | 'dashboard_per_month' | 'custom_metric_per_month'>;
  readonly kms: Prices<'per_million_requests' | 'key_per_month'>;
  readonly data_transfer: Prices<'out_to_internet_per_gb'>;
  readonly waf: Prices<'web_acl_per_month' | 'rule_per_month' | 'per_million_requests'>;
  readonly anchors: Readonly<
    Record<string, { readonly usd: number; readonly what: string; readonly source: string }>
  >;
}

export const PRICES_FILE = new URL('../prices-us-east-1.json', import.meta.url);

export const loadPrices = (): PriceTable => JSON.parse(readFileSync(PRICES_FILE, 'utf8')) as PriceTable;

/** What a run used, in the units AWS bills. */
export interface Usage {
  readonly apiGatewayRequests: number;
  /** Per function: invocations and GB-seconds (billed milliseconds × configured memory). */
  readonly lambda: Readonly<Record<string, { readonly invocations: number; readonly gbSeconds: number }>>;
  readonly dynamodbRru: number;
  readonly dynamodbWru: number;
  /** SQS requests as billed: one per 64 KB chunk of payload. */
  readonly sqsRequests: number;
}

export const emptyUsage: Usage = {
  apiGatewayRequests: 0,
  lambda: {},
  dynamodbRru: 0,
  dynamodbWru: 0,
  sqsRequests: 0,
};

/** Lambda bills each invocation's duration rounded up to the millisecond, at the configured memory. */
export const gbSeconds = (durationsMs: readonly number[], memoryMb: number): number =>
  durationsMs.reduce((total, ms) => total + Math.ceil(ms), 0) * (memoryMb / 1024 / 1000);

export const scaleUsage = (u: Usage, factor: number): Usage => ({
  apiGatewayRequests: u.apiGatewayRequests * factor,
  lambda: Object.fromEntries(
    Object.entries(u.lambda).map(([fn, l]) => [
      fn,
      { invocations: l.invocations * factor, gbSeconds: l.gbSeconds * factor },
    ]),
  ),
  dynamodbRru: u.dynamodbRru * factor,
  dynamodbWru: u.dynamodbWru * factor,
  sqsRequests: u.sqsRequests * factor,
});

export const addUsage = (a: Usage, b: Usage): Usage => {
  const lambda: Record<string, { invocations: number; gbSeconds: number }> = {};
  for (const [fn, l] of [...Object.entries(a.lambda), ...Object.entries(b.lambda)]) {
    const prev = lambda[fn] ?? { invocations: 0, gbSeconds: 0 };
    lambda[fn] = { invocations: prev.invocations + l.invocations, gbSeconds: prev.gbSeconds + l.gbSeconds };
  }
  return {
    apiGatewayRequests: a.apiGatewayRequests + b.apiGatewayRequests,
    lambda,
    dynamodbRru: a.dynamodbRru + b.dynamodbRru,
    dynamodbWru: a.dynamodbWru + b.dynamodbWru,
    sqsRequests: a.sqsRequests + b.sqsRequests,
  };
};

export interface Bill {
  readonly api_gateway: number;
  readonly lambda_requests: number;
  readonly lambda_duration: number;
  readonly dynamodb_writes: number;
  readonly dynamodb_reads: number;
  readonly sqs: number;
  readonly total: number;
}

/** The tenant API's front door (infra's `api_gateway`): HTTP API by default, or REST. */
export type FrontDoor = 'http' | 'rest';

/** Dollars for a usage, line by line, with API Gateway requests at the front door's price. */
export const price = (u: Usage, p: PriceTable, frontDoor: FrontDoor = 'http'): Bill => {
  const fns = Object.values(u.lambda);
  const perRequest =
    frontDoor === 'http' ? p.api_gateway.http_per_million_requests : p.api_gateway.rest_per_million_requests;
  const lines = {
    api_gateway: (u.apiGatewayRequests / 1e6) * perRequest,
    lambda_requests: (fns.reduce((t, l) => t + l.invocations, 0) / 1e6) * p.lambda.per_million_requests,
    lambda_duration: fns.reduce((t, l) => t + l.gbSeconds, 0) * p.lambda.arm64_per_gb_second,
    dynamodb_writes: (u.dynamodbWru / 1e6) * p.dynamodb.on_demand_per_million_wru,
    dynamodb_reads: (u.dynamodbRru / 1e6) * p.dynamodb.on_demand_per_million_rru,
    sqs: (u.sqsRequests / 1e6) * p.sqs.standard_per_million_requests,
  };
  return { ...lines, total: Object.values(lines).reduce((a, b) => a + b, 0) };
};

/** SQS bills every 64 KB of a request's payload as one request. */
export const sqsBilledRequests = (payloadBytes: number, chunkBytes = 65_536): number =>
  Math.max(1, Math.ceil(payloadBytes / chunkBytes));
