import { DEFAULT_SWEEP_GRACE_MS } from '@hookrelay/definitions';
import { type Clock, type DeliveryQueue, systemClock } from '@hookrelay/domain';
import { DynamoDbEventStore, DynamoDbWebhookStore } from '@hookrelay/dynamodb';
import {
  DEFAULT_DLQ_WAIT_SECONDS,
  type DeadLetterView,
  peekDeadLetters,
  type RequeueOptions,
  type RequeueResult,
  requeueDeadLetters,
  requeueOrderedDeadLetters,
  SqsDeliveryQueue,
} from '@hookrelay/sqs';
import type { StageConnection } from './stage-target.js';

/** What `make dlq-peek` reports: the queue and what sits in it, untouched. */
export interface DeadLetterListing {
  readonly queue: string;
  readonly count: number;
  readonly messages: readonly DeadLetterView[];
}

/**
 * How long each DLQ receive waits: AWS needs a long poll to see every message of a small queue;
 * fauxqs is one process that answers exactly at once.
 */
const waitFor = (stage: StageConnection): number =>
  stage.target.kind === 'emulators' ? 0 : DEFAULT_DLQ_WAIT_SECONDS;

/** Lists up to `max` DLQ messages of the stage without consuming them. */
export const peekStageDeadLetters = async (
  stage: StageConnection,
  max: number,
): Promise<DeadLetterListing> => {
  const messages = await peekDeadLetters(stage.sqs, stage.dlqUrl, max, {
    waitTimeSeconds: waitFor(stage),
    attemptsInMessage: stage.line === 'deliveries',
  });
  return { queue: stage.dlqName, count: messages.length, messages };
};

export interface StageRequeueOptions extends RequeueOptions {
  readonly clock?: Clock;
  /** Replaces the stage's delivery queue (tests make one that refuses a send). */
  readonly queue?: DeliveryQueue;
  readonly retentionDays?: number;
  readonly sweepGraceMs?: number;
}

/**
 * Moves the stage's DLQ messages back to its delivery queue with the same code the DLQ
 * processor Lambda runs, so a requeue from a laptop and one from AWS behave alike.
 */
export const requeueStageDeadLetters = (
  stage: StageConnection,
  options: StageRequeueOptions = {},
): Promise<RequeueResult> =>
  requeueDeadLetters(
    {
      sqs: stage.sqs,
      dlqUrl: stage.dlqUrl,
      queue: options.queue ?? new SqsDeliveryQueue(stage.sqs, stage.deliveryQueueUrl, stage.dlqUrl),
      events: new DynamoDbEventStore(stage.db, stage.dataTable, {
        retentionDays: options.retentionDays ?? 30,
        sweepGraceMs: options.sweepGraceMs ?? DEFAULT_SWEEP_GRACE_MS,
      }),
      webhooks: new DynamoDbWebhookStore(stage.db, stage.dataTable),
      clock: options.clock ?? systemClock,
    },
    { waitTimeSeconds: waitFor(stage), ...options },
  );

/**
 * Moves the ordered line's dead letters back into their keys' lines (a stage opened on the
 * `ordered` line): the still-PENDING deliveries, in the order the DLQ holds them.
 */
export const requeueStageOrderedDeadLetters = (
  stage: StageConnection,
  options: RequeueOptions = {},
): Promise<RequeueResult> =>
  requeueOrderedDeadLetters(
    {
      sqs: stage.sqs,
      dlqUrl: stage.dlqUrl,
      lineUrl: stage.deliveryQueueUrl,
      events: new DynamoDbEventStore(stage.db, stage.dataTable, {
        retentionDays: 30,
        sweepGraceMs: DEFAULT_SWEEP_GRACE_MS,
      }),
    },
    { waitTimeSeconds: waitFor(stage), ...options },
  );

/** The exact line `make dlq-requeue` prints on stdout. */
export const requeueLine = (result: RequeueResult): string =>
  `{"requeued": ${result.requeued}, "failed": ${result.failed}}`;

const COLUMNS: readonly [string, (m: DeadLetterView) => string][] = [
  ['TENANT', (m) => m.tenant_id ?? '-'],
  ['EVENT', (m) => m.event_id ?? '-'],
  ['WEBHOOK', (m) => m.webhook_id ?? '-'],
  ['ATTEMPTS', (m) => (m.attempts === undefined ? '-' : String(m.attempts))],
  ['FAILED AT', (m) => m.failed_at ?? '-'],
  ['LAST ERROR', (m) => m.last_error ?? m.reason],
];

/** A plain-text table for a terminal; `--json` gives the full records instead. */
export const formatDeadLetters = (listing: DeadLetterListing): string => {
  if (listing.count === 0) return `${listing.queue} is empty.\n`;
  const rows = [
    COLUMNS.map(([title]) => title),
    ...listing.messages.map((m) => COLUMNS.map(([, cell]) => cell(m).replace(/\s+/g, ' '))),
  ];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
  const noun = listing.count === 1 ? 'message' : 'messages';
  return `${lines.join('\n')}\n\n${listing.count} ${noun} in ${listing.queue} (peeked, not consumed)\n`;
};
