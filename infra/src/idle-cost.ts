import { SWEEP_INDEX_SHARDS } from '@hookrelay/definitions';

/**
 * What one stage costs a month with no traffic at all, read off its synthesized stacks: the
 * alarms (CloudWatch bills each metric an alarm evaluates, so a metric-math alarm over ten
 * metrics is ten), the dashboard, the scheduled sweeper counted in full (every index query
 * over all its shards, the lanes' lag and depths, its mark, its Lambda records and traces, the
 * table key DynamoDB asks KMS for), the event source mappings' long polls on empty queues (a
 * FIFO queue's at the FIFO price), web ACLs and customer managed keys. Everything else is paid
 * per request or per byte stored and is zero when idle (tables on demand, parameters standard).
 */
export interface IdlePrices {
  readonly cloudwatch: { readonly alarm_metric_per_month: number; readonly dashboard_per_month: number };
  readonly cloudwatch_logs: { readonly ingest_per_gb: number; readonly storage_per_gb_month: number };
  readonly lambda: { readonly arm64_per_gb_second: number; readonly per_million_requests: number };
  readonly dynamodb: {
    readonly on_demand_per_million_rru: number;
    readonly on_demand_per_million_wru: number;
  };
  readonly sqs: {
    readonly standard_per_million_requests: number;
    readonly fifo_per_million_requests: number;
  };
  readonly xray: { readonly per_million_traces_recorded: number };
  readonly kms: { readonly per_million_requests: number; readonly key_per_month: number };
  readonly waf: { readonly web_acl_per_month: number; readonly rule_per_month: number };
}

/** One sweep with nothing overdue (services/sweeper/src/sweep.ts): what it reads and writes. */
export interface SweepCost {
  /** One `Query` per sweep-index shard, each at DynamoDB's minimum of 0.5 units. */
  readonly readUnits: number;
  /** Its mark (`markSwept`), one small `PutItem`. */
  readonly writeUnits: number;
  /**
   * `GetQueueAttributes` per delivery lane whose wait it reckons with: the main lane, and the
   * slow lane where the stage runs it.
   */
  readonly sqsRequestsPerLane: number;
  readonly durationMs: number;
}

/** The shards' queries (0.5 each) and the lanes' lag (one strongly consistent `Query`: 1 unit). */
export const IDLE_SWEEP: SweepCost = {
  readUnits: SWEEP_INDEX_SHARDS * 0.5 + 1,
  writeUnits: 1,
  sqsRequestsPerLane: 1,
  durationMs: 50,
};

/**
 * Lambda polls an SQS event source with five long polls at first and keeps them while the
 * queue is empty; a long poll waits up to 20 s (the delivery queue's receive wait time).
 */
export const IDLE_POLLERS = 5;
const LONG_POLL_SECONDS = 20;
const MONTH_SECONDS = 30 * 24 * 3600;
/** START and REPORT, as Lambda writes them (JSON log format) for an untraced invocation. */
export const PLATFORM_RECORD_BYTES = 450;
/** DynamoDB keeps a table's key from KMS for 5 minutes: at most 12 requests an hour per table. */
const TABLE_KEY_REQUESTS_PER_MONTH = 12 * 24 * 30;

export interface IdleCost {
  readonly alarmMetrics: number;
  readonly dashboards: number;
  readonly sweepsPerMonth: number;
  /** The delivery lanes (standard queues the worker consumes), whose depth each sweep reads. */
  readonly deliveryLanes: number;
  readonly pollRequestsPerMonth: number;
  /** Of those, the polls on FIFO queues, which SQS bills at its FIFO price. */
  readonly fifoPollRequestsPerMonth: number;
  readonly webAcls: number;
  readonly webAclRules: number;
  readonly kmsKeys: number;
  readonly usd: {
    readonly alarms: number;
    readonly dashboard: number;
    /** Invocations, duration, its reads, write and queue-depth requests. */
    readonly sweeper: number;
    /** The sweeper's Lambda records (where the system log level is INFO) and traces. */
    readonly sweeperLogsAndTraces: number;
    /** The data table's key, which DynamoDB asks KMS for as the sweeper reads it. */
    readonly kmsRequests: number;
    readonly polls: number;
    readonly webAcls: number;
    readonly kmsKeys: number;
    readonly total: number;
  };
}

type Resources = Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;

const rateMinutes = (expression: unknown): number => {
  const match = /^rate\((\d+) minutes?\)$/.exec(String(expression));
  if (!match) throw new Error(`Cannot price the schedule ${String(expression)}.`);
  return Number(match[1]);
};

const cents = (usd: number): number => Math.round(usd * 100) / 100;

