import type { SendResult } from '@hookrelay/delivery';
import type {
  AttemptSample,
  ClaimResult,
  DeliveryUpdate,
  EventStore,
  StoredEvent,
  WebhookStore,
} from '@hookrelay/domain';

/** What an attempt leaves behind, whichever line made it. */
export interface AttemptToRecord {
  readonly tenantId: string;
  readonly event: StoredEvent;
  readonly webhookId: string;
  readonly attempt: number;
  readonly result: SendResult;
  /** The delivery as `decideAttempt` said to record it. */
  readonly update: DeliveryUpdate;
  /** Why the attempt disabled the webhook, if it did. */
  readonly disable?: string;
}

/**
 * Records an attempt the same way on every line (the lanes and the ordered line): the attempt
 * item first (its key is the attempt number, so a retried write overwrites, never adds), so
 * whoever reads the delivery as settled also finds its attempt; then the claim on the delivery.
 * Only the worker whose claim is made counts the attempt for the stats (and the delivery once,
 * when it ends) and tells the webhook its outcome. A lost claim (another worker recorded this
 * attempt first) records nothing more.
 */
export const recordAttempt = async (
  deps: {
    readonly events: Pick<EventStore, 'putAttempt' | 'claimAttempt'>;
    readonly webhooks: Pick<WebhookStore, 'recordOutcome'>;
    readonly counters?: { record(tenantId: string, webhookId: string, sample: AttemptSample): void };
  },
  attempt: AttemptToRecord,
): Promise<ClaimResult> => {
  const { tenantId, event, webhookId, result, update, disable } = attempt;
  const at = update.at;
  await deps.events.putAttempt(tenantId, {
    event_id: event.event_id,
    webhook_id: webhookId,
    attempt: attempt.attempt,
    attempted_at: at,
    duration_ms: result.duration_ms,
    outcome: result.ok ? 'success' : 'failure',
    ...(result.status_code !== undefined ? { status_code: result.status_code } : {}),
    ...(result.error_kind ? { error_kind: result.error_kind } : {}),
    ...(result.response !== undefined ? { response: result.response } : {}),
  });
  const claim = await deps.events.claimAttempt(tenantId, event.event_id, webhookId, update, event);
  if (claim === 'lost') return claim;
  deps.counters?.record(tenantId, webhookId, {
    at,
    success: result.ok,
    duration_ms: result.duration_ms,
    ...(update.status === 'DELIVERED' || update.status === 'FAILED' ? { ended: update.status } : {}),
  });
  await deps.webhooks.recordOutcome(tenantId, webhookId, {
    success: result.ok,
    at,
    ...(disable ? { disable } : {}),
  });
  return claim;
};
