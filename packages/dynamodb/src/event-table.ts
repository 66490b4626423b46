import {
  type DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { type BatchReader, batchGet } from './batch-reader.js';
import { createdAtOfId, type Item, type Key, keyParts } from './event-item.js';
import { writeIf } from './expressions.js';
import { eventAliasKey, eventKey, SWEEP_MARK_KEY } from './keys/data-table.js';

export interface EventTableOptions {
  /** How long records live before DynamoDB's TTL removes them. */
  readonly retentionDays: number;
  /** Reads an event by key through it, gathered with the other reads of the same moment. */
  readonly reader?: BatchReader;
}

/** Events whose creation time this table remembers, so a write after a read finds the key. */
const KNOWN_EVENTS_MAX = 10_000;
/** How long a PENDING list trusts the sweeper's mark it read (the mark only moves forward). */
const SWEPT_MARK_CACHE_MS = 10_000;

/**
 * The events of the data table as every side of the event store reaches them: where each event
 * lives (an event's key holds its creation time, which its id may not tell), remembered across
 * the sides of one function instance, and the sweeper's mark. Strongly consistent reads.
 *
 * @example
 * const table = new EventTable(db, 'data', { retentionDays: 30 });
 * const item = await table.find('t1', 'evt_1'); // the event's item, wherever its key puts it
 */
export class EventTable {
  /** Creation times of the events this instance has written or read (`tenant\0event`). */
  private readonly known = new Map<string, string>();
  private sweptMark?: { value: number; readAt: number };

  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly name: string,
    private readonly options: EventTableOptions,
  ) {}

  /** When an item written now for something that happened at `fromIso` expires (epoch seconds). */
  expiresAt(fromIso: string): number {
    return Math.floor(Date.parse(fromIso) / 1000) + this.options.retentionDays * 86_400;
  }

  remember(tenantId: string, eventId: string, createdAt: string): void {
    const id = `${tenantId}\u0000${eventId}`;
    if (this.known.get(id) === createdAt) return;
    if (this.known.size >= KNOWN_EVENTS_MAX) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
    this.known.set(id, createdAt);
  }

  private async read(key: Key): Promise<Item | undefined> {
    if (this.options.reader) return this.options.reader.get(this.name, key, { consistent: true });
    const out = await this.db.send(new GetCommand({ TableName: this.name, Key: key, ConsistentRead: true }));
    return out.Item;
  }

  /**
   * An event's item: where this table last saw it, else where its id's time says (ids made by
   * `newId`), else through its alias (a client's own id). Strongly consistent.
   */
  async find(tenantId: string, eventId: string): Promise<Item | undefined> {
    const tried = new Set<string>();
    const at = async (createdAt: string | undefined): Promise<Item | undefined> => {
      if (createdAt === undefined || tried.has(createdAt)) return undefined;
      tried.add(createdAt);
      return this.read(eventKey(tenantId, eventId, createdAt));
    };
    const item =
      (await at(this.known.get(`${tenantId}\u0000${eventId}`))) ??
      (await at(createdAtOfId(eventId))) ??
      (await at((await this.read(eventAliasKey(tenantId, eventId)))?.created_at as string | undefined));
    if (item) this.remember(tenantId, eventId, keyParts(item).created_at);
    return item;
  }

  /** An event's key, without a read when this table has seen the event. */
  async keyOf(tenantId: string, eventId: string): Promise<Key | undefined> {
    const known = this.known.get(`${tenantId}\u0000${eventId}`);
    if (known !== undefined) return eventKey(tenantId, eventId, known);
    const item = await this.find(tenantId, eventId);
    return item ? { pk: String(item.pk), sk: String(item.sk) } : undefined;
  }

  /** Updates an event's item where it is, when the update's condition holds; else nothing. */
  async updateIf(
    tenantId: string,
    eventId: string,
    update: Omit<UpdateCommandInput, 'TableName' | 'Key'>,
  ): Promise<void> {
    const key = await this.keyOf(tenantId, eventId);
    if (!key) return;
    await writeIf(this.db, new UpdateCommand({ TableName: this.name, Key: key, ...update }));
  }

  /** Items by key, in requests of up to 100 keys; what DynamoDB leaves unprocessed is asked again. */
  readMany(keys: readonly Key[], consistent = true): Promise<Item[]> {
    return batchGet(this.db, this.name, keys, consistent);
  }

  /**
   * Every PENDING event created before this (epoch ms) is in the status index: the sweeper's
   * last run found every message queued before it taken long enough ago. 0 before any run.
   */
  async sweptBefore(): Promise<number> {
    const now = Date.now();
    if (this.sweptMark && now - this.sweptMark.readAt < SWEPT_MARK_CACHE_MS) return this.sweptMark.value;
    const out = await this.db.send(new GetCommand({ TableName: this.name, Key: { ...SWEEP_MARK_KEY } }));
    const value = Number(out.Item?.indexed_before ?? 0);
    this.sweptMark = { value, readAt: now };
    return value;
  }

  /** The sweeper's mark moved to `indexedBeforeMs`: a cached older one is read again. */
  markMoved(indexedBeforeMs: number): void {
    if (this.sweptMark && this.sweptMark.value < indexedBeforeMs) this.sweptMark = undefined;
  }
}
