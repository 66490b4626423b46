import type { CloudwatchMetricAlarmMetricQuery } from '@cdktn/provider-aws/lib/cloudwatch-metric-alarm';
import type { ApiMetrics } from './api-metrics.js';
import { type AlarmSettings, type Sustained, serverErrorRateAlarm } from './server-error-rate.js';
import type { StageSettings } from './stage.js';

/** What the inbound path's alarms watch, by name (the stateless stack knows them from the definitions). */
export interface InboundWatch {
  readonly ingestFunctionName: string;
  readonly processorFunctionName: string;
  readonly dlqProcessorFunctionName: string;
  /** The FIFO queue and its DLQ. */
  readonly queueName: string;
  readonly deadLetterQueueName: string;
  /** The ingest stage's metrics (a REST or an HTTP API). */
  readonly ingestApi: ApiMetrics;
  readonly busName: string;
  /** The provider rules on the bus, and where their targets dead-letter. */
  readonly ruleNames: readonly string[];
  readonly eventsDeadLetterQueueName: string;
  /** Each provider's events queue, by provider. */
  readonly providerQueueNames: Readonly<Record<string, string>>;
}

export type { AlarmSettings };

type Add = (alarmId: string, config: AlarmSettings) => unknown;
type LambdaAlarm = (
  alarmId: string,
  functionName: string,
  metric: 'Errors' | 'Throttles',
  what: string,
) => unknown;

/** A message on a provider's events queue older than this means nobody is reading it. */
const PROVIDER_QUEUE_OLDEST_SECONDS = 86_400;

/** The ingest and processing functions failing or throttled, and the DLQ processor failing. */
const functionAlarms = (add: Add, lambdaAlarm: LambdaAlarm, watch: InboundWatch): void => {
  lambdaAlarm(
    'ingest-errors',
    watch.ingestFunctionName,
    'Errors',
    'The ingest function failed (crashed or timed out) in 3 of the last 5 minutes: providers got a gateway 5xx and retry.',
  );
  lambdaAlarm(
    'ingest-throttles',
    watch.ingestFunctionName,
    'Throttles',
    'The ingest function hit its reserved concurrency in 3 of the last 5 minutes: providers got 5xx and retry.',
  );
  lambdaAlarm(
    'inbound-processor-errors',
    watch.processorFunctionName,
    'Errors',
    'The inbound processor failed in 3 of the last 5 minutes: its sources’ requests wait, and after 3 receives go to the inbound DLQ.',
  );
  lambdaAlarm(
    'inbound-processor-throttles',
    watch.processorFunctionName,
    'Throttles',
    'The inbound processor hit its reserved concurrency in 3 of the last 5 minutes: requests wait in the FIFO queue.',
  );
  // Run by hand, so one failed minute is already a failed requeue.
  add('dlq-processor-errors', {
    alarmDescription:
      'The DLQ processor failed: a requeue stopped part way (what it did not move is still in the DLQ).',
    namespace: 'AWS/Lambda',
    metricName: 'Errors',
    dimensions: { FunctionName: watch.dlqProcessorFunctionName },
    statistic: 'Sum',
    period: 60,
    evaluationPeriods: 1,
    threshold: 0,
    comparisonOperator: 'GreaterThanThreshold',
    treatMissingData: 'notBreaching',
  });
};

