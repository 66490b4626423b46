import {
  type Delivery,
  type DeliveryMessage,
  type DeliveryQueue,
  type EventStore,
  iso,
  type OrderingPauseStore,
  parseDeliveryMessage,
  type StoredEvent,
  type Webhook,
  type WebhookStore,
} from '@hookrelay/domain';
import type { SendResult } from '../http-sender.js';
import { activeEndpoint } from './prepare-attempt.js';
import { rateLimitWait } from './rate-limit-hold.js';
import { exhaustedLetter, recordAttempt } from './record-attempt.js';
import { sendAttempt } from './send-attempt.js';
import type { AttemptReport } from './tell-tenant.js';
import type { WorkerDeps } from './worker-deps.js';

/** The longest SQS lets a received message stay invisible (12 hours). */
const MAX_HOLD_SECONDS = 43_200;

/** Where the ordered line keeps a message in its place while it waits (ChangeMessageVisibility). */
interface LineHold {
  hold(receiptHandle: string, seconds: number): Promise<void>;
}

/**
 * The ordered line's ports: the unordered worker's sender, secrets, clock, schedule, rate limiter
 * and counters, narrower stores, and the line itself (where a waiting message is held).
 */
export interface OrderedLineDeps
  extends Pick<
    WorkerDeps,
    'secrets' | 'sender' | 'clock' | 'schedule' | 'random' | 'rateLimiter' | 'counters'
  > {
  readonly events: Pick<EventStore, 'get' | 'putAttempt' | 'claimAttempt' | 'settle' | 'cancel'>;
  readonly webhooks: Pick<WebhookStore, 'get' | 'recordOutcome'>;
  readonly queue: Pick<DeliveryQueue, 'deadLetter'>;
  readonly line: LineHold;
  /** Paused keys of webhooks with `on_exhausted: "pause"`; without it, every key continues. */
  readonly pauses?: Pick<OrderingPauseStore, 'pause' | 'get' | 'noteHeld'>;
  readonly tellTenant?: (report: AttemptReport) => Promise<void>;
}

/** One record of the ordered line, as the event source mapping hands it over. */
export interface LineRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly group: string;
}

/**
 * What a turn at the head of a key's line came to: `done` (the message leaves the line: the
 * delivery is final, or was never accepted), or `hold` (it keeps its place, invisible for this
 * long, and so does the rest of its key's line behind it).
 */
type Turn =
  | { readonly kind: 'done'; readonly why: string; readonly result?: SendResult; readonly attempt?: number }
  | {
      readonly kind: 'hold';
      readonly seconds: number;
      readonly why: string;
      readonly result?: SendResult;
      /** Held because its key is paused: the held messages' receipts go with the pause. */
      readonly paused?: {
        readonly tenantId: string;
        readonly webhookId: string;
        readonly orderingKey: string;
      };
    };

const hold = (ms: number, why: string, result?: SendResult): Turn => ({
  kind: 'hold',
  seconds: Math.min(MAX_HOLD_SECONDS, Math.max(1, Math.ceil(ms / 1000))),
  why,
  ...(result ? { result } : {}),
});

/** Until the producer's deadline, a message whose event is not written yet waits for it. */
const COMMIT_WAIT_MS = 1_000;

/**
 * How long a paused key's messages are held at a time: SQS's longest, so a pause of 14 days
 * (the line's retention) costs at most 28 receives of each, under the redrive budget. Resuming
 * releases them at once (their receipts are kept with the pause).
 */
const PAUSED_HOLD_SECONDS = MAX_HOLD_SECONDS;

const pausesOf = (deps: OrderedLineDeps, webhook: Webhook, event: StoredEvent) =>
  webhook.on_exhausted === 'pause' && event.ordering_key !== undefined ? deps.pauses : undefined;

/**
 * The ordered line's checks before an attempt (its prepare step): is it still wanted, and is it
 * its time (the retry's delay is over, its key is not paused, its rate limit lets it go).
 */
