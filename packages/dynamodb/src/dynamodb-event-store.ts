import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { EVENT_INDEX_SHARDS, INDEX } from '@hookrelay/definitions';
import {
  type Attempt,
  type AttemptPage,
  type ClaimResult,
  ConflictError,
  type Delivery,
  type DeliveryStatus,
  type DeliveryUpdate,
  EVENT_STATUSES,
  type EventFilter,
  type EventPage,
  type EventStatus,
  type EventStore,
  type EventSummary,
  eventStatusOf,
  type NewEvent,
  type StaleEvent,
  type StoredEvent,
  type SweepStore,
  type TimeRange,
  ValidationError,
} from '@hookrelay/domain';
import type { BatchReader } from './batch-reader.js';
import type { BatchWriter } from './batch-writer.js';
import type { CursorCodec } from './cursor.js';
import { isConditionFailure } from './expressions.js';
import {
  ATTEMPT_PREFIX,
  attemptIndexSk,
  attemptSk,
  attemptsByWebhookPk,
  EVENT_SK,
  eventIndexSk,
  eventPk,
  eventShard,
  eventsByStatusPk,
  eventsByTimePk,
  SWEEP_MARK_PK,
  SWEEP_MARK_SK,
  sweepPk,
  sweepShardPk,
} from './keys.js';

export interface EventStoreOptions {
  /** How long records live before DynamoDB's TTL removes them. */
  readonly retentionDays: number;
  /** How long past its due time a pending delivery may go unseen before the sweeper acts. */
  readonly sweepGraceMs: number;
  /** Reads an event by key through it, gathered with the other reads of the same moment. */
  readonly reader?: BatchReader;
  /** Writes attempts through it, gathered with the other attempts of the same moment. */
  readonly writer?: BatchWriter;
}

/** How long a PENDING list trusts the sweeper's mark it read (the mark only moves forward). */
const SWEPT_MARK_CACHE_MS = 10_000;

type Item = Record<string, unknown>;
type ShardPositions = Record<string, string | null>;

/**
 * The sparse status index holds what people filter for: FAILED, CANCELLED, and PENDING events
 * that have been attempted, held back or reopened. DELIVERED events, and PENDING ones no worker
 * has touched yet, cost it no write (docs/data-model.md).
 */
const statusIndexPk = (tenantId: string, status: EventStatus, eventId: string): string | undefined =>
  status === 'DELIVERED' ? undefined : eventsByStatusPk(tenantId, status, eventShard(eventId));

/**
 * The greatest key below `key` that matters here (keys are ASCII): BETWEEN includes its upper
 * end, and a page must start strictly below the last key shown.
 */
const justBelow = (key: string): string =>
  `${key.slice(0, -1)}${String.fromCharCode(key.charCodeAt(key.length - 1) - 1)}\uffff`;

/** A time range's part of a cursor's scope: nothing without one, so older cursors stay valid. */
const rangeScope = (range?: TimeRange): string =>
  range && (range.after || range.before) ? `|${range.after ?? '*'}|${range.before ?? '*'}` : '';

const shardList = (): number[] => Array.from({ length: EVENT_INDEX_SHARDS }, (_, shard) => shard);

/** One source of a list page: a partition of an index, read newest first. */
interface Stream {
  readonly key: string;
  readonly index: string;
  readonly pkName: string;
  readonly skName: string;
  readonly pk: string;
  /** Only entries sorting above this (the time listing's lower bound for PENDING). */
  readonly above?: string;
  readonly filter?: { expression: string; names: Record<string, string>; values: Item };
}

const toEvent = (item: Item): StoredEvent => ({
  tenant_id: item.tenant_id as string,
  event_id: item.event_id as string,
  type: item.type as string,
  data: JSON.parse(item.payload as string) as unknown,
  status: item.status as EventStatus,
  created_at: item.created_at as string,
  updated_at: item.updated_at as string,
  deliveries: (item.deliveries as Record<string, Delivery>) ?? {},
});

const toSummary = (item: Item): EventSummary => ({
  event_id: item.event_id as string,
  type: item.type as string,
  status: item.status as EventStatus,
  created_at: item.created_at as string,
  delivery_count: Number(item.delivery_count ?? 0),
});

