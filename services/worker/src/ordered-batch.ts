import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { type LineRecord, type OrderedLineDeps, processLineBatch } from '@hookrelay/delivery/attempt';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';

/**
 * The worker's handler for batches of the ordered line (the FIFO queue): records grouped by
 * their message group (one per tenant, webhook and ordering key), each turn logged and
 * measured as the unordered path does.
 */
export const lineBatchHandler =
  (deps: OrderedLineDeps, logger: Logger, metrics: Metrics, turnMs: number) =>
  async (event: SQSEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse> => {
    const records: LineRecord[] = event.Records.map((r) => ({
      messageId: r.messageId,
      receiptHandle: r.receiptHandle,
      body: r.body,
      group: r.attributes.MessageGroupId ?? r.messageId,
    }));
    const time = { remainingMs: () => context.getRemainingTimeInMillis(), turnMs };
    return processLineBatch(
      deps,
      records,
      {
        turn: (record, msg, turn) => {
          const ids = msg
            ? { tenant_id: msg.tenant_id, event_id: msg.event_id, webhook_id: msg.webhook_id }
            : { message_id: record.messageId };
          const result = turn.result;
          if (result) {
            metrics.addMetric('AttemptLatency', MetricUnit.Milliseconds, result.duration_ms);
            metrics.addMetric(
              result.ok ? 'WebhookDeliverySuccess' : 'WebhookDeliveryFailure',
              MetricUnit.Count,
              1,
            );
            if (turn.kind === 'hold') metrics.addMetric('WebhookRetryCount', MetricUnit.Count, 1);
          }
          const context = {
            ...ids,
            line: 'ordered',
            why: turn.why,
            ...(turn.kind === 'hold' ? { hold_seconds: turn.seconds } : {}),
            ...(result ? { status_code: result.status_code, error_kind: result.error_kind } : {}),
          };
          if (!msg) logger.error('dropping a message that is not a delivery', context);
          else if (result)
            logger.info(`ordered attempt ${turn.kind === 'hold' ? 'retry' : turn.why}`, context);
          else logger.debug(`ordered message ${turn.kind}`, context);
        },
        error: (record, error) =>
          logger.error('ordered delivery not processed; it and its key come back', {
            message_id: record.messageId,
            error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          }),
      },
      time,
    );
  };