const sweeperLogsAndTraces = (
  sweeper: Record<string, unknown> | undefined,
  sweepsPerMonth: number,
  prices: IdlePrices,
): number => {
  const logging = sweeper?.logging_config as { system_log_level?: string } | undefined;
  const tracing = sweeper?.tracing_config as { mode?: string } | undefined;
  const logGb = logging?.system_log_level === 'INFO' ? (sweepsPerMonth * PLATFORM_RECORD_BYTES) / 2 ** 30 : 0;
  // A run a minute is always the first request of its second: active tracing records every one.
  const traces = tracing?.mode === 'Active' ? sweepsPerMonth : 0;
  return (
    logGb * prices.cloudwatch_logs.ingest_per_gb +
    logGb * prices.cloudwatch_logs.storage_per_gb_month +
    (traces * prices.xray.per_million_traces_recorded) / 1e6
  );
};

/**
 * @example
 * const read = (s: string) => JSON.parse(readFileSync(`infra/cdktf.out/stacks/hookrelay-${s}-prod/cdk.tf.json`, 'utf8')).resource;
 * idleCost({ ...read('stateful'), ...read('stateless') }, prices).usd.total
 */
export const idleCost = (
  resource: Resources,
  prices: IdlePrices,
  sweep: SweepCost = IDLE_SWEEP,
): IdleCost => {
  const alarms = Object.values(resource.aws_cloudwatch_metric_alarm ?? {});
  const alarmMetrics = alarms.reduce((sum, alarm) => {
    const queries = alarm.metric_query as readonly { metric?: unknown }[] | undefined;
    return sum + (queries ? queries.filter((q) => q.metric).length : 1);
  }, 0);
  const dashboards = Object.keys(resource.aws_cloudwatch_dashboard ?? {}).length;

  const functions = Object.values(resource.aws_lambda_function ?? {});
  const sweeper = functions.find((f) => /-sweeper-/.test(String(f.function_name)));
  const schedules = Object.values(resource.aws_cloudwatch_event_rule ?? {});
  const sweepsPerMonth = schedules.reduce(
    (sum, rule) => sum + (30 * 24 * 60) / rateMinutes(rule.schedule_expression),
    0,
  );
  const mappings = Object.values(resource.aws_lambda_event_source_mapping ?? {});
  const fifoMappings = mappings.filter((m) => String(m.event_source_arn).endsWith('.fifo')).length;
  // The standard queues with a mapping are the delivery lanes (the ordered line and the inbound
  // queue are FIFO).
  const deliveryLanes = mappings.length - fifoMappings;
  const memoryGb = Number(sweeper?.memory_size ?? 0) / 1024;
  const sweeperUsd =
    sweepsPerMonth *
    (prices.lambda.per_million_requests / 1e6 +
      (sweep.durationMs / 1000) * memoryGb * prices.lambda.arm64_per_gb_second +
      (sweep.readUnits * prices.dynamodb.on_demand_per_million_rru) / 1e6 +
      (sweep.writeUnits * prices.dynamodb.on_demand_per_million_wru) / 1e6 +
      (deliveryLanes * sweep.sqsRequestsPerLane * prices.sqs.standard_per_million_requests) / 1e6);

  const pollsPerMapping = IDLE_POLLERS * (MONTH_SECONDS / LONG_POLL_SECONDS);
  const pollRequestsPerMonth = mappings.length * pollsPerMapping;
  const fifoPollRequestsPerMonth = fifoMappings * pollsPerMapping;

  const webAclList = Object.values(resource.aws_wafv2_web_acl ?? {});
  const webAclRules = webAclList.reduce(
    (sum, acl) => sum + ((acl.rule as readonly unknown[] | undefined) ?? []).length,
    0,
  );
  const kmsKeys = Object.keys(resource.aws_kms_key ?? {}).length;

  const usd = {
    alarms: alarmMetrics * prices.cloudwatch.alarm_metric_per_month,
    dashboard: dashboards * prices.cloudwatch.dashboard_per_month,
    sweeper: sweeperUsd,
    sweeperLogsAndTraces: sweeperLogsAndTraces(sweeper, sweepsPerMonth, prices),
    kmsRequests:
      (Math.min(sweepsPerMonth, TABLE_KEY_REQUESTS_PER_MONTH) * prices.kms.per_million_requests) / 1e6,
    polls:
      ((pollRequestsPerMonth - fifoPollRequestsPerMonth) * prices.sqs.standard_per_million_requests +
        fifoPollRequestsPerMonth * prices.sqs.fifo_per_million_requests) /
      1e6,
    webAcls: webAclList.length * prices.waf.web_acl_per_month + webAclRules * prices.waf.rule_per_month,
    kmsKeys: kmsKeys * prices.kms.key_per_month,
  };
  return {
    alarmMetrics,
    dashboards,
    sweepsPerMonth,
    deliveryLanes,
    pollRequestsPerMonth,
    fifoPollRequestsPerMonth,
    webAcls: webAclList.length,
    webAclRules,
    kmsKeys,
    usd: {
      ...(Object.fromEntries(Object.entries(usd).map(([k, v]) => [k, cents(v)])) as Omit<
        IdleCost['usd'],
        'total'
      >),
      total: cents(Object.values(usd).reduce((a, b) => a + b, 0)),
    },
  };
};
