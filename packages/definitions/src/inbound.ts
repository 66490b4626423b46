/**
 * The inbound path's resources: the FIFO queue the ingestion function fills and its DLQ, the
 * archive bucket, the EventBridge bus with one rule per provider and that rule's target
 * queue, and the environment names. `infra/` and the local platform both read these.
 *
 * @example
 * fifoQueueName(inboundQueues.fifo, 'dev') // 'hookrelay-inbound-webhooks-dev.fifo'
 */

import { INBOUND_PROVIDERS, type InboundProvider } from './inbound-providers.js';
import { resourceName } from './names.js';
import { consumedQueueSettings, deadLetterSettings } from './queue-settings.js';

export * from './inbound-providers.js';

/** The processing function's Lambda timeout; the FIFO queue's visibility is 6x it. */
export const INBOUND_PROCESSOR_TIMEOUT_SECONDS = 30;
/**
 * Under API Gateway's 29 s integration limit, so a slow request ends in the function's own
 * logged timeout rather than in an anonymous gateway 504 (the api's is 28 s for the same reason).
 */
export const INGEST_TIMEOUT_SECONDS = 28;
export const INGEST_MEMORY_MB = 256;
/** Largest body the ingestion function accepts. */
export const INBOUND_MAX_BODY_BYTES = 256 * 1024;

export interface InboundQueueDefinition {
  readonly id: 'fifo' | 'fifoDlq';
  readonly baseName: string;
  readonly fifo: true;
  readonly contentBasedDeduplication: boolean;
  readonly visibilityTimeoutSeconds: number;
  readonly messageRetentionSeconds: number;
  readonly receiveWaitTimeSeconds: number;
  readonly redrive?: { readonly deadLetterQueue: 'fifoDlq'; readonly maxReceiveCount: number };
}

// AWS requires a FIFO queue's dead-letter queue to be FIFO as well.
const fifoDlq: InboundQueueDefinition = {
  id: 'fifoDlq',
  baseName: 'inbound-webhooks-dlq',
  fifo: true,
  contentBasedDeduplication: true,
  ...deadLetterSettings,
};

const fifo: InboundQueueDefinition = {
  id: 'fifo',
  baseName: 'inbound-webhooks',
  fifo: true,
  contentBasedDeduplication: true,
  ...consumedQueueSettings(INBOUND_PROCESSOR_TIMEOUT_SECONDS),
  redrive: { deadLetterQueue: 'fifoDlq', maxReceiveCount: 3 },
};

export const inboundQueues = { fifo, fifoDlq } as const;

/**
 * How the inbound processor takes the FIFO queue: batches of 10, and per kind of stage the most
 * invocations at once (one per source with requests queued). Infra writes the mapping from it
 * and the local platform runs production's.
 */
export const inboundMapping = {
  batchSize: 10,
  maximumConcurrency: { production: 10, development: 2 },
} as const;
export const inboundQueueList: readonly InboundQueueDefinition[] = [fifoDlq, fifo];

export const fifoQueueName = (queue: InboundQueueDefinition, stage: string): string =>
  `${resourceName(queue.baseName, stage)}.fifo`;

interface InboundRuleDefinition {
  readonly provider: InboundProvider;
  readonly baseName: string;
  readonly pattern: { readonly source: readonly string[] };
  /** The standard SQS queue the rule delivers to; downstream consumers read there. */
  readonly queueBaseName: string;
}

export const busSource = (provider: string): string => `hookrelay.inbound.${provider}`;

export const inboundBus = {
  baseName: 'inbound',
  archive: { baseName: 'inbound-archive', retentionDays: 30 },
  rules: INBOUND_PROVIDERS.map(
    (provider): InboundRuleDefinition => ({
      provider,
      baseName: `inbound-${provider}`,
      pattern: { source: [busSource(provider)] },
      queueBaseName: `inbound-${provider}-events`,
    }),
  ),
  /** Retention of the per-provider target queues. */
  targetRetentionSeconds: 4 * 24 * 3600,
} as const;

export const inboundBucket = {
  baseName: 'inbound',
} as const;

export const INBOUND_ENV = {
  table: 'INBOUND_TABLE',
  bucket: 'INBOUND_BUCKET',
  queueUrl: 'INBOUND_QUEUE_URL',
  dlqUrl: 'INBOUND_DLQ_URL',
  busName: 'INBOUND_BUS_NAME',
  ingestBaseUrl: 'INGEST_BASE_URL',
  archive: 'INBOUND_ARCHIVE',
} as const;

/**
 * When a body that rides in its FIFO message (up to 48 KB) reaches the archive:
 * - `ingest`: before the request's metadata, its message and the 202, as the product contract
 *   orders ingestion (docs/inbound.md): every accepted body is in S3 at once. One PUT a
 *   request, $5.00 a million.
 * - `batch`: by the processor, one object per tenant per batch it receives; until then the body
 *   waits in its message (durable in SQS from the moment the 202 is sent), the request shows no
 *   body and refuses a replay (409). In bursts about a tenth of the PUTs; at a trickle, as many.
 * A body too large to ride is archived at ingest in both.
 */
export const INBOUND_ARCHIVE_MODES = ['ingest', 'batch'] as const;
export type InboundArchiveMode = (typeof INBOUND_ARCHIVE_MODES)[number];

/** The inbound part of a stage's environment (the table name comes with `stageEnvironment`). */
export const inboundEnvironment = (
  stage: string,
  queueUrl: (name: string) => string,
  bucket: string,
): Record<string, string> => ({
  [INBOUND_ENV.bucket]: bucket,
  [INBOUND_ENV.queueUrl]: queueUrl(fifoQueueName(fifo, stage)),
  [INBOUND_ENV.dlqUrl]: queueUrl(fifoQueueName(fifoDlq, stage)),
  [INBOUND_ENV.busName]: resourceName(inboundBus.baseName, stage),
});
