import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmMetricQuery,
} from '@cdktn/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktn/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktn/provider-aws/lib/sns-topic-subscription';
import { ORDERED_MAX_RECEIVE_COUNT, resourceName } from '@hookrelay/definitions';
import { Fn, Op, type TerraformVariable, Token } from 'cdktn';
import { Construct } from 'constructs';
import type { ApiMetrics } from './api-metrics.js';
import { type AlarmSettings, addInboundAlarms, type InboundWatch } from './inbound-alarms.js';
import { serverErrorRateAlarm } from './server-error-rate.js';
import type { StageSettings } from './stage.js';

/** The namespace and dimension the worker's EMF metrics carry (Powertools Metrics, service "worker"). */
export const DELIVERY_METRICS = {
  namespace: 'Hookrelay',
  dimensions: { service: 'worker' },
  success: 'WebhookDeliverySuccess',
  failure: 'WebhookDeliveryFailure',
} as const;

/**
 * How many of the last periods must breach before an alarm fires: a single blip (one failed
 * invocation during a deploy, one throttled minute) does not page anyone; a problem that
 * lasts does, within minutes.
 */
export const SUSTAINED = { periodSeconds: 60, evaluationPeriods: 5, datapointsToAlarm: 3 } as const;

/** Most metrics one alarm's metric math may combine (CloudWatch's limit). */
const MAX_ALARM_METRICS = 20;

/** An ordered line whose oldest message is older than this is stuck (docs/delivery.md). */
const ORDERED_LINE_STUCK_SECONDS = 2 * 86_400;

/**
 * The ordered line's in-flight messages that alarm: half of the 20,000 at which a FIFO queue
 * stops handing out messages (docs/delivery.md, what AWS guarantees).
 */
export const ORDERED_IN_FLIGHT_ALARM = 10_000;

export interface PlatformAlarmsProps {
  readonly stage: string;
  readonly settings: StageSettings;
  /** Whether the alarms exist (`monitoring: full`); the topic and its subscriber always do. */
  readonly alarms: boolean;
  /** Where alarm notifications go; empty (the default) creates the topic with no subscriber. */
  readonly email: TerraformVariable;
  readonly deliveryQueueName: string;
  /** The slow lane's queue, where the stage runs two delivery lanes. */
  readonly slowQueueName?: string;
  /** The ordered line (FIFO) and the DLQ its poison messages go to. */
  readonly orderedQueueName: string;
  readonly orderedDeadLetterQueueName: string;
  readonly deadLetterQueueName: string;
  /** Functions whose errors and throttles page someone: the request path and the delivery path. */
  readonly watchedFunctions: Readonly<Record<'api' | 'authorizer' | 'worker', string>>;
  readonly sweeperFunctionName: string;
  readonly tableNames: readonly string[];
  /** The tenant API's stage metrics (REST or HTTP API: their names and dimensions differ). */
  readonly api: ApiMetrics;
  /** The inbound path: its functions, queues, the ingest stage and the bus rules. */
  readonly inbound: InboundWatch;
}

/**
 * The alarms on-call acts on (docs/operations.md explains each) and the SNS topic they notify,
 * both when they fire and when they clear.
 */
