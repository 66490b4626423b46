/**
 * What one stage costs a month with no traffic at all, read off its synthesized stateless
 * stack: the alarms (CloudWatch bills each metric an alarm evaluates, so a metric-math alarm
 * over ten metrics is ten), the dashboard, the scheduled sweeper, and the event source
 * mappings' long polls on empty queues (a FIFO queue's at the FIFO price). Everything else is
 * paid per request and is zero when idle (tables are on demand, parameters standard, keys AWS
 * managed).
 */
export interface IdlePrices {
  readonly cloudwatch: { readonly alarm_metric_per_month: number; readonly dashboard_per_month: number };
  readonly lambda: { readonly arm64_per_gb_second: number; readonly per_million_requests: number };
  readonly dynamodb: { readonly on_demand_per_million_rru: number };
  readonly sqs: {
    readonly standard_per_million_requests: number;
    readonly fifo_per_million_requests: number;
  };
}

/** One sweep with nothing overdue: its index queries and how long it runs. */
export interface SweepCost {
  readonly readUnits: number;
  readonly durationMs: number;
}

/** Four sweep-index shards, one `Query` each, at DynamoDB's minimum of 0.5 units; ~50 ms. */
export const IDLE_SWEEP: SweepCost = { readUnits: 2, durationMs: 50 };

/**
 * Lambda polls an SQS event source with five long polls at first and keeps them while the
 * queue is empty; a long poll waits up to 20 s (the delivery queue's receive wait time).
 */
export const IDLE_POLLERS = 5;
const LONG_POLL_SECONDS = 20;
const MONTH_SECONDS = 30 * 24 * 3600;

export interface IdleCost {
  readonly alarmMetrics: number;
  readonly dashboards: number;
  readonly sweepsPerMonth: number;
  readonly pollRequestsPerMonth: number;
  /** Of those, the polls on FIFO queues, which SQS bills at its FIFO price. */
  readonly fifoPollRequestsPerMonth: number;
  readonly usd: {
    readonly alarms: number;
    readonly dashboard: number;
    readonly sweeper: number;
    readonly polls: number;
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

/**
 * @example
 * idleCost(JSON.parse(readFileSync('infra/cdktf.out/stacks/hookrelay-stateless-prod/cdk.tf.json', 'utf8')).resource, prices)
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
  const memoryGb = Number(sweeper?.memory_size ?? 0) / 1024;
  const sweeperUsd =
    sweepsPerMonth *
    (prices.lambda.per_million_requests / 1e6 +
      (sweep.durationMs / 1000) * memoryGb * prices.lambda.arm64_per_gb_second +
      (sweep.readUnits * prices.dynamodb.on_demand_per_million_rru) / 1e6);

  const mappings = Object.values(resource.aws_lambda_event_source_mapping ?? {});
  const fifoMappings = mappings.filter((m) => String(m.event_source_arn).endsWith('.fifo')).length;
  const pollsPerMapping = IDLE_POLLERS * (MONTH_SECONDS / LONG_POLL_SECONDS);
  const pollRequestsPerMonth = mappings.length * pollsPerMapping;
  const fifoPollRequestsPerMonth = fifoMappings * pollsPerMapping;

  const usd = {
    alarms: alarmMetrics * prices.cloudwatch.alarm_metric_per_month,
    dashboard: dashboards * prices.cloudwatch.dashboard_per_month,
    sweeper: sweeperUsd,
    polls:
      ((pollRequestsPerMonth - fifoPollRequestsPerMonth) * prices.sqs.standard_per_million_requests +
        fifoPollRequestsPerMonth * prices.sqs.fifo_per_million_requests) /
      1e6,
  };
  return {
    alarmMetrics,
    dashboards,
    sweepsPerMonth,
    pollRequestsPerMonth,
    fifoPollRequestsPerMonth,
    usd: {
      alarms: cents(usd.alarms),
      dashboard: cents(usd.dashboard),
      sweeper: cents(usd.sweeper),
      polls: cents(usd.polls),
      total: cents(usd.alarms + usd.dashboard + usd.sweeper + usd.polls),
    },
  };
};
