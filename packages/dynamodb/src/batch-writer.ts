import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;

interface Pending {
  readonly table: string;
  readonly item: Item;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** BatchWriteItem takes at most 25 items. */
const MAX_ITEMS = 25;
/** Rounds for items DynamoDB leaves unprocessed (throttling) before the write fails. */
const MAX_ROUNDS = 8;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Gathers unconditional puts made within `lingerMs` of each other into `BatchWriteItem`
 * calls of up to 25 items. The attempts of a worker's batch finish a few milliseconds apart;
 * written together they cost the same write units in a fraction of the requests. Each `put`
 * resolves once its own item is written, so a caller that goes on only after it (the worker
 * claims an attempt only once the attempt is recorded) keeps its order.
 *
 * Two puts of one key in the same request are written as the later one.
 * Items DynamoDB leaves unprocessed are written again with a growing pause; a batch that
 * still fails rejects the puts it held.
 *
 * @example
 * const writer = new BatchWriter(db, 5);
 * await Promise.all(attempts.map((a) => writer.put('data', a))); // one request for ten
 */
export class BatchWriter {
  private queued: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly lingerMs = 5,
    /** The tables' key attributes: two puts of one key in a request are refused by DynamoDB. */
    private readonly keyNames: readonly string[] = ['pk', 'sk'],
  ) {}

  put(table: string, item: Item): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queued.push({ table, item, resolve, reject });
      if (this.queued.length >= MAX_ITEMS) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.lingerMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const chunk = this.queued.splice(0, MAX_ITEMS);
    if (this.queued.length > 0) this.timer = setTimeout(() => this.flush(), 0);
    if (chunk.length === 0) return;
    this.write(chunk).then(
      () => {
        for (const p of chunk) p.resolve();
      },
      (error: unknown) => {
        for (const p of chunk) p.reject(error);
      },
    );
  }

  private async write(chunk: readonly Pending[]): Promise<void> {
    // DynamoDB refuses a request that names one key twice; of two puts of one key (a delivery
    // handed out twice), the later is what a write of both in turn would leave.
    const last = new Map<string, Pending>();
    for (const p of chunk)
      last.set(`${p.table}\u0000${JSON.stringify(this.keyNames.map((k) => p.item[k]))}`, p);
    let request: Record<string, { PutRequest: { Item: Item } }[]> = {};
    for (const p of last.values()) {
      request[p.table] = [...(request[p.table] ?? []), { PutRequest: { Item: p.item } }];
    }
    for (let round = 0; Object.keys(request).length > 0; round++) {
      if (round >= MAX_ROUNDS) throw new Error('BatchWriteItem left items unprocessed after retries');
      if (round > 0) await sleep(Math.min(1_000, 25 * 2 ** round));
      const out = await this.db.send(new BatchWriteCommand({ RequestItems: request }));
      request = {};
      for (const [table, left] of Object.entries(out.UnprocessedItems ?? {})) {
        const puts = left.flatMap((r) =>
          r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
        );
        if (puts.length > 0) request[table] = puts;
      }
    }
  }
}
