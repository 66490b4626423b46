import { CloudwatchMetricAlarm } from '@cdktn/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktn/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktn/provider-aws/lib/sns-topic-subscription';
import { resourceName } from '@hookrelay/definitions';
import { Fn, Op, type TerraformVariable, Token } from 'cdktn';
import { Construct } from 'constructs';
import type { StageSettings } from './stage.js';
import { SERVICE } from './stage.js';

/** The namespace and dimension the worker's EMF metrics carry (Powertools Metrics, service "worker"). */
export const DELIVERY_METRICS = {
  namespace: 'Hookrelay',
  dimensions: { service: 'worker' },
  success: 'WebhookDeliverySuccess',
  failure: 'WebhookDeliveryFailure',
} as const;

export interface PlatformAlarmsProps {
  readonly stage: string;
  readonly settings: StageSettings;
  /** Where alarm notifications go; empty (the default) creates the topic with no subscriber. */
  readonly email: TerraformVariable;
  readonly deliveryQueueName: string;
  readonly slowQueueName: string;
  readonly deadLetterQueueName: string;
  readonly workerFunctionName: string;
  readonly sweeperFunctionName: string;
  readonly apiName: string;
  readonly apiStageName: string;
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
    const name = (alarm: string) => resourceName(`${SERVICE}-${alarm}`, props.stage);

    // Not encrypted with the AWS managed SNS key: CloudWatch cannot publish to a topic under
    // that key, and alarm notifications carry no tenant data.
    this.topic = new SnsTopic(this, 'topic', { name: name('alarms') });
    new SnsTopicSubscription(this, 'email', {
      count: Token.asNumber(Fn.conditional(Op.eq(props.email.stringValue, ''), 0, 1)),
      topicArn: this.topic.arn,
      protocol: 'email',
      endpoint: props.email.stringValue,
    });

    const notify = {
      alarmActions: [this.topic.arn],
      okActions: [this.topic.arn],
    };
    const add = (alarm: CloudwatchMetricAlarm) => {
      this.alarms.push(alarm);
      return alarm;
    };

    add(
      new CloudwatchMetricAlarm(this, 'dlq-not-empty', {
        ...notify,
        alarmName: name('dlq-not-empty'),
        alarmDescription: `Deliveries gave up and wait in ${props.deadLetterQueueName}: peek, fix the cause, requeue (make dlq-peek / dlq-requeue).`,
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: props.deadLetterQueueName },
        statistic: 'Maximum',
        period: 60,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
        // SQS stops reporting an idle queue: no data is an empty queue.
        treatMissingData: 'notBreaching',
      }),
    );

    // One per lane: the main lane falling behind hurts every tenant; the slow lane falling
    // behind means quarantined endpoints wait longer than their retries would (docs/operations.md).
    const laneAge = (alarmId: string, queueName: string, threshold: number, what: string) =>
      add(
        new CloudwatchMetricAlarm(this, alarmId, {
          ...notify,
          alarmName: name(alarmId),
          alarmDescription: `The oldest message in ${queueName} is older than ${threshold} s: ${what}`,
          namespace: 'AWS/SQS',
          metricName: 'ApproximateAgeOfOldestMessage',
          dimensions: { QueueName: queueName },
          statistic: 'Maximum',
          period: 300,
          evaluationPeriods: 2,
          threshold,
          comparisonOperator: 'GreaterThanThreshold',
          treatMissingData: 'notBreaching',
        }),
      );
    laneAge(
      'oldest-delivery-message',
      props.deliveryQueueName,
      props.settings.alarms.oldestMessageSeconds,
      'the worker is not keeping up with healthy endpoints, or not polling.',
    );
    laneAge(
      'oldest-slow-lane-message',
      props.slowQueueName,
      props.settings.alarms.slowLaneOldestMessageSeconds,
      'quarantined endpoints take more than the slow lane can hold; see which ones in the worker logs.',
    );

    const lambdaAlarm = (
      alarmId: string,
      functionName: string,
      metric: 'Errors' | 'Throttles',
      what: string,
    ) =>
      add(
        new CloudwatchMetricAlarm(this, alarmId, {
          ...notify,
          alarmName: name(alarmId),
          alarmDescription: what,
          namespace: 'AWS/Lambda',
          metricName: metric,
          dimensions: { FunctionName: functionName },
          statistic: 'Sum',
          period: 300,
          evaluationPeriods: 1,
          threshold: 0,
          comparisonOperator: 'GreaterThanThreshold',
          treatMissingData: 'notBreaching',
        }),
      );
    lambdaAlarm(
      'worker-errors',
      props.workerFunctionName,
      'Errors',
      'The worker failed (not a failed delivery: DynamoDB or SQS unavailable, a bug, a timeout). Its batch comes back after the visibility timeout.',
    );
    lambdaAlarm(
      'worker-throttles',
      props.workerFunctionName,
      'Throttles',
      'The worker hit its concurrency limit; deliveries wait in the queue.',
    );
    // The sweeper is what keeps an accepted event from being stuck when its message was lost.
    lambdaAlarm(
      'sweeper-errors',
      props.sweeperFunctionName,
      'Errors',
      'The sweeper failed: overdue deliveries are not being re-enqueued.',
    );

    const apiMetric = (metricName: string) => ({
      namespace: 'AWS/ApiGateway',
      metricName,
      dimensions: { ApiName: props.apiName, Stage: props.apiStageName },
      period: 300,
      stat: 'Sum',
    });
    add(
      new CloudwatchMetricAlarm(this, 'api-5xx-rate', {
        ...notify,
        alarmName: name('api-5xx-rate'),
        alarmDescription: `More than ${props.settings.alarms.api5xxPercent} % of API requests answered 5xx over 10 minutes.`,
        metricQuery: [
          { id: 'errors', metric: apiMetric('5XXError'), returnData: false },
          { id: 'requests', metric: apiMetric('Count'), returnData: false },
          {
            id: 'rate',
            label: 'API 5xx (%)',
            expression: 'IF(requests > 0, 100 * errors / requests, 0)',
            returnData: true,
          },
        ],
        evaluationPeriods: 2,
        threshold: props.settings.alarms.api5xxPercent,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
      }),
    );

    const deliveryMetric = (metricName: string) => ({
      namespace: DELIVERY_METRICS.namespace,
      metricName,
      dimensions: { ...DELIVERY_METRICS.dimensions },
      period: 900,
      stat: 'Sum',
    });
    add(
      new CloudwatchMetricAlarm(this, 'delivery-failure-rate', {
        ...notify,
        alarmName: name('delivery-failure-rate'),
        alarmDescription: `More than ${props.settings.alarms.deliveryFailurePercent} % of deliveries ran out of retries over 15 minutes: one tenant's endpoint, or egress for all?`,
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
        evaluationPeriods: 1,
        threshold: props.settings.alarms.deliveryFailurePercent,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
      }),
    );
  }
}
