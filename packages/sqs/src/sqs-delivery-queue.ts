import { createHash } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type QueueAttributeName,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type {
  ChallengeMessage,
  ChallengeQueue,
  DeadLetter,
  DeliveryMessage,
  DeliveryQueue,
  Lane,
  OutgoingMessage,
  QueueDepth,
  QueueDepths,
} from '@hookrelay/domain';

/** SQS allows a message to wait at most 15 minutes before it becomes visible. */
const MAX_SQS_DELAY_SECONDS = 900;

/**
 * The fair-queue group of a message: on a standard queue SQS serves the groups with the least
 * backlog first. On `main` that is the tenant (one tenant's burst does not starve the others);
 * on `slow` the endpoint (one dead endpoint does not starve a merely slow one).
 */
const messageGroupOf = (message: DeliveryMessage, lane: Lane): string =>
  lane === 'slow' ? message.webhook_id : message.tenant_id;

type Outgoing = OutgoingMessage;

/**
 * The deduplication id of an ordered message: one per delivery, so a send retried within SQS's
 * five-minute window does not put the delivery in its line twice.
 */
const orderedDeduplicationId = (message: DeliveryMessage): string =>
  createHash('sha256')
    .update(`${message.tenant_id}\n${message.event_id}\n${message.webhook_id}`)
    .digest('hex');

interface Gathered {
  readonly outgoing: Outgoing;
  readonly done: (error?: unknown) => void;
}

/**
 * The delivery queues (one per lane) and their DLQ. Sends go out in batches of ten per lane;
 * any entry SQS does not accept makes `send` throw, so callers never believe a message was
 * queued when it was not. Without a slow queue, everything goes to the main one.
 *
 * With `gather`, sends and releases made in the same turn of the event loop (a worker's batch
 * handing several messages back at once) share `SendMessageBatch` and `DeleteMessageBatch`
 * requests; each caller still hears only of its own messages.
 */
