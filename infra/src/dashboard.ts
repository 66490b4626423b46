import { CloudwatchDashboard } from '@cdktn/provider-aws/lib/cloudwatch-dashboard';
import { Construct } from 'constructs';
import { DELIVERY_METRICS } from './alarms.js';
import type { ApiMetrics } from './api-metrics.js';
import type { InboundWatch } from './inbound-alarms.js';
import { SERVICE } from './stage.js';

export interface PlatformDashboardProps {
  readonly stage: string;
  readonly region: string;
  /** The tenant API's stage metrics (REST or HTTP API: their names and dimensions differ). */
  readonly api: ApiMetrics;
  readonly deliveryQueueName: string;
  /**
   * The slow lane's queue: deliveries to endpoints quarantined for answering slowly, where the
   * stage runs two delivery lanes.
   */
  readonly slowQueueName?: string;
  readonly deadLetterQueueName: string;
  /** Function names by service, in the order their rows appear. */
  readonly functionNames: Readonly<Record<string, string>>;
  readonly alarmArns: readonly string[];
  /** The inbound path, as its alarms watch it. */
  readonly inbound: InboundWatch;
}

type Metric = readonly (string | Readonly<Record<string, unknown>>)[];

type Row = (
  height: number,
  widgets: readonly { title: string; metrics?: Metric[]; width?: number }[],
) => unknown[];

/** The inbound path: what its alarms watch, a widget each. */
const inboundRows = (
  inbound: InboundWatch,
  row: Row,
  queueMetric: (name: string, queue: string, options?: Record<string, unknown>) => Metric,
) => {
  const ingest = inbound.ingestApi;
  const ingestMetric = (name: string): Metric => [
    ingest.namespace,
    name,
    ...Object.entries(ingest.dimensions).flat(),
    { stat: 'Sum' },
  ];
  const ruleMetric = (name: string): Metric[] =>
    inbound.ruleNames.map((rule) => [
      'AWS/Events',
      name,
      'EventBusName',
      inbound.busName,
      'RuleName',
      rule,
      { stat: 'Sum' },
    ]);
  const inboundFunctions = [
    inbound.ingestFunctionName,
    inbound.processorFunctionName,
    inbound.dlqProcessorFunctionName,
  ];
  return [
    ...row(6, [
      {
        title: 'Ingest requests and errors',
        metrics: [
          ingestMetric(ingest.count),
          ingestMetric(ingest.clientErrors),
          ingestMetric(ingest.serverErrors),
        ],
      },
      {
        title: 'Inbound queue: waiting and oldest (s)',
        metrics: [
          queueMetric('ApproximateNumberOfMessagesVisible', inbound.queueName, { stat: 'Maximum' }),
          queueMetric('ApproximateNumberOfMessagesNotVisible', inbound.queueName, { stat: 'Maximum' }),
          queueMetric('ApproximateAgeOfOldestMessage', inbound.queueName, {
            stat: 'Maximum',
            yAxis: 'right',
          }),
        ],
      },
      {
        title: 'Inbound dead letters (requests, bus events)',
        metrics: [inbound.deadLetterQueueName, inbound.eventsDeadLetterQueueName].map((queue) =>
          queueMetric('ApproximateNumberOfMessagesVisible', queue, { stat: 'Maximum' }),
        ),
      },
    ]),
    ...row(6, [
      {
        title: 'Bus rules: failed and dead-lettered',
        metrics: [...ruleMetric('FailedInvocations'), ...ruleMetric('InvocationsSentToDlq')],
      },
      {
        title: 'Provider queues: oldest message (s)',
        metrics: Object.values(inbound.providerQueueNames).map((queue) =>
          queueMetric('ApproximateAgeOfOldestMessage', queue, { stat: 'Maximum' }),
        ),
      },
      {
        title: 'Inbound functions: errors and throttles',
        metrics: inboundFunctions.flatMap((name) =>
          (['Errors', 'Throttles'] as const).map(
            (metric): Metric => ['AWS/Lambda', metric, 'FunctionName', name, { stat: 'Sum' }],
          ),
        ),
      },
    ]),
  ];
};

/**
 * One screen for on-call: alarm states, the API, the delivery pipeline (queue depth and age,
 * DLQ, outcomes) and every function's errors, throttles and duration.
 */
