import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type BucketCounts,
  COUNTER_SIZES,
  type CounterSize,
  type DeliveryCounterStore,
  type TimeRange,
} from '@hookrelay/domain';
import { counterPk } from './keys/data-table.js';
import { queryAll } from './paged-query.js';

const COUNTS = ['succeeded', 'failed', 'delivered', 'exhausted'] as const;
/** A latency bin's attribute: `l54` holds the attempts of bin 54. */
const BIN_ATTRIBUTE = /^l(\d+)$/;

const toCounts = (size: CounterSize, item: Record<string, unknown>): BucketCounts => {
  const latency: Record<number, number> = {};
  for (const [name, value] of Object.entries(item)) {
    const bin = BIN_ATTRIBUTE.exec(name)?.[1];
    if (bin !== undefined) latency[Number(bin)] = Number(value);
  }
  return {
    size,
    start: String(item.sk),
    succeeded: Number(item.succeeded ?? 0),
    failed: Number(item.failed ?? 0),
    delivered: Number(item.delivered ?? 0),
    exhausted: Number(item.exhausted ?? 0),
    latency,
    ...(typeof item.last_failure_at === 'string' ? { last_failure_at: item.last_failure_at } : {}),
  };
};

/**
 * Delivery counters in the data table (docs/data-model.md): one small item per webhook, size
 * and bucket, each count an attribute of its own that `ADD` raises, so concurrent batches add
 * up without reading. Only the latency bins an attempt fell in exist, which keeps an item under
 * 1 KB (one write unit) for any realistic spread of durations.
 */
export class DynamoDbDeliveryCounterStore implements DeliveryCounterStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** Hourly counters live as long as the attempts they count; 5-minute ones two days. */
    private readonly options: { readonly retentionDays: number },
  ) {}

  async add(tenantId: string, webhookId: string, counts: BucketCounts): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const adds: string[] = [];
    const add = (name: string, n: number) => {
      if (!(n > 0)) return;
      names[`#${name}`] = name;
      values[`:${name}`] = n;
      adds.push(`#${name} :${name}`);
    };
    for (const name of COUNTS) add(name, counts[name]);
    for (const [bin, n] of Object.entries(counts.latency)) add(`l${bin}`, n);
    if (adds.length === 0) return;
    const { ms, keptMs } = COUNTER_SIZES[counts.size];
    // Kept from the bucket's end, as the attempts it counts are from theirs.
    const expires = Math.floor(
      (Date.parse(counts.start) + ms + (keptMs ?? this.options.retentionDays * 86_400_000)) / 1000,
    );
    const sets = ['expires_at = :expires'];
    values[':expires'] = expires;
    if (counts.last_failure_at) {
      // Batches of the same bucket may land out of order: the time can go back by a batch's
      // length at most, never out of the bucket.
      sets.push('last_failure_at = :lastFailure');
      values[':lastFailure'] = counts.last_failure_at;
    }
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: counterPk(tenantId, webhookId, counts.size), sk: counts.start },
        UpdateExpression: `ADD ${adds.join(', ')} SET ${sets.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async read(
    tenantId: string,
    webhookId: string,
    size: CounterSize,
    range: Required<TimeRange>,
  ): Promise<BucketCounts[]> {
    const last = new Date(Date.parse(range.before) - 1).toISOString();
    if (last < range.after) return [];
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :after AND :last',
      ExpressionAttributeValues: {
        ':pk': counterPk(tenantId, webhookId, size),
        ':after': range.after,
        ':last': last,
      },
    });
    return items.map((item) => toCounts(size, item));
  }
}