export class SqsDeliveryQueue implements DeliveryQueue, ChallengeQueue {
  private sends: Gathered[] = [];
  private releases: { lane: Lane; receiptHandle: string }[] = [];
  private flushing = false;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    /** Only the worker dead-letters; the other functions are given no DLQ (nor a grant on it). */
    private readonly dlqUrl: string | undefined,
    private readonly slowQueueUrl?: string,
    private readonly options: {
      gather?: boolean;
      /** The ordered line (FIFO); a message with a `group` and no such queue is refused. */
      orderedQueueUrl?: string;
    } = {},
  ) {}

  private urlOf(lane: Lane | undefined): string {
    return lane === 'slow' && this.slowQueueUrl ? this.slowQueueUrl : this.queueUrl;
  }

  private urlOfOutgoing(outgoing: Outgoing): string {
    if (outgoing.group === undefined) return this.urlOf(outgoing.lane);
    if (!this.options.orderedQueueUrl) throw new Error('this function has no ordered queue');
    return this.options.orderedQueueUrl;
  }

  /** A batch entry: on the ordered line, in its group with its deduplication id and no delay. */
  private entryOf(outgoing: Outgoing, lane: Lane, id: string) {
    const { message, delaySeconds, group } = outgoing;
    if (group !== undefined) {
      return {
        Id: id,
        MessageBody: JSON.stringify(message),
        MessageGroupId: group,
        MessageDeduplicationId: orderedDeduplicationId(message),
      };
    }
    return {
      Id: id,
      MessageBody: JSON.stringify(message),
      DelaySeconds: Math.min(MAX_SQS_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds))),
      MessageGroupId: messageGroupOf(message, lane),
    };
  }

  async send(messages: readonly Outgoing[]): Promise<void> {
    if (!this.options.gather) {
      await this.sendNow(
        messages.map((outgoing) => ({ outgoing, done: () => undefined })),
        true,
      );
      return;
    }
    await Promise.all(
      messages.map(
        (outgoing) =>
          new Promise<void>((resolve, reject) => {
            this.sends.push({ outgoing, done: (error) => (error ? reject(error) : resolve()) });
            this.schedule();
          }),
      ),
    );
  }

  /**
   * Deletes a message taken from a lane's queue before its batch ends: one the worker has
   * just queued again (handed back, forwarded), so that it is never queued twice over while
   * the rest of its batch runs. The event source mapping deletes it again at the end of the
   * batch, which changes nothing. Best effort: the batch's end deletes it anyway.
   */
  async release(lane: Lane, receiptHandle: string): Promise<void> {
    this.releases.push({ lane, receiptHandle });
    this.schedule();
  }

  private schedule(): void {
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      const sends = this.sends;
      const releases = this.releases;
      this.sends = [];
      this.releases = [];
      if (sends.length > 0) void this.sendNow(sends, false);
      for (const lane of ['main', 'slow'] as const) {
        const handles = releases.filter((r) => r.lane === lane);
        for (let i = 0; i < handles.length; i += 10) {
          void this.sqs
            .send(
              new DeleteMessageBatchCommand({
                QueueUrl: this.urlOf(lane),
                Entries: handles
                  .slice(i, i + 10)
                  .map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle })),
              }),
            )
            .catch(() => undefined);
        }
      }
    });
  }

  /**
   * Sends in batches of ten per lane. `strict`: the first refusal throws (a caller's own
   * batch); otherwise each gathered message's caller is told of its own outcome.
   */
  private async sendNow(gathered: readonly Gathered[], strict: boolean): Promise<void> {
    const byUrl = new Map<string, Gathered[]>();
    for (const g of gathered) {
      let url: string;
      try {
        url = this.urlOfOutgoing(g.outgoing);
      } catch (error) {
        if (strict) throw error;
        g.done(error);
        continue;
      }
      byUrl.set(url, [...(byUrl.get(url) ?? []), g]);
    }
    for (const [queueUrl, list] of byUrl) {
      const lane: Lane = queueUrl === this.queueUrl ? 'main' : 'slow';
      for (let i = 0; i < list.length; i += 10) {
        const chunk = list.slice(i, i + 10);
        let failed = new Map<string, string>();
        try {
          const out = await this.sqs.send(
            new SendMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: chunk.map(({ outgoing }, j) => this.entryOf(outgoing, lane, String(j))),
            }),
          );
          failed = new Map((out.Failed ?? []).map((f) => [f.Id ?? '', f.Code ?? 'refused']));
        } catch (error) {
          if (strict) throw error;
          for (const g of chunk) g.done(error);
          continue;
        }
        if (strict && failed.size > 0) {
          throw new Error(
            `SQS refused ${failed.size} of ${chunk.length} messages: ${[...failed.values()][0]}`,
          );
        }
        chunk.forEach((g, j) => {
          const code = failed.get(String(j));
          g.done(code ? new Error(`SQS refused the message: ${code}`) : undefined);
        });
      }
    }
  }

  /** A challenge retry, on the main lane in its tenant's fair-queue group. */
  async sendChallenge(message: ChallengeMessage, delaySeconds: number): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        DelaySeconds: Math.min(MAX_SQS_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds))),
        MessageGroupId: message.tenant_id,
      }),
    );
  }

  async deadLetter(message: DeadLetter): Promise<void> {
    if (!this.dlqUrl) throw new Error('this function has no dead-letter queue');
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.dlqUrl, MessageBody: JSON.stringify(message) }),
    );
  }
}

/** Each lane's queue depth, from SQS's approximate counts. */
export class SqsQueueDepths implements QueueDepths {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrls: Readonly<Partial<Record<Lane, string>>>,
  ) {}

  async depths(): Promise<QueueDepth[]> {
    const lanes = Object.entries(this.queueUrls).filter((e): e is [Lane, string] => Boolean(e[1]));
    return Promise.all(
      lanes.map(async ([lane, queueUrl]) => {
        const out = await this.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queueUrl,
            AttributeNames: [
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
              'ApproximateNumberOfMessagesDelayed',
            ],
          }),
        );
        const n = (name: QueueAttributeName) => Number(out.Attributes?.[name] ?? 0);
        return {
          lane,
          visible: n('ApproximateNumberOfMessages'),
          inFlight: n('ApproximateNumberOfMessagesNotVisible'),
          delayed: n('ApproximateNumberOfMessagesDelayed'),
        };
      }),
    );
  }
}
