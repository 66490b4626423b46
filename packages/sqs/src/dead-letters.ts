import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  awaitsVerification,
  type Clock,
  type DeadLetter,
  type DeliveryQueue,
  type EventStore,
  iso,
  parseDeliveryMessage,
  type WebhookStore,
} from '@hookrelay/domain';

export interface DeadLetterView {
  readonly message_id: string;
  readonly tenant_id?: string;
  readonly event_id?: string;
  readonly webhook_id?: string;
  readonly attempts?: number;
  readonly last_error?: string;
  readonly last_status_code?: number;
  readonly failed_at?: string;
  readonly reason: string;
  readonly receive_count: number;
}

/**
 * A DLQ message as on-call reads it. `attemptsInMessage`: a delivery queue's message names the
 * attempt it asks for, so a redriven one had made one fewer; the ordered line counts attempts
 * only in the delivery's record, so there the message says nothing about them.
 */
const view = (m: Message, attemptsInMessage: boolean): DeadLetterView => {
  const parsed = parseDeliveryMessage(m.Body ?? '');
  let extra: Partial<DeadLetter> = {};
  try {
    extra = JSON.parse(m.Body ?? '{}') as Partial<DeadLetter>;
  } catch {
    // not JSON: shown with its id only
  }
  return {
    message_id: m.MessageId ?? '',
    ...(parsed
      ? { tenant_id: parsed.tenant_id, event_id: parsed.event_id, webhook_id: parsed.webhook_id }
      : {}),
    ...(extra.attempts !== undefined
      ? { attempts: extra.attempts }
      : parsed && attemptsInMessage
        ? { attempts: parsed.attempt - 1 }
        : {}),
    ...(extra.last_error ? { last_error: extra.last_error } : {}),
    ...(extra.last_status_code !== undefined ? { last_status_code: extra.last_status_code } : {}),
    ...(extra.failed_at ? { failed_at: extra.failed_at } : {}),
    reason: extra.reason ?? (parsed ? 'redriven after repeated processing failures' : 'unreadable'),
    receive_count: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
  };
};

/**
 * Short polling (WaitTimeSeconds 0) samples only some SQS servers, and for a queue of fewer
 * than ~1,000 messages, which a DLQ usually is, it may answer empty while messages wait.
 * A one-second long poll asks every server, so an empty answer means the queue is drained.
 * (A single-process emulator has nothing to sample: 0 is exact there, and quicker.)
 */
export const DEFAULT_DLQ_WAIT_SECONDS = 1;

/** One receive of up to `max` (1–10) DLQ messages, with every system attribute (the group, the receive count). */
export const receiveDeadLetters = async (
  sqs: SQSClient,
  url: string,
  max: number,
  visibility: number,
  waitSeconds: number,
): Promise<Message[]> => {
  const out = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: Math.max(1, Math.min(10, max)),
      VisibilityTimeout: visibility,
      WaitTimeSeconds: Math.max(0, Math.min(20, waitSeconds)),
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return out.Messages ?? [];
};

/**
 * Makes received messages visible again at once. A batch answers per entry: an entry it
 * could not release is an error here, not a silent success, since an engine that drops a
 * message it was asked to release (fauxqs on persistent data did, before its patch) would
 * otherwise leave a peek or a requeue reporting a DLQ it has just emptied.
 */
export const releaseDeadLetters = async (
  sqs: SQSClient,
  url: string,
  messages: readonly Message[],
): Promise<void> => {
  const failed: string[] = [];
  for (let i = 0; i < messages.length; i += 10) {
    const batch = messages.slice(i, i + 10);
    const out = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: batch.map((m, j) => ({
          Id: String(j),
          ReceiptHandle: m.ReceiptHandle ?? '',
          VisibilityTimeout: 0,
        })),
      }),
    );
    for (const f of out.Failed ?? []) {
      failed.push(`${batch[Number(f.Id)]?.MessageId ?? f.Id} (${f.Code ?? 'unknown'})`);
    }
  }
  if (failed.length > 0) {
    throw new Error(`could not make ${failed.length} message(s) visible again: ${failed.join(', ')}`);
  }
};

/**
 * Lists up to `max` DLQ messages without consuming them: each is received with a short
 * visibility timeout and made visible again at once.
 *
 * @example
 * await peekDeadLetters(sqs, dlqUrl, 50) // [{ tenant_id, event_id, attempts, last_error, ... }]
 */
export const peekDeadLetters = async (
  sqs: SQSClient,
  dlqUrl: string,
  max = 100,
  options: { waitTimeSeconds?: number; attemptsInMessage?: boolean } = {},
): Promise<DeadLetterView[]> => {
  const wait = options.waitTimeSeconds ?? DEFAULT_DLQ_WAIT_SECONDS;
  const seen = new Map<string, Message>();
  // Received messages stay invisible until the end, so each receive brings new ones; the
  // `fresh` filter only guards against a receive outliving its 30 s visibility timeout.
  while (seen.size < max) {
    const received = await receiveDeadLetters(sqs, dlqUrl, max - seen.size, 30, wait);
    const fresh = received.filter((m) => !seen.has(m.MessageId ?? ''));
    if (fresh.length === 0) break;
    for (const m of fresh) seen.set(m.MessageId ?? '', m);
  }
  const all = [...seen.values()];
  await releaseDeadLetters(sqs, dlqUrl, all);
  return all.map((m) => view(m, options.attemptsInMessage ?? true));
};

