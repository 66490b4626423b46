import type { Logger } from '@aws-lambda-powertools/logger';
import { type Prepared, type ProcessDeps, parseInboundMessage, processInbound } from '@hookrelay/inbound';
import type { SQSRecord } from 'aws-lambda';

/**
 * One FIFO record: route it, with what `prepareBatch` read and archived for it (`prepared`, by
 * message id); a failure is recorded (FAILED, with where its body was archived) when this was
 * the last receive before the DLQ, then rethrown so the batch processor fails the rest of the
 * source's group.
 */
export const recordHandler =
  (
    deps: ProcessDeps,
    logger: Logger,
    maxReceiveCount: number,
    prepared: (messageId: string) => Prepared | undefined = () => undefined,
  ) =>
  async (record: SQSRecord): Promise<void> => {
    const message = parseInboundMessage(record.body);
    if (!message) {
      logger.error('dropping a message that is not an inbound request', { message_id: record.messageId });
      return;
    }
    const ids = {
      tenant_id: message.tenant_id,
      source_id: message.source_id,
      inbound_request_id: message.request_id,
    };
    const ready = prepared(record.messageId);
    try {
      const outcome = await processInbound(deps, message, ready);
      if (outcome === 'body-not-archived') {
        logger.warn('inbound replay dropped: the body is not archived yet', { ...ids, round: message.round });
      } else {
        logger.info(`inbound ${outcome}`, { ...ids, round: message.round });
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const receives = Number(record.attributes.ApproximateReceiveCount ?? '1');
      logger.warn('inbound routing failed', { ...ids, receives, error: reason });
      if (receives >= maxReceiveCount) {
        await deps.requests
          .markFailed(message.tenant_id, message.request_id, reason, ready?.archived)
          .catch(() => undefined);
      }
      throw error;
    }
  };