export class PlatformDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: PlatformDashboardProps) {
    super(scope, id);
    const { api } = props;
    const apiMetric = (name: string, options: Record<string, unknown> = {}): Metric => [
      api.namespace,
      name,
      ...Object.entries(api.dimensions).flat(),
      options,
    ];
    const laneQueues = [props.deliveryQueueName, ...(props.slowQueueName ? [props.slowQueueName] : [])];
    const queueMetric = (name: string, queue: string, options: Record<string, unknown> = {}): Metric => [
      'AWS/SQS',
      name,
      'QueueName',
      queue,
      options,
    ];
    const deliveryMetric = (name: string): Metric => [
      DELIVERY_METRICS.namespace,
      name,
      'service',
      DELIVERY_METRICS.dimensions.service,
      { stat: 'Sum' },
    ];
    const perFunction = (metric: string, stat: string): Metric[] =>
      Object.entries(props.functionNames).map(([service, name]) => [
        'AWS/Lambda',
        metric,
        'FunctionName',
        name,
        { stat, label: service },
      ]);

    // The alarm strip takes the first three rows of the grid.
    let y = 3;
    const row = (
      height: number,
      widgets: readonly { title: string; metrics?: Metric[]; width?: number }[],
    ) => {
      let x = 0;
      const placed = widgets.map((widget) => {
        const width = widget.width ?? Math.floor(24 / widgets.length);
        const out = {
          type: 'metric',
          x,
          y,
          width,
          height,
          properties: {
            title: widget.title,
            region: props.region,
            view: 'timeSeries',
            stacked: false,
            period: 60,
            metrics: widget.metrics ?? [],
          },
        };
        x += width;
        return out;
      });
      y += height;
      return placed;
    };

    const widgets = [
      {
        type: 'alarm',
        x: 0,
        y: 0,
        width: 24,
        height: 3,
        properties: { title: 'Alarms', alarms: [...props.alarmArns] },
      },
      ...row(6, [
        {
          title: 'API requests and errors',
          metrics: [
            apiMetric(api.count, { stat: 'Sum' }),
            apiMetric(api.clientErrors, { stat: 'Sum' }),
            apiMetric(api.serverErrors, { stat: 'Sum' }),
          ],
        },
        {
          title: 'API latency (ms)',
          metrics: [
            apiMetric(api.latency, { stat: 'p50' }),
            apiMetric(api.latency, { stat: 'p99' }),
            apiMetric(api.integrationLatency, { stat: 'p99' }),
          ],
        },
        {
          title: 'Delivery outcomes',
          metrics: [
            deliveryMetric(DELIVERY_METRICS.success),
            deliveryMetric(DELIVERY_METRICS.failure),
            deliveryMetric('WebhookRetryCount'),
            deliveryMetric('EndpointQuarantined'),
            deliveryMetric('AttemptHandedBack'),
          ],
        },
      ]),
      ...row(6, [
        {
          title: 'Delivery lanes: waiting and in flight',
          metrics: laneQueues.flatMap((queue) => [
            queueMetric('ApproximateNumberOfMessagesVisible', queue, { stat: 'Maximum' }),
            queueMetric('ApproximateNumberOfMessagesDelayed', queue, { stat: 'Maximum' }),
            queueMetric('ApproximateNumberOfMessagesNotVisible', queue, { stat: 'Maximum' }),
          ]),
        },
        {
          title: 'Delivery lanes: oldest message (s)',
          metrics: laneQueues.map((queue) =>
            queueMetric('ApproximateAgeOfOldestMessage', queue, { stat: 'Maximum' }),
          ),
        },
        {
          title: 'Dead-letter queue',
          metrics: [
            queueMetric('ApproximateNumberOfMessagesVisible', props.deadLetterQueueName, { stat: 'Maximum' }),
          ],
        },
      ]),
      ...row(6, [
        { title: 'Function errors', metrics: perFunction('Errors', 'Sum') },
        { title: 'Function throttles', metrics: perFunction('Throttles', 'Sum') },
        { title: 'Function duration p99 (ms)', metrics: perFunction('Duration', 'p99') },
      ]),
      ...row(6, [
        {
          title: 'Attempt and end-to-end latency (ms)',
          width: 12,
          metrics: [
            [DELIVERY_METRICS.namespace, 'AttemptLatency', 'service', 'worker', { stat: 'p99' }],
            [DELIVERY_METRICS.namespace, 'EndToEndLatency', 'service', 'worker', { stat: 'p99' }],
          ],
        },
        { title: 'Function concurrency', width: 12, metrics: perFunction('ConcurrentExecutions', 'Maximum') },
      ]),
      ...inboundRows(props.inbound, row, queueMetric),
    ];

    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      // CloudWatch dashboards are global to the account, not regional: the same stage in two
      // regions needs two names.
      dashboardName: `${SERVICE}-${props.stage}-${props.region}`,
      dashboardBody: JSON.stringify({ widgets }),
    });
  }
}