export interface RequeueDeps {
  readonly sqs: SQSClient;
  readonly dlqUrl: string;
  readonly queue: DeliveryQueue;
  readonly events: EventStore;
  /** To leave alone a delivery whose webhook is disabled or gone (a 410, say). */
  readonly webhooks: Pick<WebhookStore, 'get'>;
  readonly clock: Clock;
}

export interface RequeueResult {
  readonly requeued: number;
  readonly failed: number;
}

export interface RequeueOptions {
  /** Messages received per call (1–10). */
  readonly batchSize?: number;
  /** Messages handled in this run at most. */
  readonly maxMessages?: number;
  /** Long-poll wait of each receive (see DEFAULT_DLQ_WAIT_SECONDS). */
  readonly waitTimeSeconds?: number;
  /** Told why a message stayed in the DLQ, so that an operator sees more than a count. */
  readonly onFailure?: (failure: { message_id: string; error: unknown }) => void;
}

/**
 * Moves DLQ messages back to the delivery queue: a FAILED delivery is reopened with a fresh
 * schedule, a still-PENDING one (redriven after crashes) is simply sent again. Each message
 * leaves the DLQ only after its replacement is queued, so a requeue that stops halfway
 * loses nothing; a message whose delivery has since finished is dropped as done.
 *
 * A FAILED delivery whose webhook is disabled (a 410, 5 days failing, the tenant's choice)
 * stays FAILED and its message stays in the DLQ, to be requeued once the webhook is enabled;
 * one whose webhook was deleted can never be made and is dropped, its event left FAILED.
 *
 * `requeued` counts messages sent back and removed from the DLQ; `failed` counts those
 * still in it (unreadable, a step failed, the webhook disabled), made visible again before
 * this returns.
 * A message can be queued twice (send succeeded, delete failed): the worker records each
 * attempt once, so the duplicate is skipped.
 *
 * @example
 * await requeueDeadLetters({ sqs, dlqUrl, queue, events, webhooks, clock }, { batchSize: 10, maxMessages: 100 })
 * // { requeued: 3, failed: 0 }
 */
export const requeueDeadLetters = (deps: RequeueDeps, options: RequeueOptions = {}): Promise<RequeueResult> =>
  drainDeadLetters(deps.sqs, deps.dlqUrl, options, async (m) => {
    const msg = parseDeliveryMessage(m.Body ?? '');
    if (!msg) throw new Error('not a delivery message');
    const now = iso(deps.clock.now());
    const event = await deps.events.get(msg.tenant_id, msg.event_id);
    const delivery = event?.deliveries[msg.webhook_id];
    let current = delivery;
    if (delivery?.status === 'FAILED') {
      const webhook = await deps.webhooks.get(msg.tenant_id, msg.webhook_id);
      if (webhook && !webhook.active) {
        throw new Error(
          `webhook ${msg.webhook_id} is disabled (${webhook.disabled_reason ?? 'by its tenant'}); enable it, then requeue`,
        );
      }
      if (webhook && awaitsVerification(webhook)) {
        throw new Error(
          `webhook ${msg.webhook_id} has not answered its ownership challenge; verify it, then requeue`,
        );
      }
      if (!webhook) current = undefined;
    }
    if (current?.status === 'FAILED') {
      // Reopened before the send: if the send then fails, the delivery is PENDING with a
      // sweep mark, so the sweeper (or the next requeue, which sends PENDING ones) finishes.
      current = (await deps.events.reopen(msg.tenant_id, msg.event_id, 'FAILED', now, [msg.webhook_id]))[0];
    }
    if (current?.status !== 'PENDING') return false;
    const { tenant_id, event_id, webhook_id } = msg;
    await deps.queue.send([
      {
        message: { v: 1, tenant_id, event_id, webhook_id, attempt: current.attempt_count + 1 },
        delaySeconds: 0,
      },
    ]);
    return true;
  });

/**
 * The loop every requeue runs: up to `batchSize` DLQ messages a receive until `maxMessages` are
 * handled or the DLQ answers empty. `move` sends one message on (true) or finds its work done
 * (false); only then is it deleted from the DLQ. One whose `move` or delete throws stays, kept
 * invisible for the rest of the run (so it is not taken twice), then released so that a peek or
 * the next run sees it at once, not a minute later.
 */
export const drainDeadLetters = async (
  sqs: SQSClient,
  dlqUrl: string,
  options: RequeueOptions,
  move: (message: Message) => Promise<boolean>,
): Promise<RequeueResult> => {
  const batchSize = Math.max(1, Math.min(10, options.batchSize ?? 10));
  const maxMessages = Math.max(0, options.maxMessages ?? 100);
  const wait = options.waitTimeSeconds ?? DEFAULT_DLQ_WAIT_SECONDS;
  let requeued = 0;
  let handled = 0;
  // Keyed by id: a run longer than the visibility timeout may receive one again.
  const kept = new Map<string, Message>();
  while (handled < maxMessages) {
    const messages = await receiveDeadLetters(
      sqs,
      dlqUrl,
      Math.min(batchSize, maxMessages - handled),
      60,
      wait,
    );
    if (messages.length === 0) break;
    for (const m of messages) {
      handled++;
      const id = m.MessageId ?? '';
      try {
        const sent = await move(m);
        await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: m.ReceiptHandle ?? '' }));
        kept.delete(id);
        if (sent) requeued++;
      } catch (error) {
        kept.set(id, m);
        options.onFailure?.({ message_id: id, error });
      }
    }
  }
  await releaseDeadLetters(sqs, dlqUrl, [...kept.values()]).catch(() => undefined);
  return { requeued, failed: kept.size };
};
