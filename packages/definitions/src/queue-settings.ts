/**
 * The settings the platform's queues share, by what reads them: a function's event source
 * mapping, or on-call by hand (a dead-letter queue).
 */

/** A dead-letter queue: read by hand (`make dlq-peek`), its messages kept 14 days, SQS's longest. */
export const deadLetterSettings = {
  visibilityTimeoutSeconds: 30,
  messageRetentionSeconds: 14 * 24 * 3600,
  receiveWaitTimeSeconds: 0,
} as const;

/**
 * A queue a function consumes: a received message stays hidden six times the function's
 * timeout, as AWS advises, and receives wait up to 20 s for a message (long polling).
 *
 * @example
 * consumedQueueSettings(30).visibilityTimeoutSeconds // 180
 */
export const consumedQueueSettings = (
  functionTimeoutSeconds: number,
  messageRetentionSeconds = 4 * 24 * 3600,
) => ({
  visibilityTimeoutSeconds: 6 * functionTimeoutSeconds,
  messageRetentionSeconds,
  receiveWaitTimeSeconds: 20,
});