const prepareTurn = async (
  deps: OrderedLineDeps,
  msg: DeliveryMessage,
  nowMs: number,
): Promise<Turn | { event: StoredEvent; delivery: Delivery; webhook: Webhook }> => {
  const { tenant_id: tenantId, event_id: eventId, webhook_id: webhookId } = msg;
  const event = await deps.events.get(tenantId, eventId);
  if (!event) {
    return msg.commit_by !== undefined && nowMs < msg.commit_by
      ? hold(COMMIT_WAIT_MS, 'event not written yet')
      : { kind: 'done', why: 'event never accepted' };
  }
  const delivery = event.deliveries[webhookId];
  if (!delivery) return { kind: 'done', why: 'no such delivery' };
  if (delivery.status !== 'PENDING') {
    // Already final (a redelivery after a crash): make sure the event says so, and move on.
    if (event.status === 'PENDING') await deps.events.settle(tenantId, eventId, iso(nowMs));
    return { kind: 'done', why: `delivery already ${delivery.status}` };
  }
  const endpoint = await activeEndpoint(deps, msg, nowMs);
  if ('cancelled' in endpoint) return { kind: 'done', why: endpoint.cancelled };
  const { webhook } = endpoint;
  // The record, not SQS's receive count, says when the next attempt is due: a message back
  // early (its holder crashed) waits out the rest.
  const due = delivery.next_attempt_at ? Date.parse(delivery.next_attempt_at) : 0;
  if (delivery.attempt_count > 0 && due > nowMs + 1_000) return hold(due - nowMs, 'retry not due yet');
  const pauses = pausesOf(deps, webhook, event);
  if (
    pauses &&
    event.ordering_key !== undefined &&
    (await pauses.get(tenantId, webhookId, event.ordering_key))
  ) {
    return {
      kind: 'hold',
      seconds: PAUSED_HOLD_SECONDS,
      why: 'key paused',
      paused: { tenantId, webhookId, orderingKey: event.ordering_key },
    };
  }
  const wait = await rateLimitWait(deps, webhook, nowMs);
  if (wait > 0) return hold(wait, 'rate limited');
  return { event, delivery, webhook };
};

/**
 * The end of a delivery's schedule: its key stops first when the webhook pauses on it (the next
 * message then finds it paused), then the dead letter goes to the DLQ, both before the delivery
 * says FAILED: if either throws, the message comes back and they are made again.
 */
const giveUp = async (
  deps: OrderedLineDeps,
  msg: DeliveryMessage,
  ended: {
    readonly event: StoredEvent;
    readonly webhook: Webhook;
    readonly attempt: number;
    readonly result: SendResult;
    readonly update: { readonly at: string; readonly last_error?: string };
  },
): Promise<void> => {
  const { event, webhook, attempt, result, update } = ended;
  const pauses = pausesOf(deps, webhook, event);
  if (pauses && event.ordering_key !== undefined) {
    await pauses.pause(msg.tenant_id, msg.webhook_id, {
      ordering_key: event.ordering_key,
      event_id: msg.event_id,
      paused_at: update.at,
    });
  }
  await deps.queue.deadLetter(exhaustedLetter(msg, attempt, result, update));
};

/**
 * The turn of the message at the head of a key's line: one attempt, recorded like any other
 * (attempt item, then the delivery's claim), counted in the delivery's record. A failure with
 * attempts left holds the message in its place for the retry's delay; the last one dead-letters
 * it (FAILED) and lets the line go on.
 */
const takeTurn = async (deps: OrderedLineDeps, msg: DeliveryMessage): Promise<Turn> => {
  const nowMs = deps.clock.now();
  const ready = await prepareTurn(deps, msg, nowMs);
  if ('kind' in ready) return ready;
  const { event, delivery, webhook } = ready;
  const tenantId = msg.tenant_id;
  const attempt = delivery.attempt_count + 1;
  const result = await sendAttempt(deps, { tenantId, event, webhook, nowMs });
  const sent = { tenantId, event, webhook, delivery, attempt, result, finishedMs: deps.clock.now() };
  const { claim, decision } = await recordAttempt(deps, sent, {
    beforeClaim: async ({ next, update }) => {
      if (next.kind === 'failed') await giveUp(deps, msg, { event, webhook, attempt, result, update });
    },
    ...(deps.tellTenant ? { tell: deps.tellTenant } : {}),
  });
  // Another worker recorded this attempt first: look again shortly, from the record.
  if (claim === 'lost') return hold(1_000, `attempt ${attempt} recorded by another worker`, result);
  const { next } = decision;
  if (next.kind === 'retry') return hold(next.delayMs, 'retry', result);
  return { kind: 'done', why: next.kind, result, attempt };
};

