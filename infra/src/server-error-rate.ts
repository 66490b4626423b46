import type { CloudwatchMetricAlarmConfig } from '@cdktn/provider-aws/lib/cloudwatch-metric-alarm';
import type { ApiMetrics } from './api-metrics.js';

/** An alarm's settings; the stage's alarms construct adds its name and where it notifies. */
export type AlarmSettings = Omit<CloudwatchMetricAlarmConfig, 'alarmName' | 'alarmActions' | 'okActions'>;

/** How many of the last periods must breach before an alarm fires (`SUSTAINED` in alarms.ts). */
export interface Sustained {
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

/** What a server-error rate alarm says and when it fires. */
export interface ServerErrorRate {
  readonly description: string;
  /** The metric math's label on the chart: `API 5xx (%)`. */
  readonly label: string;
  /** The share of requests, in percent, above which it fires. */
  readonly percent: number;
}

/**
 * The alarm on the share of an API stage's requests answered 5xx: errors over requests, as
 * metric math over the stage's own metrics (a REST or an HTTP API, whose names differ), with no
 * data counted as fine.
 *
 * @example
 * add('api-5xx-rate', serverErrorRateAlarm(api.metrics, SUSTAINED, { description, label: 'API 5xx (%)', percent: 1 }))
 */
export const serverErrorRateAlarm = (
  api: ApiMetrics,
  sustained: Sustained,
  rate: ServerErrorRate,
): AlarmSettings => {
  const metric = (metricName: string) => ({
    namespace: api.namespace,
    metricName,
    dimensions: { ...api.dimensions },
    period: sustained.periodSeconds,
    stat: 'Sum',
  });
  return {
    alarmDescription: rate.description,
    metricQuery: [
      { id: 'errors', metric: metric(api.serverErrors), returnData: false },
      { id: 'requests', metric: metric(api.count), returnData: false },
      {
        id: 'rate',
        label: rate.label,
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        returnData: true,
      },
    ],
    evaluationPeriods: sustained.evaluationPeriods,
    datapointsToAlarm: sustained.datapointsToAlarm,
    threshold: rate.percent,
    comparisonOperator: 'GreaterThanThreshold',
    treatMissingData: 'notBreaching',
  };
};
