/**
 * The SQS message that asks the worker to make one delivery attempt. Producer (API,
 * sweeper, DLQ requeue) and consumer (worker) share this one definition.
 */
export interface DeliveryMessage {
  readonly v: 1;
  readonly tenant_id: string;
  readonly event_id: string;
  readonly webhook_id: string;
  /** The attempt this message asks for, counted over the delivery's life (1-based). */
  readonly attempt: number;
  /** Not before this time (epoch ms): delays longer than SQS allows hop until then. */
  readonly not_before?: number;
  /**
   * Sent before its event was written (the write is the commit): until this time (epoch ms) a
   * missing event may still be on its way, and the message waits; after it, the event was
   * never accepted (its client got no 201) and the message is dropped.
   */
  readonly commit_by?: number;
  /**
   * How many times this message was handed back unattempted because its endpoint had all the
   * attempts in flight it may have (each wait is longer than the one before).
   */
  readonly held?: number;
  /** Its event is listed as PENDING already (an earlier hold wrote it): holds write nothing. */
  readonly listed?: true;
  /**
   * How many times this delivery's message came back from its queue without an outcome (the
   * instance that held it was killed or timed out, or processing it failed) and was sent again
   * as a new message, so that a return spends none of the queue's receives (`maxReceiveCount`).
   */
  readonly returns?: number;
}

/**
 * How long after sending an event's messages its producer may still write the event: longer
 * than any API request may take (API Gateway ends them at 29 s).
 */
export const EVENT_COMMIT_WINDOW_MS = 60_000;

/** What a message carries once its schedule is exhausted and it sits in the DLQ. */
export interface DeadLetter extends DeliveryMessage {
  readonly reason: 'exhausted';
  readonly failed_at: string;
  readonly attempts: number;
  readonly last_status_code?: number;
  readonly last_error?: string;
}

const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isId = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_.:-]{1,128}$/.test(v);

/**
 * The fields of a message of ours (a JSON object at version 1 naming a tenant and a webhook),
 * or undefined: the common reading of every kind of message the delivery queues carry.
 */
export const messageFields = (
  body: string,
): (Record<string, unknown> & { tenant_id: string; webhook_id: string }) | undefined => {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  return m.v === 1 && isId(m.tenant_id) && isId(m.webhook_id)
    ? (m as Record<string, unknown> & { tenant_id: string; webhook_id: string })
    : undefined;
};

/** Reads a message body, or returns undefined when it is not one of ours. */
export const parseDeliveryMessage = (body: string): DeliveryMessage | undefined => {
  const m = messageFields(body);
  if (!m || !isId(m.event_id)) return undefined;
  if (!isPositiveInt(m.attempt) || m.attempt < 1) return undefined;
  if (m.not_before !== undefined && !isPositiveInt(m.not_before)) return undefined;
  if (m.commit_by !== undefined && !isPositiveInt(m.commit_by)) return undefined;
  if (m.held !== undefined && !isPositiveInt(m.held)) return undefined;
  if (m.listed !== undefined && m.listed !== true) return undefined;
  if (m.returns !== undefined && !isPositiveInt(m.returns)) return undefined;
  return {
    v: 1,
    tenant_id: m.tenant_id,
    event_id: m.event_id,
    webhook_id: m.webhook_id,
    attempt: m.attempt,
    ...(m.not_before !== undefined ? { not_before: m.not_before } : {}),
    ...(m.commit_by !== undefined ? { commit_by: m.commit_by } : {}),
    ...(m.held !== undefined ? { held: m.held } : {}),
    ...(m.listed ? { listed: true as const } : {}),
    ...(m.returns !== undefined ? { returns: m.returns } : {}),
  };
};
