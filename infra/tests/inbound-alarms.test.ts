import { CloudwatchDashboard } from '@cdktn/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktn/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktn/provider-aws/lib/sns-topic';
import { INBOUND_PROVIDERS } from '@hookrelay/definitions';
import { describe, expect, it } from '@jest/globals';
import { findResource, resourceList, resources, type Synthesized, synthPlatform } from './support/synth.js';

/*
 * The inbound path watched: every alarm notifies the stage's topic when it fires and clears,
 * and the dashboard charts what each one watches. For prod, behind either front door.
 */
interface MetricQuery {
  id: string;
  expression?: string;
  metric?: { namespace: string; metric_name: string; dimensions: Record<string, string>; stat: string };
}

describe.each(['http', 'rest'] as const)('prod (%s): the inbound path is watched', (kind) => {
  const { stateless } = synthPlatform('prod', undefined, { apiGateway: kind });
  const topic = `\${aws_sns_topic.${Object.keys(resources(stateless, SnsTopic.tfResourceType))[0]}.arn}`;
  const alarm = (id: string) => {
    const found = findResource(stateless, CloudwatchMetricAlarm.tfResourceType, {
      alarm_name: `hookrelay-${id}-prod`,
    });
    expect(found.alarm_actions).toEqual([topic]);
    expect(found.ok_actions).toEqual([topic]);
    expect(found.treat_missing_data).toBe('notBreaching');
    return found;
  };
  const dashboard = (stack: Synthesized) =>
    String(resourceList(stack, CloudwatchDashboard.tfResourceType)[0]?.dashboard_body);
  const charted = (...parts: string[]) =>
    expect(dashboard(stateless)).toContain(JSON.stringify(parts).slice(1, -1));

  it.each([
    ['ingest', 'Errors'],
    ['ingest', 'Throttles'],
    ['inbound-processor', 'Errors'],
    ['inbound-processor', 'Throttles'],
    ['dlq-processor', 'Errors'],
  ] as const)('%s %s', (service, metric) => {
    expect(alarm(`${service}-${metric.toLowerCase()}`)).toMatchObject({
      namespace: 'AWS/Lambda',
      metric_name: metric,
      dimensions: { FunctionName: `hookrelay-${service}-prod` },
      statistic: 'Sum',
      threshold: 0,
      comparison_operator: 'GreaterThanThreshold',
    });
    charted('AWS/Lambda', metric, 'FunctionName', `hookrelay-${service}-prod`);
  });

  it('the FIFO queue’s oldest message and the inbound DLQ’s depth', () => {
    expect(alarm('inbound-oldest-message')).toMatchObject({
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateAgeOfOldestMessage',
      dimensions: { QueueName: 'hookrelay-inbound-webhooks-prod.fifo' },
      statistic: 'Maximum',
    });
    expect(alarm('inbound-dlq-not-empty')).toMatchObject({
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: 'hookrelay-inbound-webhooks-dlq-prod.fifo' },
      threshold: 0,
      comparison_operator: 'GreaterThanThreshold',
    });
    charted('AWS/SQS', 'ApproximateAgeOfOldestMessage', 'QueueName', 'hookrelay-inbound-webhooks-prod.fifo');
    charted(
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      'QueueName',
      'hookrelay-inbound-webhooks-dlq-prod.fifo',
    );
  });

  it('the ingest stage’s 5xx rate, from the ingest REST API’s own metrics', () => {
    const queries = alarm('ingest-5xx-rate').metric_query as MetricQuery[];
    const dimensions = { ApiName: 'hookrelay-ingest-prod', Stage: 'prod' };
    expect(queries.find((q) => q.id === 'errors')?.metric).toMatchObject({
      namespace: 'AWS/ApiGateway',
      metric_name: '5XXError',
      dimensions,
    });
    expect(queries.find((q) => q.id === 'requests')?.metric).toMatchObject({
      metric_name: 'Count',
      dimensions,
    });
    charted('AWS/ApiGateway', '5XXError', 'ApiName', 'hookrelay-ingest-prod');
  });

  it.each(['FailedInvocations', 'InvocationsSentToDlq'])(
    'EventBridge %s of every provider rule',
    (metric) => {
      const id = metric === 'FailedInvocations' ? 'inbound-rules-failed' : 'inbound-rules-dead-lettered';
      const queries = alarm(id).metric_query as MetricQuery[];
      const watched = queries.filter((q) => q.metric).map((q) => q.metric);
      expect(watched).toHaveLength(INBOUND_PROVIDERS.length);
      for (const provider of INBOUND_PROVIDERS) {
        expect(watched).toContainEqual({
          namespace: 'AWS/Events',
          metric_name: metric,
          dimensions: {
            EventBusName: 'hookrelay-inbound-prod',
            RuleName: `hookrelay-inbound-${provider}-prod`,
          },
          period: 60,
          stat: 'Sum',
        });
        charted(
          'AWS/Events',
          metric,
          'EventBusName',
          'hookrelay-inbound-prod',
          'RuleName',
          `hookrelay-inbound-${provider}-prod`,
        );
      }
      expect(queries.find((q) => q.expression)?.expression).toMatch(/^SUM\(\[/);
    },
  );

  it('the rules’ dead-letter queue', () => {
    expect(alarm('inbound-events-dlq-not-empty')).toMatchObject({
      metric_name: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: 'hookrelay-inbound-events-dlq-prod' },
    });
    charted(
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      'QueueName',
      'hookrelay-inbound-events-dlq-prod',
    );
  });

  it.each(INBOUND_PROVIDERS.map((p) => [p]))(
    'the %s events queue, when a message has waited a day',
    (provider) => {
      expect(alarm(`inbound-${provider}-events-oldest`)).toMatchObject({
        namespace: 'AWS/SQS',
        metric_name: 'ApproximateAgeOfOldestMessage',
        dimensions: { QueueName: `hookrelay-inbound-${provider}-events-prod` },
        statistic: 'Maximum',
        threshold: 86_400,
        comparison_operator: 'GreaterThanOrEqualToThreshold',
      });
      charted(
        'AWS/SQS',
        'ApproximateAgeOfOldestMessage',
        'QueueName',
        `hookrelay-inbound-${provider}-events-prod`,
      );
    },
  );
});