/** The FIFO queue falling behind, messages in either DLQ, and provider queues nobody drains. */
const queueAlarms = (add: Add, settings: StageSettings, watch: InboundWatch): void => {
  const queueAlarm = (
    alarmId: string,
    description: string,
    queueName: string,
    metricName: string,
    threshold: number,
    comparisonOperator: string,
    period = 60,
  ) =>
    add(alarmId, {
      alarmDescription: description,
      namespace: 'AWS/SQS',
      metricName,
      dimensions: { QueueName: queueName },
      statistic: 'Maximum',
      period,
      evaluationPeriods: 1,
      threshold,
      comparisonOperator,
      // SQS stops reporting an idle queue: no data is an empty queue.
      treatMissingData: 'notBreaching',
    });
  add('inbound-oldest-message', {
    alarmDescription: `The oldest request in ${watch.queueName} is older than ${settings.alarms.inboundOldestMessageSeconds} s in 2 of the last 3 five-minute periods: the processor is not keeping up, or a source is stuck on a failing request.`,
    namespace: 'AWS/SQS',
    metricName: 'ApproximateAgeOfOldestMessage',
    dimensions: { QueueName: watch.queueName },
    statistic: 'Maximum',
    period: 300,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    threshold: settings.alarms.inboundOldestMessageSeconds,
    comparisonOperator: 'GreaterThanThreshold',
    treatMissingData: 'notBreaching',
  });
  queueAlarm(
    'inbound-dlq-not-empty',
    `Inbound requests failed routing three times and wait in ${watch.deadLetterQueueName}: make dlq-peek QUEUE=inbound, fix the cause, make dlq-requeue QUEUE=inbound.`,
    watch.deadLetterQueueName,
    'ApproximateNumberOfMessagesVisible',
    0,
    'GreaterThanThreshold',
  );
  queueAlarm(
    'inbound-events-dlq-not-empty',
    `EventBridge could not deliver inbound events to a provider queue for a day and dead-lettered them to ${watch.eventsDeadLetterQueueName}: check the queue and its policy.`,
    watch.eventsDeadLetterQueueName,
    'ApproximateNumberOfMessagesVisible',
    0,
    'GreaterThanThreshold',
  );
  for (const [provider, queueName] of Object.entries(watch.providerQueueNames)) {
    queueAlarm(
      `inbound-${provider}-events-oldest`,
      `A ${provider} event has waited a day in ${queueName}: nothing is reading it (SQS drops it at 4 days). See docs/inbound.md, Consume it.`,
      queueName,
      'ApproximateAgeOfOldestMessage',
      PROVIDER_QUEUE_OLDEST_SECONDS,
      'GreaterThanOrEqualToThreshold',
      300,
    );
  }
};

/** The bus rules failing to deliver, or dead-lettering: one alarm per metric over every rule. */
const ruleAlarms = (add: Add, watch: InboundWatch): void => {
  // A custom bus reports per EventBusName and RuleName.
  const rulesAlarm = (alarmId: string, metricName: string, description: string) => {
    const queries: CloudwatchMetricAlarmMetricQuery[] = watch.ruleNames.map((ruleName, i) => ({
      id: `r${i}`,
      metric: {
        namespace: 'AWS/Events',
        metricName,
        dimensions: { EventBusName: watch.busName, RuleName: ruleName },
        period: 60,
        stat: 'Sum',
      },
      returnData: false,
    }));
    add(alarmId, {
      alarmDescription: description,
      metricQuery: [
        ...queries,
        {
          id: 'total',
          label: metricName,
          expression: `SUM([${queries.map((q) => q.id).join(', ')}])`,
          returnData: true,
        },
      ],
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    });
  };
  rulesAlarm(
    'inbound-rules-failed',
    'FailedInvocations',
    `A rule on ${watch.busName} failed for good to deliver to its provider queue (the metric names the rule).`,
  );
  rulesAlarm(
    'inbound-rules-dead-lettered',
    'InvocationsSentToDlq',
    `A rule on ${watch.busName} gave up after a day of retries and dead-lettered an event to ${watch.eventsDeadLetterQueueName}.`,
  );
};

/**
 * The inbound path's alarms (docs/operations.md explains each): its two functions, the FIFO
 * queue falling behind, its DLQ, the ingest stage's 5xx, the bus rules failing or dead-lettering,
 * their DLQ, the provider queues nobody drains, and the DLQ processor failing.
 */
export const addInboundAlarms = (
  add: Add,
  lambdaAlarm: LambdaAlarm,
  settings: StageSettings,
  watch: InboundWatch,
  sustained: Sustained,
): void => {
  functionAlarms(add, lambdaAlarm, watch);
  queueAlarms(add, settings, watch);
  add(
    'ingest-5xx-rate',
    serverErrorRateAlarm(watch.ingestApi, sustained, {
      description: `More than ${settings.alarms.ingest5xxPercent} % of requests to the ingest URL answered 5xx in 3 of the last 5 minutes: providers retry, but a dependency (S3, DynamoDB, SQS) or the function is failing.`,
      label: 'Ingest 5xx (%)',
      percent: settings.alarms.ingest5xxPercent,
    }),
  );
  ruleAlarms(add, watch);
};