const toAttempt = (item: Item): Attempt => {
  const { pk: _p, sk: _s, gsi3pk: _g, gsi3sk: _h, expires_at: _e, tenant_id: _t, ...rest } = item;
  return rest as unknown as Attempt;
};

/**
 * Events with their deliveries embedded (one item, one atomic write at ingest), and one
 * item per attempt. Listing indexes are spread over EVENT_INDEX_SHARDS partitions per
 * tenant (docs/data-model.md); a list reads every shard and merges them.
 */
export class DynamoDbEventStore implements EventStore, SweepStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly cursors: CursorCodec,
    private readonly options: EventStoreOptions,
  ) {}

  private expiresAt(fromIso: string): number {
    return Math.floor(Date.parse(fromIso) / 1000) + this.options.retentionDays * 86_400;
  }

  async create(event: NewEvent): Promise<boolean> {
    const deliveries: Record<string, Delivery> = {};
    for (const id of event.webhook_ids) {
      deliveries[id] = {
        webhook_id: id,
        status: 'PENDING',
        attempt_count: 0,
        round_attempts: 0,
        next_attempt_at: event.created_at,
        updated_at: event.created_at,
      };
    }
    const status = eventStatusOf(Object.values(deliveries));
    const shard = eventShard(event.event_id);
    const indexSk = eventIndexSk(event.created_at, event.event_id);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: eventPk(event.tenant_id, event.event_id),
            sk: EVENT_SK,
            tenant_id: event.tenant_id,
            event_id: event.event_id,
            type: event.type,
            payload: JSON.stringify(event.data),
            status,
            created_at: event.created_at,
            updated_at: event.created_at,
            delivery_count: event.webhook_ids.length,
            deliveries,
            gsi1pk: eventsByTimePk(event.tenant_id, shard),
            gsi1sk: indexSk,
            // No status index entry: a new event is PENDING (found through the time listing
            // until a worker touches it) or DELIVERED (never indexed).
            gsi2sk: indexSk,
            expires_at: this.expiresAt(event.created_at),
            // No sweep mark: the event's messages were sent before this write (EVENT_COMMIT_WINDOW_MS).
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async getItem(tenantId: string, eventId: string): Promise<Item | undefined> {
    const key = { pk: eventPk(tenantId, eventId), sk: EVENT_SK };
    if (this.options.reader) return this.options.reader.get(this.table, key, { consistent: true });
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    return out.Item;
  }

  async get(tenantId: string, eventId: string): Promise<StoredEvent | undefined> {
    const item = await this.getItem(tenantId, eventId);
    return item ? toEvent(item) : undefined;
  }

  async getWithAttempts(
    tenantId: string,
    eventId: string,
  ): Promise<{ event: StoredEvent; attempts: Attempt[] } | undefined> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': eventPk(tenantId, eventId) },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    const head = items.find((i) => i.sk === EVENT_SK);
    if (!head) return undefined;
    const attempts = items.filter((i) => String(i.sk).startsWith(ATTEMPT_PREFIX)).map(toAttempt);
    attempts.sort((a, b) => a.attempted_at.localeCompare(b.attempted_at) || a.attempt - b.attempt);
    return { event: toEvent(head), attempts };
  }

  async list(tenantId: string, filter: EventFilter): Promise<EventPage> {
    const { created } = filter;
    const scope = `${filter.status ?? '*'}|${filter.type ?? '*'}${rangeScope(created)}`;
    const positions = this.positionsFrom(tenantId, scope, filter.cursor, 'a list with other filters');
    const streams = await this.streamsFor(tenantId, filter.status, filter.type);
    const page = await this.page(tenantId, scope, streams, positions, filter.limit, created);
    return { events: page.items.map(toSummary), next_cursor: page.next_cursor };
  }

  /**
   * Where each stream of a list stopped, from a cursor made for the same list (`scope`); `other`
   * names what a cursor of another scope belongs to (a cursor whose scope starts alike differs only
   * in its filters).
   */
  private positionsFrom(
    tenantId: string,
    scope: string,
    cursor: string | undefined,
    other: string,
    samePrefix?: string,
  ) {
    const decoded = cursor
      ? this.cursors.decode<{ scope: string; pos: ShardPositions }>(tenantId, cursor)
      : undefined;
    if (decoded && decoded.scope !== scope) {
      if (
        samePrefix !== undefined &&
        (decoded.scope === samePrefix || decoded.scope.startsWith(`${samePrefix}|`))
      )
        other = 'a list with other filters';
      throw new ValidationError(`The cursor belongs to ${other}.`, [
        { field: 'cursor', message: `belongs to ${other}` },
      ]);
    }
    return decoded?.pos ?? {};
  }

  /**
   * One page of a list read from several partitions at once, newest first: each stream is read
   * from where the cursor left it, the results are merged by sort key, and the next cursor
   * remembers, per stream, the last key shown (null once a stream is exhausted).
   */
  private async page(
    tenantId: string,
    scope: string,
    streams: readonly Stream[],
    positions: ShardPositions,
    limit: number,
    range: TimeRange = {},
  ): Promise<{ items: Item[]; next_cursor: string | null }> {
    const perStream = await Promise.all(
      streams.map(async (stream) => {
        const at = positions[stream.key];
        if (at === null) return { stream, items: [] as Item[], more: false };
        // Sort keys start with a time (`${t}#...` sorts after `t`), so a range [after, before)
        // narrows the same bounds a cursor's position and a stream's lower end set.
        const position = [at || undefined, range.before]
          .filter((b): b is string => b !== undefined)
          .sort()[0];
        const above = [stream.above, range.after]
          .filter((b): b is string => b !== undefined)
          .sort()
          .at(-1);
        if (position !== undefined && above !== undefined && above >= position)
          return { stream, items: [] as Item[], more: false };
        const bounds = [
          ...(position ? ['#sk < :after'] : []),
          ...(above !== undefined ? ['#sk > :above'] : []),
        ];
        const input: QueryCommandInput = {
          TableName: this.table,
          IndexName: stream.index,
          KeyConditionExpression:
            bounds.length === 2
              ? '#pk = :pk AND #sk BETWEEN :above AND :after'
              : bounds.length === 1
                ? `#pk = :pk AND ${bounds[0]}`
                : '#pk = :pk',
          ExpressionAttributeNames: {
            '#pk': stream.pkName,
            ...(bounds.length ? { '#sk': stream.skName } : {}),
            ...stream.filter?.names,
          },
          ExpressionAttributeValues: {
            ':pk': stream.pk,
            ...(position ? { ':after': bounds.length === 2 ? justBelow(position) : position } : {}),
            ...(above !== undefined ? { ':above': above } : {}),
            ...stream.filter?.values,
          },
          ...(stream.filter ? { FilterExpression: stream.filter.expression } : {}),
          ScanIndexForward: false,
          Limit: limit,
        };
        const out = await this.db.send(new QueryCommand(input));
        const last = out.LastEvaluatedKey?.[stream.skName] as string | undefined;
        // BETWEEN includes its lower end too: the bound itself is not above it.
        const items = (out.Items ?? []).filter(
          (item) => above === undefined || (item[stream.skName] as string) > above,
        );
        return { stream, items, more: last !== undefined, last };
      }),
    );

    const merged = perStream
      .flatMap((r) =>
        r.items.map((item) => ({ key: r.stream.key, item, sk: item[r.stream.skName] as string })),
      )
      .sort((a, b) => (a.sk < b.sk ? 1 : a.sk > b.sk ? -1 : 0));
    // A stream cut short (by its Limit, before a filter) may hold unread entries just below
    // where it stopped: nothing below the highest such point is shown yet, so pages stay in order.
    const threshold = perStream.reduce(
      (high, r) => (r.more && r.last !== undefined && r.last > high ? r.last : high),
      '',
    );
    const taken = merged.filter((m) => m.sk >= threshold).slice(0, limit);
    const next: ShardPositions = { ...positions };
    let anyLeft = false;
    for (const r of perStream) {
      const key = r.stream.key;
      if (positions[key] === null) continue;
      const mine = taken.filter((t) => t.key === key);
      const allTaken = mine.length === r.items.length;
      if (!allTaken) {
        next[key] = mine.length > 0 ? (mine[mine.length - 1]?.sk ?? null) : (positions[key] ?? '\uffff');
        anyLeft = true;
      } else if (r.more) {
        next[key] = r.last ?? null;
        anyLeft = true;
      } else {
        next[key] = null;
      }
    }
    return {
      items: taken.map((t) => t.item),
      next_cursor: anyLeft ? this.cursors.encode(tenantId, { scope, pos: next }) : null,
    };
  }

  /**
   * Where a list reads from. FAILED and CANCELLED: the status index. DELIVERED (not indexed) and
   * no status: the time listing. PENDING: the status index, plus the time listing back to the
   * sweeper's mark for events no one has touched yet (those not in the status index).
   */
  private async streamsFor(tenantId: string, status?: EventStatus, type?: string): Promise<Stream[]> {
    const shards = shardList();
    const typeFilter = type
      ? { expression: '#type = :type', names: { '#type': 'type' }, values: { ':type': type } }
      : undefined;
    const byTime = (shard: number, key: string, extra?: Stream['filter'], above?: string): Stream => {
      const parts = [typeFilter, extra].filter((f): f is NonNullable<Stream['filter']> => f !== undefined);
      return {
        key,
        index: INDEX.eventsByTime,
        pkName: 'gsi1pk',
        skName: 'gsi1sk',
        pk: eventsByTimePk(tenantId, shard),
        ...(above !== undefined ? { above } : {}),
        ...(parts.length
          ? {
              filter: {
                expression: parts.map((f) => f.expression).join(' AND '),
                names: Object.assign({}, ...parts.map((f) => f.names)),
                values: Object.assign({}, ...parts.map((f) => f.values)),
              },
            }
          : {}),
      };
    };
    const byStatus = (shard: number, indexed: EventStatus): Stream => ({
      key: `s${shard}`,
      index: INDEX.eventsByStatus,
      pkName: 'gsi2pk',
      skName: 'gsi2sk',
      pk: eventsByStatusPk(tenantId, indexed, shard),
      ...(typeFilter ? { filter: typeFilter } : {}),
    });
    if (status === undefined) return shards.map((shard) => byTime(shard, `${shard}`));
    if (status === 'DELIVERED') {
      const delivered = {
        expression: '#status = :status',
        names: { '#status': 'status' },
        values: { ':status': 'DELIVERED' },
      };
      return shards.map((shard) => byTime(shard, `${shard}`, delivered));
    }
    if (status !== 'PENDING') return shards.map((shard) => byStatus(shard, status));
    const untouched = {
      expression: '#status = :status AND attribute_not_exists(gsi2pk)',
      names: { '#status': 'status' },
      values: { ':status': 'PENDING' },
    };
    const above = new Date(await this.sweptBefore()).toISOString();
    return [
      ...shards.map((shard) => byStatus(shard, 'PENDING')),
      ...shards.map((shard) => byTime(shard, `t${shard}`, untouched, above)),
    ];
  }

  private sweptMark?: { value: number; readAt: number };

  /**
   * Every PENDING event created before this (epoch ms) is in the status index: the sweeper's
   * last run found every message queued before it taken long enough ago. 0 before any run.
   */
  private async sweptBefore(): Promise<number> {
    const now = Date.now();
    if (this.sweptMark && now - this.sweptMark.readAt < SWEPT_MARK_CACHE_MS) return this.sweptMark.value;
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: SWEEP_MARK_PK, sk: SWEEP_MARK_SK } }),
    );
    const value = Number(out.Item?.indexed_before ?? 0);
    this.sweptMark = { value, readAt: now };
    return value;
  }

  async markSwept(indexedBeforeMs: number): Promise<void> {
    await this.db
      .send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: SWEEP_MARK_PK, sk: SWEEP_MARK_SK, indexed_before: indexedBeforeMs },
          ConditionExpression: 'attribute_not_exists(pk) OR indexed_before < :mark',
          ExpressionAttributeValues: { ':mark': indexedBeforeMs },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
    if (this.sweptMark && this.sweptMark.value < indexedBeforeMs) this.sweptMark = undefined;
  }

  async claimAttempt(
    tenantId: string,
    eventId: string,
    webhookId: string,
    update: DeliveryUpdate,
    seen?: StoredEvent,
  ): Promise<ClaimResult> {
    const atMs = Date.parse(update.at);
    const nextMs = update.next_attempt_at ? Date.parse(update.next_attempt_at) : atMs;
    const sets = [
      'deliveries.#w.#status = :status',
      'deliveries.#w.attempt_count = :n',
      'deliveries.#w.round_attempts = :r',
      'deliveries.#w.updated_at = :at',
      'deliveries.#w.last_attempt_at = :at',
      'updated_at = :at',
    ];
    const removes: string[] = [];
    const names: Record<string, string> = { '#w': webhookId, '#status': 'status' };
    const values: Item = {
      ':status': update.status,
      ':n': update.attempt_count,
      ':prev': update.attempt_count - 1,
      ':r': update.round_attempts,
      ':at': update.at,
      ':pending': 'PENDING',
    };
    const optional: [string, unknown][] = [
      ['next_attempt_at', update.next_attempt_at],
      ['last_status_code', update.last_status_code],
      ['last_error', update.last_error],
    ];
    for (const [name, value] of optional) {
      if (value === undefined) removes.push(`deliveries.#w.${name}`);
      else {
        sets.push(`deliveries.#w.${name} = :${name}`);
        values[`:${name}`] = value;
      }
    }
    let condition = 'deliveries.#w.#status = :pending AND deliveries.#w.attempt_count = :prev';

    // The event's last open delivery ends here: settle the event in the same write, as long as
    // nothing else touched the event since `seen` was read (else claim alone, settle later).
    const others = seen ? Object.values(seen.deliveries).filter((d) => d.webhook_id !== webhookId) : [];
    const settles =
      seen !== undefined && update.status !== 'PENDING' && others.every((d) => d.status !== 'PENDING');
    if (settles && seen) {
      const status = eventStatusOf([...others, { status: update.status }]);
      sets.push('#es = :es');
      removes.push('sweep_pk', 'sweep_at');
      names['#es'] = 'status';
      values[':es'] = status;
      const indexPk = statusIndexPk(tenantId, status, eventId);
      if (indexPk === undefined) removes.push('gsi2pk');
      else {
        sets.push('gsi2pk = :gsi2pk');
        values[':gsi2pk'] = indexPk;
      }
      values[':seen'] = seen.updated_at;
      condition += ' AND updated_at = :seen';
    } else {
      // A terminal delivery keeps a sweep mark until `settle` has set the event's status. The
      // event stays PENDING and, having been attempted, is listed through the status index.
      sets.push('sweep_at = :sweep', 'sweep_pk = :sweepPk', 'gsi2pk = :gsi2pk');
      values[':sweep'] = nextMs + this.options.sweepGraceMs;
      values[':sweepPk'] = sweepPk(eventId);
      values[':gsi2pk'] = eventsByStatusPk(tenantId, 'PENDING', eventShard(eventId));
    }
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: eventPk(tenantId, eventId), sk: EVENT_SK },
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          // The item after the write says whether a delivery is still open: the claim that
          // closes the last one sees them all final, so only it needs to settle the event.
          ...(settles ? {} : { ReturnValues: 'ALL_NEW' as const }),
        }),
      );
      if (settles) return 'settled';
      const after = out.Attributes ? toEvent(out.Attributes) : undefined;
      return after && Object.values(after.deliveries).some((d) => d.status === 'PENDING')
        ? 'open'
        : 'claimed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Lost to another worker, or the event moved since it was read: the plain claim decides.
      return settles ? this.claimAttempt(tenantId, eventId, webhookId, update) : 'lost';
    }
  }

  async putAttempt(tenantId: string, attempt: Attempt): Promise<void> {
    const item = {
      pk: eventPk(tenantId, attempt.event_id),
      sk: attemptSk(attempt.webhook_id, attempt.attempt),
      tenant_id: tenantId,
      ...attempt,
      gsi3pk: attemptsByWebhookPk(tenantId, attempt.webhook_id, eventShard(attempt.event_id)),
      gsi3sk: attemptIndexSk(attempt.attempted_at, attempt.event_id, attempt.attempt),
      expires_at: this.expiresAt(attempt.attempted_at),
    };
    if (this.options.writer) await this.options.writer.put(this.table, item);
    else await this.db.send(new PutCommand({ TableName: this.table, Item: item }));
  }

  /**
   * Rewrites the event's deliveries through `change` and derives the event's status, its
   * status index entry and its sweep mark, under a condition that nothing moved meanwhile.
   */
  private async transition(
    tenantId: string,
    eventId: string,
    now: string,
    change: (deliveries: Record<string, Delivery>) => Delivery[],
  ): Promise<{ event: StoredEvent; changed: Delivery[] } | undefined> {
    for (let tries = 0; tries < 5; tries++) {
      const item = await this.getItem(tenantId, eventId);
      if (!item) return undefined;
      const before = toEvent(item);
      const deliveries: Record<string, Delivery> = { ...before.deliveries };
      const changed = change(deliveries);
      for (const d of changed) deliveries[d.webhook_id] = d;
      const status = eventStatusOf(Object.values(deliveries));
      const pending = Object.values(deliveries).filter((d) => d.status === 'PENDING');
      const sweepAt = pending.length
        ? Math.min(...pending.map((d) => Date.parse(d.next_attempt_at ?? now))) + this.options.sweepGraceMs
        : undefined;
      if (
        changed.length === 0 &&
        status === before.status &&
        (sweepAt !== undefined || item.sweep_at === undefined)
      ) {
        return { event: before, changed };
      }
      const names: Record<string, string> = { '#status': 'status', '#deliveries': 'deliveries' };
      const values: Item = {
        ':status': status,
        ':old': before.status,
        ':at': now,
        ':deliveries': deliveries,
        ':updated': before.updated_at,
      };
      const sets = ['#status = :status', 'updated_at = :at', '#deliveries = :deliveries'];
      const removes: string[] = [];
      const indexPk = statusIndexPk(tenantId, status, eventId);
      if (indexPk === undefined) removes.push('gsi2pk');
      else {
        sets.push('gsi2pk = :gsi2pk');
        values[':gsi2pk'] = indexPk;
      }
      if (sweepAt === undefined) removes.push('sweep_pk', 'sweep_at');
      else {
        sets.push('sweep_pk = :sweepPk', 'sweep_at = :sweepAt');
        values[':sweepPk'] = sweepPk(eventId);
        values[':sweepAt'] = sweepAt;
      }
      const expression = `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`;
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: eventPk(tenantId, eventId), sk: EVENT_SK },
            UpdateExpression: expression,
            ConditionExpression: '#status = :old AND updated_at = :updated',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        return { event: { ...before, status, updated_at: now, deliveries }, changed };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new ConflictError('The event changed while it was being updated; try again.', 'concurrent_update');
  }

  async settle(tenantId: string, eventId: string, now: string): Promise<StoredEvent | undefined> {
    return (await this.transition(tenantId, eventId, now, () => []))?.event;
  }

  async reopen(
    tenantId: string,
    eventId: string,
    from: DeliveryStatus,
    now: string,
    webhookIds?: readonly string[],
  ): Promise<Delivery[]> {
    const result = await this.transition(tenantId, eventId, now, (deliveries) =>
      Object.values(deliveries)
        .filter((d) => d.status === from && (!webhookIds || webhookIds.includes(d.webhook_id)))
        .map((d) => ({ ...d, status: 'PENDING', round_attempts: 0, next_attempt_at: now, updated_at: now })),
    );
    return result?.changed ?? [];
  }

  async cancel(
    tenantId: string,
    eventId: string,
    now: string,
    webhookIds?: readonly string[],
    reason?: string,
  ): Promise<Delivery[]> {
    const result = await this.transition(tenantId, eventId, now, (deliveries) =>
      Object.values(deliveries)
        .filter((d) => d.status === 'PENDING' && (!webhookIds || webhookIds.includes(d.webhook_id)))
        .map(({ next_attempt_at: _n, ...d }) => ({
          ...d,
          status: 'CANCELLED',
          updated_at: now,
          ...(reason ? { last_error: reason } : {}),
        })),
    );
    return result?.changed ?? [];
  }

  /** The webhook's attempts, newest first, merged from its shards (one per event shard). */
  async attemptsByWebhook(
    tenantId: string,
    webhookId: string,
    limit: number,
    cursor?: string,
    range: TimeRange = {},
  ): Promise<AttemptPage> {
    const scope = `W|${webhookId}${rangeScope(range)}`;
    const positions = this.positionsFrom(tenantId, scope, cursor, 'another webhook', `W|${webhookId}`);
    const streams = shardList().map(
      (shard): Stream => ({
        key: `${shard}`,
        index: INDEX.attemptsByWebhook,
        pkName: 'gsi3pk',
        skName: 'gsi3sk',
        pk: attemptsByWebhookPk(tenantId, webhookId, shard),
      }),
    );
    const page = await this.page(tenantId, scope, streams, positions, limit, range);
    return { attempts: page.items.map(toAttempt), next_cursor: page.next_cursor };
  }

  async failedForWebhook(
    tenantId: string,
    webhookId: string,
    since: string,
    until: string,
  ): Promise<string[]> {
    const eventIds = new Set<string>();
    await Promise.all(
      shardList().map(async (shard) => {
        let start: Item | undefined;
        do {
          const out = await this.db.send(
            new QueryCommand({
              TableName: this.table,
              IndexName: INDEX.attemptsByWebhook,
              KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk BETWEEN :since AND :until',
              ExpressionAttributeValues: {
                ':pk': attemptsByWebhookPk(tenantId, webhookId, shard),
                ':since': since,
                ':until': until,
              },
              ExclusiveStartKey: start,
            }),
          );
          for (const item of out.Items ?? []) eventIds.add(item.event_id as string);
          start = out.LastEvaluatedKey;
        } while (start);
      }),
    );
    const failed: string[] = [];
    for (const eventId of [...eventIds].sort()) {
      const event = await this.get(tenantId, eventId);
      if (event?.deliveries[webhookId]?.status === 'FAILED') failed.push(eventId);
    }
    return failed;
  }

  /**
   * Events created since `since`, by status, from the time listing (DELIVERED events are in no
   * status index): it reads every event of the window, as counting DELIVERED always did.
   */
  async countByStatus(tenantId: string, since: string): Promise<Record<EventStatus, number>> {
    const counts = Object.fromEntries(EVENT_STATUSES.map((s) => [s, 0])) as Record<EventStatus, number>;
    await Promise.all(
      Array.from({ length: EVENT_INDEX_SHARDS }, async (_, shard) => {
        let start: Item | undefined;
        do {
          const out = await this.db.send(
            new QueryCommand({
              TableName: this.table,
              IndexName: INDEX.eventsByTime,
              KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :since',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':pk': eventsByTimePk(tenantId, shard), ':since': since },
              ProjectionExpression: '#status',
              ExclusiveStartKey: start,
            }),
          );
          for (const item of out.Items ?? []) {
            const status = item.status as EventStatus;
            if (status in counts) counts[status] += 1;
          }
          start = out.LastEvaluatedKey;
        } while (start);
      }),
    );
    return counts;
  }

  async overdue(shard: number, beforeMs: number, limit: number): Promise<StaleEvent[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: INDEX.sweep,
        KeyConditionExpression: 'sweep_pk = :pk AND sweep_at <= :before',
        ExpressionAttributeValues: { ':pk': sweepShardPk(shard), ':before': beforeMs },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).flatMap((item) => {
      const match = /^T#(.+)#E#(.+)$/.exec(String(item.pk));
      return match?.[1] && match[2] ? [{ tenant_id: match[1], event_id: match[2] }] : [];
    });
  }

  async markWaiting(tenantId: string, eventId: string): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: eventPk(tenantId, eventId), sk: EVENT_SK },
          UpdateExpression: 'SET gsi2pk = :gsi2pk',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':pending': 'PENDING',
            ':gsi2pk': eventsByStatusPk(tenantId, 'PENDING', eventShard(eventId)),
          },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }

  async reschedule(tenantId: string, eventId: string, atMs: number | undefined): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: eventPk(tenantId, eventId), sk: EVENT_SK },
          ...(atMs === undefined
            ? { UpdateExpression: 'REMOVE sweep_pk, sweep_at' }
            : {
                // Still pending past its grace: from now on it is listed through the status index.
                UpdateExpression: 'SET sweep_pk = :pk, sweep_at = :at, gsi2pk = :gsi2pk',
                ConditionExpression: '#status = :pending',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':pending': 'PENDING',
                  ':pk': sweepPk(eventId),
                  ':at': atMs,
                  ':gsi2pk': eventsByStatusPk(tenantId, 'PENDING', eventShard(eventId)),
                },
              }),
          ...(atMs === undefined ? { ConditionExpression: 'attribute_exists(pk)' } : {}),
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }
}
