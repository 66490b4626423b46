import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Outcome } from '@hookrelay/delivery/attempt';
import type { DeliveryMessage } from '@hookrelay/domain';
import type { SQSRecord } from 'aws-lambda';

/** Where a lane's outcomes are said: the function's log and its metrics. */
export interface OutcomeLog {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

type Attempted = Extract<Outcome, { kind: 'delivered' | 'retry' | 'failed' }>;

/** An attempt's line, its latency, its lane move, and the delivery counts it adds to. */
const reportAttempt = (
  log: OutcomeLog,
  record: Pick<SQSRecord, 'attributes'>,
  message: DeliveryMessage,
  outcome: Attempted,
): void => {
  const { logger, metrics } = log;
  const ids = { tenant_id: message.tenant_id, event_id: message.event_id, webhook_id: message.webhook_id };
  const { result } = outcome;
  // A first-time success is the common case and already recorded twice (the attempt item,
  // the EMF metrics): its line is DEBUG, paid for only when asked for. Retries and failures
  // stay at INFO.
  const delivered = outcome.kind === 'delivered' && outcome.attempt === 1;
  logger[delivered ? 'debug' : 'info'](`attempt ${outcome.kind}`, {
    ...ids,
    attempt: outcome.attempt,
    status_code: result.status_code,
    error_kind: result.error_kind,
    duration_ms: result.duration_ms,
  });
  metrics.addMetric('AttemptLatency', MetricUnit.Milliseconds, result.duration_ms);
  if (outcome.lane_change === 'quarantine') {
    logger.warn('endpoint moved to the slow lane', { ...ids, duration_ms: result.duration_ms });
    metrics.addMetric('EndpointQuarantined', MetricUnit.Count, 1);
  } else if (outcome.lane_change === 'recover') {
    logger.info('endpoint back on the main lane', ids);
  }
  if (outcome.kind === 'delivered') {
    metrics.addMetric('WebhookDeliverySuccess', MetricUnit.Count, 1);
    const sentAt = Number(record.attributes.SentTimestamp);
    if (message.attempt === 1 && Number.isFinite(sentAt)) {
      metrics.addMetric('EndToEndLatency', MetricUnit.Milliseconds, Date.now() - sentAt);
    }
  }
  if (outcome.kind === 'retry') metrics.addMetric('WebhookRetryCount', MetricUnit.Count, 1);
  if (outcome.kind === 'failed') metrics.addMetric('WebhookDeliveryFailure', MetricUnit.Count, 1);
};

/**
 * Says what a lane's message came to: an attempt's line and metrics, a hand-off to the slow
 * lane, or (at DEBUG) why nothing was attempted.
 */
export const reportOutcome = (
  log: OutcomeLog,
  record: Pick<SQSRecord, 'attributes'>,
  message: DeliveryMessage,
  outcome: Outcome,
): void => {
  const ids = { tenant_id: message.tenant_id, event_id: message.event_id, webhook_id: message.webhook_id };
  switch (outcome.kind) {
    case 'delivered':
    case 'retry':
    case 'failed':
      reportAttempt(log, record, message, outcome);
      break;
    case 'forwarded':
      if (outcome.abandoned_after_ms !== undefined) {
        log.logger.info('attempt handed to the slow lane', {
          ...ids,
          attempt: message.attempt,
          after_ms: outcome.abandoned_after_ms,
        });
        log.metrics.addMetric('AttemptHandedBack', MetricUnit.Count, 1);
      }
      break;
    default:
      log.logger.debug(`message ${outcome.kind}`, { ...ids, attempt: message.attempt });
  }
};
