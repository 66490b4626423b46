import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  type Clock,
  type DeadLetter,
  type DeliveryQueue,
  type EventStore,
  iso,
  parseDeliveryMessage,
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

const view = (m: Message): DeadLetterView => {
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
      : parsed
        ? { attempts: parsed.attempt - 1 }
        : {}),
    ...(extra.last_error ? { last_error: extra.last_error } : {}),
    ...(extra.last_status_code !== undefined ? { last_status_code: extra.last_status_code } : {}),
    ...(extra.failed_at ? { failed_at: extra.failed_at } : {}),
    reason: extra.reason ?? (parsed ? 'redriven after repeated processing failures' : 'unreadable'),
    receive_count: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
  };
};

const receive = (sqs: SQSClient, url: string, max: number, visibility: number) =>
  sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: Math.max(1, Math.min(10, max)),
      VisibilityTimeout: visibility,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['All'],
    }),
  );

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
): Promise<DeadLetterView[]> => {
  const seen = new Map<string, Message>();
  let empty = 0;
  while (seen.size < max && empty < 2) {
    const out = await receive(sqs, dlqUrl, max - seen.size, 30);
    const fresh = (out.Messages ?? []).filter((m) => !seen.has(m.MessageId ?? ''));
    if (fresh.length === 0) empty++;
    for (const m of fresh) seen.set(m.MessageId ?? '', m);
  }
  const all = [...seen.values()];
  for (let i = 0; i < all.length; i += 10) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: dlqUrl,
        Entries: all
          .slice(i, i + 10)
          .map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle ?? '', VisibilityTimeout: 0 })),
      }),
    );
  }
  return all.map(view);
};

export interface RequeueDeps {
  readonly sqs: SQSClient;
  readonly dlqUrl: string;
  readonly queue: DeliveryQueue;
  readonly events: EventStore;
  readonly clock: Clock;
}

export interface RequeueResult {
  readonly requeued: number;
  readonly failed: number;
}

/**
 * Moves DLQ messages back to the delivery queue: a FAILED delivery is reopened with a fresh
 * schedule, a still-PENDING one (redriven after crashes) is simply sent again. Each message
 * leaves the DLQ only after its replacement is queued, so a requeue that stops halfway
 * loses nothing; a message whose delivery has since finished is dropped as done.
 */
export const requeueDeadLetters = async (
  deps: RequeueDeps,
  options: { batchSize?: number; maxMessages?: number } = {},
): Promise<RequeueResult> => {
  const batchSize = Math.max(1, Math.min(10, options.batchSize ?? 10));
  const maxMessages = Math.max(0, options.maxMessages ?? 100);
  let requeued = 0;
  let failed = 0;
  let handled = 0;
  while (handled < maxMessages) {
    const out = await receive(deps.sqs, deps.dlqUrl, Math.min(batchSize, maxMessages - handled), 60);
    const messages = out.Messages ?? [];
    if (messages.length === 0) break;
    for (const m of messages) {
      handled++;
      try {
        const msg = parseDeliveryMessage(m.Body ?? '');
        if (!msg) throw new Error('not a delivery message');
        const now = iso(deps.clock.now());
        const event = await deps.events.get(msg.tenant_id, msg.event_id);
        const delivery = event?.deliveries[msg.webhook_id];
        let current = delivery;
        if (delivery?.status === 'FAILED') {
          current = (
            await deps.events.reopen(msg.tenant_id, msg.event_id, 'FAILED', now, [msg.webhook_id])
          )[0];
        }
        if (current?.status === 'PENDING') {
          await deps.queue.send([
            {
              message: {
                v: 1,
                tenant_id: msg.tenant_id,
                event_id: msg.event_id,
                webhook_id: msg.webhook_id,
                attempt: current.attempt_count + 1,
                round: current.round_attempts,
              },
              delaySeconds: 0,
            },
          ]);
          requeued++;
        }
        await deps.sqs.send(
          new DeleteMessageCommand({ QueueUrl: deps.dlqUrl, ReceiptHandle: m.ReceiptHandle ?? '' }),
        );
      } catch {
        failed++;
      }
    }
  }
  return { requeued, failed };
};