export class PlatformAlarms extends Construct {
  readonly topic: SnsTopic;
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: PlatformAlarmsProps) {
    super(scope, id);
    const { settings } = props;
    const name = (alarm: string) => resourceName(alarm, props.stage);

    // Not encrypted with the AWS managed SNS key: CloudWatch cannot publish to a topic under
    // that key, and alarm notifications carry no tenant data.
    this.topic = new SnsTopic(this, 'topic', { name: name('alarms') });
    new SnsTopicSubscription(this, 'email', {
      count: Token.asNumber(Fn.conditional(Op.eq(props.email.stringValue, ''), 0, 1)),
      topicArn: this.topic.arn,
      protocol: 'email',
      endpoint: props.email.stringValue,
    });

    if (!props.alarms) return;

    const add = (alarmId: string, config: AlarmSettings) => {
      const alarm = new CloudwatchMetricAlarm(this, alarmId, {
        alarmName: name(alarmId),
        alarmActions: [this.topic.arn],
        okActions: [this.topic.arn],
        ...config,
      });
      this.alarms.push(alarm);
      return alarm;
    };
    const sustained = {
      period: SUSTAINED.periodSeconds,
      evaluationPeriods: SUSTAINED.evaluationPeriods,
      datapointsToAlarm: SUSTAINED.datapointsToAlarm,
    };

    // One dead letter is already a delivery that gave up (or a message that could not be
    // processed): no M-of-N here. SQS stops reporting an idle queue: no data is an empty queue.
    const notEmpty = (alarmId: string, queueName: string, alarmDescription: string) =>
      add(alarmId, {
        alarmDescription,
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: queueName },
        statistic: 'Maximum',
        period: 60,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
      });
    notEmpty(
      'dlq-not-empty',
      props.deadLetterQueueName,
      `Deliveries gave up and wait in ${props.deadLetterQueueName}: peek, fix the cause, requeue (make dlq-peek / dlq-requeue).`,
    );

    add('dlq-oldest-message', {
      alarmDescription: `A message in ${props.deadLetterQueueName} is older than ${settings.alarms.dlqOldestMessageSeconds / 86_400} days; SQS deletes dead letters at 14 days. Requeue or export it now.`,
      namespace: 'AWS/SQS',
      metricName: 'ApproximateAgeOfOldestMessage',
      dimensions: { QueueName: props.deadLetterQueueName },
      statistic: 'Maximum',
      period: 3600,
      evaluationPeriods: 1,
      threshold: settings.alarms.dlqOldestMessageSeconds,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    });

    notEmpty(
      'ordered-dlq-not-empty',
      props.orderedDeadLetterQueueName,
      `A message of the ordered line could not be processed ${ORDERED_MAX_RECEIVE_COUNT} times and waits in ${props.orderedDeadLetterQueueName} (its key's line went on without it): read the worker's errors, fix the cause, then requeue it into its line (make dlq-requeue QUEUE=ordered).`,
    );

    // Every key waiting for a retry or a pause keeps its head in flight; past SQS's 20,000
    // in-flight messages a FIFO queue answers receives empty and every key of the line waits.
    add('ordered-line-in-flight', {
      alarmDescription: `More than ${ORDERED_IN_FLIGHT_ALARM} messages of ${props.orderedQueueName} are in flight (held keys); at 20,000 SQS hands out no more and every ordered key waits. Find the webhooks whose keys wait in the worker's ordered attempt logs.`,
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesNotVisible',
      dimensions: { QueueName: props.orderedQueueName },
      statistic: 'Maximum',
      ...sustained,
      threshold: ORDERED_IN_FLIGHT_ALARM,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    });

    // One per lane: the main lane falling behind hurts every tenant; the slow lane falling
    // behind means quarantined endpoints wait longer than their retries would (docs/operations.md).
    const laneAge = (alarmId: string, queueName: string, threshold: number, what: string) =>
      add(alarmId, {
        alarmDescription: `The oldest message in ${queueName} is older than ${threshold} s: ${what}`,
        namespace: 'AWS/SQS',
        metricName: 'ApproximateAgeOfOldestMessage',
        dimensions: { QueueName: queueName },
        statistic: 'Maximum',
        period: 300,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        threshold,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
      });
    laneAge(
      'oldest-delivery-message',
      props.deliveryQueueName,
      settings.alarms.oldestMessageSeconds,
      'the worker is not keeping up with healthy endpoints, or not polling.',
    );
    if (props.slowQueueName) {
      laneAge(
        'oldest-slow-lane-message',
        props.slowQueueName,
        settings.alarms.slowLaneOldestMessageSeconds,
        'quarantined endpoints take more than the slow lane can hold; see which ones in the worker logs.',
      );
    }

    // A key's line legitimately waits through its head's retry schedule (about 28 hours by
    // default); a message older than twice that is a line that is stuck, or a key paused and
    // never resumed, and SQS deletes it at 14 days.
    laneAge(
      'oldest-ordered-message',
      props.orderedQueueName,
      ORDERED_LINE_STUCK_SECONDS,
      'an ordered key has waited longer than its retry schedule allows; see the worker logs for its webhook.',
    );

    const lambdaAlarm = (
      alarmId: string,
      functionName: string,
      metric: 'Errors' | 'Throttles',
      what: string,
    ) =>
      add(alarmId, {
        alarmDescription: what,
        namespace: 'AWS/Lambda',
        metricName: metric,
        dimensions: { FunctionName: functionName },
        statistic: 'Sum',
        ...sustained,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
        // An idle function reports nothing: no data is no errors.
        treatMissingData: 'notBreaching',
      });
    const watched = props.watchedFunctions;
    lambdaAlarm(
      'worker-errors',
      watched.worker,
      'Errors',
      'The worker failed in 3 of the last 5 minutes (not a failed delivery: DynamoDB or SQS unavailable, a bug, a timeout). Its batches come back after the visibility timeout.',
    );
    lambdaAlarm(
      'worker-throttles',
      watched.worker,
      'Throttles',
      'The worker hit its reserved concurrency in 3 of the last 5 minutes; deliveries wait in the queue.',
    );
    lambdaAlarm(
      'api-errors',
      watched.api,
      'Errors',
      'The api function failed (crashed or timed out, not a 4xx or 5xx it answered) in 3 of the last 5 minutes; clients got a gateway 5xx.',
    );
    lambdaAlarm(
      'api-throttles',
      watched.api,
      'Throttles',
      'The api function hit its reserved concurrency in 3 of the last 5 minutes; clients got 5xx.',
    );
    lambdaAlarm(
      'authorizer-errors',
      watched.authorizer,
      'Errors',
      'The authorizer failed in 3 of the last 5 minutes: authenticated requests are answered 503.',
    );
    lambdaAlarm(
      'authorizer-throttles',
      watched.authorizer,
      'Throttles',
      'The authorizer hit its reserved concurrency in 3 of the last 5 minutes: new keys are answered 503.',
    );
    // The sweeper is what keeps an accepted event from being stuck when its message was lost.
    lambdaAlarm(
      'sweeper-errors',
      props.sweeperFunctionName,
      'Errors',
      'The sweeper failed in 3 of the last 5 runs: overdue deliveries are not being re-enqueued.',
    );
    add('sweeper-heartbeat', {
      alarmDescription:
        'The sweeper has not run for 10 minutes (schedule disabled or deleted, function throttled): overdue deliveries are not being re-enqueued.',
      namespace: 'AWS/Lambda',
      metricName: 'Invocations',
      dimensions: { FunctionName: props.sweeperFunctionName },
      statistic: 'Sum',
      // Five minutes, or two of the stage's intervals where it sweeps less often.
      period: Math.max(300, 2 * 60 * settings.sweepIntervalMinutes),
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      // It runs every minute, so silence is the failure this alarm exists for.
      treatMissingData: 'breaching',
    });

    addInboundAlarms(add, lambdaAlarm, settings, props.inbound, SUSTAINED);

    const apiDimensions = { ...props.api.dimensions };
    add(
      'api-5xx-rate',
      serverErrorRateAlarm(props.api, SUSTAINED, {
        description: `More than ${settings.alarms.api5xxPercent} % of API requests answered 5xx in 3 of the last 5 minutes.`,
        label: 'API 5xx (%)',
        percent: settings.alarms.api5xxPercent,
      }),
    );
    add('api-latency-p99', {
      alarmDescription: `The API's p99 latency was above ${settings.alarms.apiLatencyP99Ms} ms in 2 of the last 3 five-minute periods: a slow dependency (DynamoDB, SQS) or cold starts.`,
      namespace: props.api.namespace,
      metricName: props.api.latency,
      dimensions: apiDimensions,
      extendedStatistic: 'p99',
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      threshold: settings.alarms.apiLatencyP99Ms,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    });

    if (2 * props.tableNames.length + 1 > MAX_ALARM_METRICS) {
      throw new Error(`The DynamoDB throttle alarm can watch at most ${(MAX_ALARM_METRICS - 1) / 2} tables.`);
    }
    const tableQueries: CloudwatchMetricAlarmMetricQuery[] = props.tableNames.flatMap((table, i) =>
      (['ReadThrottleEvents', 'WriteThrottleEvents'] as const).map((metricName) => ({
        id: `${metricName === 'ReadThrottleEvents' ? 'r' : 'w'}${i}`,
        metric: {
          namespace: 'AWS/DynamoDB',
          metricName,
          dimensions: { TableName: table },
          period: SUSTAINED.periodSeconds,
          stat: 'Sum',
        },
        returnData: false,
      })),
    );
    add('dynamodb-throttles', {
      alarmDescription: `DynamoDB throttled requests to the stage's tables (${props.tableNames.join(', ')}) in 3 of the last 5 minutes: a hot partition or a table's on-demand ceiling.`,
      metricQuery: [
        ...tableQueries,
        {
          id: 'throttles',
          label: 'DynamoDB throttle events',
          expression: `SUM([${tableQueries.map((q) => q.id).join(', ')}])`,
          returnData: true,
        },
      ],
      evaluationPeriods: SUSTAINED.evaluationPeriods,
      datapointsToAlarm: SUSTAINED.datapointsToAlarm,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    });

    const deliveryMetric = (metricName: string) => ({
      namespace: DELIVERY_METRICS.namespace,
      metricName,
      dimensions: { ...DELIVERY_METRICS.dimensions },
      period: 900,
      stat: 'Sum',
    });
    add('delivery-failure-rate', {
      alarmDescription: `More than ${settings.alarms.deliveryFailurePercent} % of deliveries ran out of retries over 15 minutes: one tenant's endpoint, or egress for all?`,
      metricQuery: [
        { id: 'failure', metric: deliveryMetric(DELIVERY_METRICS.failure), returnData: false },
        { id: 'success', metric: deliveryMetric(DELIVERY_METRICS.success), returnData: false },
        {
          id: 'rate',
          label: 'Delivery failure (%)',
          expression: 'IF(success + failure > 0, 100 * failure / (success + failure), 0)',
          returnData: true,
        },
      ],
      // Already a rate over a quarter of an hour, not a blip.
      evaluationPeriods: 1,
      threshold: settings.alarms.deliveryFailurePercent,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    });
  }
}