/** What the line's batch reports back: the records to leave in the queue. */
interface LineBatchReport {
  readonly batchItemFailures: { itemIdentifier: string }[];
}

/**
 * The invocation's clock: a key's records are attempted one after the other, so a batch of one
 * key's records can outlast the function's timeout; a turn starts only with `turnMs` left.
 */
interface InvocationTime {
  remainingMs(): number;
  /** The longest a turn takes: the sender's timeout and the writes around it. */
  readonly turnMs: number;
}

interface LineLog {
  turn(record: LineRecord, msg: DeliveryMessage | undefined, turn: Turn): void;
  error(record: LineRecord, error: unknown): void;
}

/**
 * A key's line waits for its head's turn: the head is held in flight for the wait; while it is,
 * SQS hands out nothing more of its group, so the records behind it go back in a second rather
 * than count, for the whole wait, against the 20,000 messages a FIFO queue may have in flight.
 * A paused key's head has its receipt kept with the pause, for a resume to let it go at once.
 */
const waitInPlace = async (
  deps: OrderedLineDeps,
  waiting: readonly LineRecord[],
  turn: Extract<Turn, { kind: 'hold' }>,
): Promise<void> => {
  const [head, ...behind] = waiting;
  if (!head) return;
  await Promise.all([
    deps.line.hold(head.receiptHandle, turn.seconds).catch(() => undefined),
    ...behind.map((r) => deps.line.hold(r.receiptHandle, 1).catch(() => undefined)),
  ]);
  if (!turn.paused) return;
  const { tenantId, webhookId, orderingKey } = turn.paused;
  // Resumed between the look and the note: nobody else will let it go, so it goes now.
  const noted = await deps.pauses
    ?.noteHeld(tenantId, webhookId, orderingKey, [head.receiptHandle])
    .catch(() => true);
  if (noted === false) await deps.line.hold(head.receiptHandle, 1).catch(() => undefined);
};

/**
 * A batch of the ordered line: each key's records one after the other, in the order SQS gave
 * them, and the keys side by side (a key never waits for another). A record that must wait
 * (a retry's delay) is held invisible in its place (`waitInPlace`); it and every later record of
 * its key in the batch are reported as failures, so the mapping deletes none of them, and SQS
 * hands out nothing more of that key until the first comes back. A record whose turn throws leaves
 * itself and the rest of its key for SQS to hand out again after the visibility timeout.
 *
 * @example const { batchItemFailures } = await processLineBatch(deps, records, log, time);
 */
export const processLineBatch = async (
  deps: OrderedLineDeps,
  records: readonly LineRecord[],
  log?: LineLog,
  time?: InvocationTime,
): Promise<LineBatchReport> => {
  const groups = new Map<string, LineRecord[]>();
  for (const record of records) groups.set(record.group, [...(groups.get(record.group) ?? []), record]);
  const failures: { itemIdentifier: string }[] = [];
  await Promise.all(
    [...groups.values()].map(async (line) => {
      for (let i = 0; i < line.length; i++) {
        const record = line[i] as LineRecord;
        if (i > 0 && time && time.remainingMs() < time.turnMs) {
          // Too little time left for another attempt: the rest of the key comes back in a second,
          // rather than with the invocation's timeout (and a repeated attempt) after the
          // visibility timeout.
          const rest = line.slice(i);
          await Promise.all(rest.map((r) => deps.line.hold(r.receiptHandle, 1).catch(() => undefined)));
          for (const r of rest) failures.push({ itemIdentifier: r.messageId });
          return;
        }
        const msg = parseDeliveryMessage(record.body);
        let turn: Turn;
        try {
          turn = msg ? await takeTurn(deps, msg) : { kind: 'done', why: 'not a delivery message' };
        } catch (error) {
          log?.error(record, error);
          for (const rest of line.slice(i)) failures.push({ itemIdentifier: rest.messageId });
          return;
        }
        log?.turn(record, msg, turn);
        if (turn.kind === 'done') continue;
        const waiting = line.slice(i);
        await waitInPlace(deps, waiting, turn);
        for (const rest of waiting) failures.push({ itemIdentifier: rest.messageId });
        return;
      }
    }),
  );
  return { batchItemFailures: failures };
};
