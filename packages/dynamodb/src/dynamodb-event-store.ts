import { deflateRawSync, inflateRawSync } from 'node:zlib';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
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
  timeOfId,
  ValidationError,
} from '@hookrelay/domain';
import type { BatchReader } from './batch-reader.js';
import type { BatchWriter } from './batch-writer.js';
import type { CursorCodec } from './cursor.js';
import { isConditionFailure } from './expressions.js';
import {
  attemptPk,
  attemptSk,
  EVENT_ALIAS_SK,
  eventAliasPk,
  eventKey,
  eventPartitionPk,
  eventShard,
  eventsByStatusPk,
  parseEventKey,
  SWEEP_MARK_PK,
  SWEEP_MARK_SK,
  sweepPk,
  sweepShardPk,
} from './keys.js';

export interface EventStoreOptions {
  /** How long records live before DynamoDB's TTL removes them. */
  readonly retentionDays: number;
  /** Signs the list's cursors: needed by a store that lists (the API's), by no other. */
  readonly cursors?: CursorCodec;
  /** How long past its due time a pending delivery may go unseen before the sweeper acts. */
  readonly sweepGraceMs: number;
  /** Reads an event by key through it, gathered with the other reads of the same moment. */
  readonly reader?: BatchReader;
  /** Writes attempts through it, gathered with the other attempts of the same moment. */
  readonly writer?: BatchWriter;
}

/** How long a PENDING list trusts the sweeper's mark it read (the mark only moves forward). */
const SWEPT_MARK_CACHE_MS = 10_000;
/** Events whose creation time this store remembers, so a write after a read finds the key. */
const KNOWN_EVENTS_MAX = 10_000;
/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_MAX = 100;

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };
type ShardPositions = Record<string, string | null>;

/**
 * A delivery as the event item holds it. The short names keep an event with a 1 KB payload
 * (compressed) under 1 KB, one write unit per write (docs/data-model.md).
 */
interface StoredDelivery {
  /** status */
  readonly s: DeliveryStatus;
  /** attempt_count */
  readonly n: number;
  /** round_attempts */
  readonly r: number;
  /** updated_at */
  readonly u: string;
  /** next_attempt_at */
  readonly x?: string;
  /** last_status_code */
  readonly c?: number;
  /** last_error */
  readonly e?: string;
  /** resend_attempt */
  readonly q?: number;
  /** When attempts 1, 2, … were made: the keys of their items; the last is `last_attempt_at`. */
  readonly t?: readonly string[];
}

const toDelivery = (webhookId: string, d: StoredDelivery): Delivery => {
  const last = d.t?.at(-1);
  return {
    webhook_id: webhookId,
    status: d.s,
    attempt_count: d.n,
    round_attempts: d.r,
    updated_at: d.u,
    ...(d.x !== undefined ? { next_attempt_at: d.x } : {}),
    ...(last !== undefined ? { last_attempt_at: last } : {}),
    ...(d.c !== undefined ? { last_status_code: d.c } : {}),
    ...(d.e !== undefined ? { last_error: d.e } : {}),
    ...(d.q !== undefined ? { resend_attempt: d.q } : {}),
  };
};

const fromDelivery = (d: Delivery, times?: readonly string[]): StoredDelivery => ({
  s: d.status,
  n: d.attempt_count,
  r: d.round_attempts,
  u: d.updated_at,
  ...(d.next_attempt_at !== undefined ? { x: d.next_attempt_at } : {}),
  ...(d.last_status_code !== undefined ? { c: d.last_status_code } : {}),
  ...(d.last_error !== undefined ? { e: d.last_error } : {}),
  ...(d.resend_attempt !== undefined && d.resend_attempt > d.attempt_count ? { q: d.resend_attempt } : {}),
  ...(times?.length ? { t: times } : {}),
});

const storedDeliveries = (item: Item): Record<string, StoredDelivery> =>
  (item.d as Record<string, StoredDelivery> | undefined) ?? {};

/** The payload compressed (`p`), or as JSON text (`j`) when compressing would not make it smaller. */
const packPayload = (data: unknown): Item => {
  const json = JSON.stringify(data) ?? 'null';
  const packed = deflateRawSync(json);
  return packed.length < Buffer.byteLength(json) ? { p: packed } : { j: json };
};

const unpackPayload = (item: Item): unknown =>
  JSON.parse(
    item.p !== undefined ? inflateRawSync(item.p as Uint8Array).toString('utf8') : (item.j as string),
  );

const keyParts = (item: Item) => {
  const parts = parseEventKey(String(item.pk), String(item.sk));
  if (!parts) throw new Error(`not an event item: ${String(item.pk)}`);
  return parts;
};

const toEvent = (item: Item): StoredEvent => {
  const { tenant_id, event_id, created_at } = keyParts(item);
  return {
    tenant_id,
    event_id,
    type: item.ty as string,
    data: unpackPayload(item),
    status: item.st as EventStatus,
    created_at,
    updated_at: item.u as string,
    deliveries: Object.fromEntries(
      Object.entries(storedDeliveries(item)).map(([id, d]) => [id, toDelivery(id, d)]),
    ),
    ...(typeof item.ok === 'string' ? { ordering_key: item.ok } : {}),
  };
};

/** What a list shows of an event; read from the base table or the status index alike. */
const SUMMARY_ATTRIBUTES = ['pk', 'sk', 'ty', 'st', 'd'] as const;

const toSummary = (item: Item): EventSummary => {
  const { event_id, created_at } = keyParts(item);
  return {
    event_id,
    type: item.ty as string,
    status: item.st as EventStatus,
    created_at,
    delivery_count: Object.keys(storedDeliveries(item)).length,
  };
};

const toAttempt = (item: Item): Attempt => {
  const { pk: _p, sk: _s, expires_at: _e, ...rest } = item;
  return rest as unknown as Attempt;
};

/** The time an id made by `newId` tells, as the ISO text events are created with. */
const createdAtOfId = (eventId: string): string | undefined => {
  const ms = timeOfId(eventId);
  return ms === undefined ? undefined : new Date(ms).toISOString();
};

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

/** One source of a list page: a partition of the table or of an index, read newest first. */
interface Stream {
  readonly key: string;
  /** The index read; the base table when absent. */
  readonly index?: string;
  readonly pkName: string;
  readonly skName: string;
  readonly pk: string;
  /** Only entries sorting above this (the time listing's lower bound for PENDING). */
  readonly above?: string;
  readonly filter?: { expression: string; names: Record<string, string>; values: Item };
  /** The attributes to return (all when absent). */
  readonly projection?: readonly string[];
}

/**
 * Events in their tenant's shard partitions, sorted by creation time (the base table is the
 * time listing), each with its deliveries embedded: one item, one atomic write at ingest, one
 * write per outcome. A webhook's attempts are items of their own, keyed by webhook and time:
 * they are its delivery history. The event's deliveries remember when each attempt was made,
 * which is all it takes to read them back (docs/data-model.md).
 */
export class DynamoDbEventStore implements EventStore, SweepStore {
  /** Creation times of the events this store has written or read (`tenant\0event`). */
  private readonly known = new Map<string, string>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly options: EventStoreOptions,
  ) {}

  /** The codec of the list cursors; only a store that lists (the API's) is made with one. */
  private get cursors(): CursorCodec {
    if (!this.options.cursors)
      throw new Error('This event store was made without a cursor codec: it cannot list.');
    return this.options.cursors;
  }

  private expiresAt(fromIso: string): number {
    return Math.floor(Date.parse(fromIso) / 1000) + this.options.retentionDays * 86_400;
  }

  private remember(tenantId: string, eventId: string, createdAt: string): void {
    const id = `${tenantId}\u0000${eventId}`;
    if (this.known.get(id) === createdAt) return;
    if (this.known.size >= KNOWN_EVENTS_MAX) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
    this.known.set(id, createdAt);
  }

  async create(event: NewEvent): Promise<boolean> {
    const deliveries: Record<string, StoredDelivery> = {};
    for (const id of event.webhook_ids) {
      deliveries[id] = { s: 'PENDING', n: 0, r: 0, u: event.created_at, x: event.created_at };
    }
    const status = eventStatusOf(Object.values(deliveries).map((d) => ({ status: d.s })));
    const expires = this.expiresAt(event.created_at);
    const item = {
      ...eventKey(event.tenant_id, event.event_id, event.created_at),
      ty: event.type,
      ...packPayload(event.data),
      st: status,
      u: event.created_at,
      d: deliveries,
      ...(event.ordering_key !== undefined ? { ok: event.ordering_key } : {}),
      expires_at: expires,
      // No status index entry: a new event is PENDING (found through the time listing until a
      // worker touches it) or DELIVERED (never indexed). No sweep mark: the event's messages were
      // sent before this write (EVENT_COMMIT_WINDOW_MS).
    };
    const fromId = createdAtOfId(event.event_id);
    try {
      if (fromId === event.created_at) {
        // The id tells when the event was made, so its key follows from the id: one write.
        await this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: item,
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } else {
        // A client's own id: an alias item records when the event was made and keeps the id
        // unique, written in one transaction with the event.
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.table,
                  Item: {
                    pk: eventAliasPk(event.tenant_id, event.event_id),
                    sk: EVENT_ALIAS_SK,
                    created_at: event.created_at,
                    expires_at: expires,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              { Put: { TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
              // An id shaped like ours may be one of ours: then it is taken where its time says.
              ...(fromId !== undefined
                ? [
                    {
                      ConditionCheck: {
                        TableName: this.table,
                        Key: eventKey(event.tenant_id, event.event_id, fromId),
                        ConditionExpression: 'attribute_not_exists(pk)',
                      },
                    },
                  ]
                : []),
            ],
          }),
        );
      }
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
    this.remember(event.tenant_id, event.event_id, event.created_at);
    return true;
  }

  private async read(key: Key | Item): Promise<Item | undefined> {
    if (this.options.reader) return this.options.reader.get(this.table, key, { consistent: true });
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    return out.Item;
  }

  /**
   * An event's item: where this store last saw it, else where its id's time says (ids made by
   * `newId`), else through its alias (a client's own id). Strongly consistent.
   */
  private async find(tenantId: string, eventId: string): Promise<Item | undefined> {
    const tried = new Set<string>();
    const at = async (createdAt: string | undefined): Promise<Item | undefined> => {
      if (createdAt === undefined || tried.has(createdAt)) return undefined;
      tried.add(createdAt);
      return this.read(eventKey(tenantId, eventId, createdAt));
    };
    const item =
      (await at(this.known.get(`${tenantId}\u0000${eventId}`))) ??
      (await at(createdAtOfId(eventId))) ??
      (await at(
        (
          await this.read({ pk: eventAliasPk(tenantId, eventId), sk: EVENT_ALIAS_SK })
        )?.created_at as string | undefined,
      ));
    if (item) this.remember(tenantId, eventId, keyParts(item).created_at);
    return item;
  }

  /** An event's key, without a read when this store has seen the event. */
  private async keyOf(tenantId: string, eventId: string): Promise<Key | undefined> {
    const known = this.known.get(`${tenantId}\u0000${eventId}`);
    if (known !== undefined) return eventKey(tenantId, eventId, known);
    const item = await this.find(tenantId, eventId);
    return item ? { pk: String(item.pk), sk: String(item.sk) } : undefined;
  }

  async get(tenantId: string, eventId: string): Promise<StoredEvent | undefined> {
    const item = await this.find(tenantId, eventId);
    return item ? toEvent(item) : undefined;
  }

  async getMany(
    tenantId: string,
    listed: readonly { readonly event_id: string; readonly created_at: string }[],
  ): Promise<(StoredEvent | undefined)[]> {
    const keys = listed.map((e) => eventKey(tenantId, e.event_id, e.created_at));
    const found = new Map(
      (await this.readMany(keys, false)).map((item) => [`${item.pk}\u0000${item.sk}`, item]),
    );
    return keys.map((key) => {
      const item = found.get(`${key.pk}\u0000${key.sk}`);
      return item ? toEvent(item) : undefined;
    });
  }

  /** Items by key, in requests of up to 100 keys; what DynamoDB leaves unprocessed is asked again. */
  private async readMany(keys: readonly Key[], consistent = true): Promise<Item[]> {
    const items: Item[] = [];
    for (let i = 0; i < keys.length; i += BATCH_GET_MAX) {
      let request: Record<string, { Keys: Item[]; ConsistentRead?: boolean }> | undefined = {
        [this.table]: { Keys: keys.slice(i, i + BATCH_GET_MAX), ConsistentRead: consistent },
      };
      for (let round = 0; request && Object.keys(request).length > 0; round++) {
        if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** round)));
        const out = await this.db.send(new BatchGetCommand({ RequestItems: request }));
        items.push(...(out.Responses?.[this.table] ?? []));
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return items;
  }

  async getWithAttempts(
    tenantId: string,
    eventId: string,
  ): Promise<{ event: StoredEvent; attempts: Attempt[] } | undefined> {
    const item = await this.find(tenantId, eventId);
    if (!item) return undefined;
    const shard = eventShard(eventId);
    const keys = Object.entries(storedDeliveries(item)).flatMap(([webhookId, d]) =>
      (d.t ?? []).map((at, i) => ({
        pk: attemptPk(tenantId, webhookId, shard),
        sk: attemptSk(at, eventId, i + 1),
      })),
    );
    const attempts = (await this.readMany(keys)).map(toAttempt);
    attempts.sort((a, b) => a.attempted_at.localeCompare(b.attempted_at) || a.attempt - b.attempt);
    return { event: toEvent(item), attempts };
  }

  async list(tenantId: string, filter: EventFilter): Promise<EventPage> {
    const { created } = filter;
    const scope = `${filter.status ?? '*'}|${filter.type ?? '*'}${filter.webhook_id ? `|w:${filter.webhook_id}` : ''}${rangeScope(created)}`;
    const positions = this.positionsFrom(tenantId, scope, filter.cursor, 'a list with other filters');
    const streams = await this.streamsFor(tenantId, filter.status, filter.type, filter.webhook_id);
    const page = await this.page(tenantId, scope, streams, positions, filter.limit, created);
    const events = page.items.map(toSummary);
    // Whoever lists events often reads them next (export): their keys are known now.
    for (const event of events) this.remember(tenantId, event.event_id, event.created_at);
    return { events, next_cursor: page.next_cursor };
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
      ? this.cursors.decode<{ scope?: unknown; pos?: unknown }>(tenantId, cursor)
      : undefined;
    if (!decoded) return {};
    // A cursor of a list that is not sharded (a source's requests) has no scope at all.
    const from = typeof decoded.scope === 'string' ? decoded.scope : undefined;
    if (from !== scope || typeof decoded.pos !== 'object' || decoded.pos === null) {
      if (from === undefined) other = 'another list';
      else if (samePrefix !== undefined && (from === samePrefix || from.startsWith(`${samePrefix}|`)))
        other = 'a list with other filters';
      throw new ValidationError(`The cursor belongs to ${other}.`, [
        { field: 'cursor', message: `belongs to ${other}` },
      ]);
    }
    return decoded.pos as ShardPositions;
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
            ...Object.fromEntries((stream.projection ?? []).map((name, i) => [`#a${i}`, name])),
          },
          ExpressionAttributeValues: {
            ':pk': stream.pk,
            ...(position ? { ':after': bounds.length === 2 ? justBelow(position) : position } : {}),
            ...(above !== undefined ? { ':above': above } : {}),
            ...stream.filter?.values,
          },
          ...(stream.filter ? { FilterExpression: stream.filter.expression } : {}),
          ...(stream.projection
            ? { ProjectionExpression: stream.projection.map((_, i) => `#a${i}`).join(', ') }
            : {}),
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
   * no status: the time listing (the table's own event partitions). PENDING: the status index,
   * plus the time listing back to the sweeper's mark for events no one has touched yet (those
   * not in the status index).
   */
  private async streamsFor(
    tenantId: string,
    status?: EventStatus,
    type?: string,
    webhookId?: string,
  ): Promise<Stream[]> {
    const shards = shardList();
    // What every stream filters on: the type, and a delivery to the webhook (the status index
    // copies both, `ty` and `d`).
    const parts = [
      ...(type ? [{ expression: '#type = :type', names: { '#type': 'ty' }, values: { ':type': type } }] : []),
      ...(webhookId
        ? [{ expression: 'attribute_exists(#dl.#wh)', names: { '#dl': 'd', '#wh': webhookId }, values: {} }]
        : []),
    ];
    const typeFilter: Stream['filter'] | undefined = parts.length
      ? {
          expression: parts.map((f) => f.expression).join(' AND '),
          names: Object.assign({}, ...parts.map((f) => f.names)),
          values: Object.assign({}, ...parts.map((f) => f.values)),
        }
      : undefined;
    const byTime = (shard: number, key: string, extra?: Stream['filter'], above?: string): Stream => {
      const parts = [typeFilter, extra].filter((f): f is NonNullable<Stream['filter']> => f !== undefined);
      return {
        key,
        pkName: 'pk',
        skName: 'sk',
        pk: eventPartitionPk(tenantId, shard),
        projection: SUMMARY_ATTRIBUTES,
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
      skName: 'sk',
      pk: eventsByStatusPk(tenantId, indexed, shard),
      ...(typeFilter ? { filter: typeFilter } : {}),
    });
    if (status === undefined) return shards.map((shard) => byTime(shard, `${shard}`));
    if (status === 'DELIVERED') {
      const delivered = {
        expression: '#status = :status',
        names: { '#status': 'st' },
        values: { ':status': 'DELIVERED' },
      };
      return shards.map((shard) => byTime(shard, `${shard}`, delivered));
    }
    if (status !== 'PENDING') return shards.map((shard) => byStatus(shard, status));
    const untouched = {
      expression: '#status = :status AND attribute_not_exists(gsi2pk)',
      names: { '#status': 'st' },
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
    const key = seen ? eventKey(tenantId, eventId, seen.created_at) : await this.keyOf(tenantId, eventId);
    if (!key) return 'lost';
    const atMs = Date.parse(update.at);
    const nextMs = update.next_attempt_at ? Date.parse(update.next_attempt_at) : atMs;
    const sets = [
      '#d.#w.#s = :status',
      '#d.#w.#n = :n',
      '#d.#w.#r = :r',
      '#d.#w.#u = :at',
      // The attempt's time is its item's key: the event finds its attempts through it.
      '#d.#w.#t = list_append(if_not_exists(#d.#w.#t, :none), :attempted)',
      '#u = :at',
    ];
    const removes: string[] = [];
    const names: Record<string, string> = {
      '#d': 'd',
      '#w': webhookId,
      '#s': 's',
      '#n': 'n',
      '#r': 'r',
      '#u': 'u',
      '#t': 't',
      '#x': 'x',
      '#c': 'c',
      '#e': 'e',
    };
    const values: Item = {
      ':status': update.status,
      ':n': update.attempt_count,
      ':prev': update.attempt_count - 1,
      ':r': update.round_attempts,
      ':at': update.at,
      ':none': [],
      ':attempted': [update.at],
      ':pending': 'PENDING',
    };
    const optional: [string, unknown][] = [
      ['x', update.next_attempt_at],
      ['c', update.last_status_code],
      ['e', update.last_error],
    ];
    for (const [name, value] of optional) {
      if (value === undefined) removes.push(`#d.#w.#${name}`);
      else {
        sets.push(`#d.#w.#${name} = :${name}`);
        values[`:${name}`] = value;
      }
    }
    let condition = '#d.#w.#s = :pending AND #d.#w.#n = :prev';

    // The event's last open delivery ends here: settle the event in the same write, as long as
    // nothing else touched the event since `seen` was read (else claim alone, settle later).
    const others = seen ? Object.values(seen.deliveries).filter((d) => d.webhook_id !== webhookId) : [];
    const settles =
      seen !== undefined && update.status !== 'PENDING' && others.every((d) => d.status !== 'PENDING');
    if (settles && seen) {
      const status = eventStatusOf([...others, { status: update.status }]);
      sets.push('#st = :es');
      removes.push('sweep_pk', 'sweep_at');
      names['#st'] = 'st';
      values[':es'] = status;
      const indexPk = statusIndexPk(tenantId, status, eventId);
      if (indexPk === undefined) removes.push('gsi2pk');
      else {
        sets.push('gsi2pk = :gsi2pk');
        values[':gsi2pk'] = indexPk;
      }
      values[':seen'] = seen.updated_at;
      condition += ' AND #u = :seen';
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
          Key: key,
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          // The deliveries after the write say whether one is still open: the claim that closes
          // the last one sees them all final, so only it needs to settle the event.
          ...(settles ? {} : { ReturnValues: 'ALL_NEW' as const }),
        }),
      );
      if (settles) return 'settled';
      const after = out.Attributes ? storedDeliveries(out.Attributes) : {};
      return Object.values(after).some((d) => d.s === 'PENDING') ? 'open' : 'claimed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Lost to another worker, or the event moved since it was read: the plain claim decides.
      return settles ? this.claimAttempt(tenantId, eventId, webhookId, update) : 'lost';
    }
  }

  async putAttempt(tenantId: string, attempt: Attempt): Promise<void> {
    const item = {
      pk: attemptPk(tenantId, attempt.webhook_id, eventShard(attempt.event_id)),
      sk: attemptSk(attempt.attempted_at, attempt.event_id, attempt.attempt),
      ...attempt,
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
      const item = await this.find(tenantId, eventId);
      if (!item) return undefined;
      const before = toEvent(item);
      const stored = storedDeliveries(item);
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
      const names: Record<string, string> = { '#st': 'st', '#d': 'd', '#u': 'u' };
      const values: Item = {
        ':status': status,
        ':old': before.status,
        ':at': now,
        ':deliveries': Object.fromEntries(
          Object.values(deliveries).map((d) => [d.webhook_id, fromDelivery(d, stored[d.webhook_id]?.t)]),
        ),
        ':updated': before.updated_at,
      };
      const sets = ['#st = :status', '#u = :at', '#d = :deliveries'];
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
            Key: { pk: String(item.pk), sk: String(item.sk) },
            UpdateExpression: expression,
            ConditionExpression: '#st = :old AND #u = :updated',
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

  async requestResend(
    tenantId: string,
    eventId: string,
    webhookId: string,
    now: string,
  ): Promise<{ attempt: number; queued: boolean } | undefined> {
    let asked: { attempt: number; queued: boolean } | undefined;
    // Read, decide and write under the event's optimistic lock: of concurrent resends of one
    // attempt, one writes it down and the others, reading again, find it asked for.
    const result = await this.transition(tenantId, eventId, now, (deliveries) => {
      const d = deliveries[webhookId];
      if (!d) {
        asked = undefined;
        return [];
      }
      const attempt = d.attempt_count + 1;
      if (d.status === 'PENDING' && d.resend_attempt === attempt) {
        asked = { attempt, queued: false };
        return [];
      }
      asked = { attempt, queued: true };
      const reopened = d.status === 'PENDING' ? {} : { status: 'PENDING' as const, round_attempts: 0 };
      return [{ ...d, ...reopened, next_attempt_at: now, updated_at: now, resend_attempt: attempt }];
    });
    return result ? asked : undefined;
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
        pkName: 'pk',
        skName: 'sk',
        pk: attemptPk(tenantId, webhookId, shard),
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
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :since AND :until',
              ExpressionAttributeValues: {
                ':pk': attemptPk(tenantId, webhookId, shard),
                ':since': since,
                ':until': until,
              },
              ProjectionExpression: 'event_id',
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
      shardList().map(async (shard) => {
        let start: Item | undefined;
        do {
          const out = await this.db.send(
            new QueryCommand({
              TableName: this.table,
              KeyConditionExpression: 'pk = :pk AND sk >= :since',
              ExpressionAttributeNames: { '#status': 'st' },
              ExpressionAttributeValues: { ':pk': eventPartitionPk(tenantId, shard), ':since': since },
              ProjectionExpression: '#status',
              ExclusiveStartKey: start,
            }),
          );
          for (const item of out.Items ?? []) {
            const status = item.st as EventStatus;
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
      const parts = parseEventKey(String(item.pk), String(item.sk));
      if (!parts) return [];
      this.remember(parts.tenant_id, parts.event_id, parts.created_at);
      return [{ tenant_id: parts.tenant_id, event_id: parts.event_id }];
    });
  }

  async markWaiting(tenantId: string, eventId: string): Promise<void> {
    const key = await this.keyOf(tenantId, eventId);
    if (!key) return;
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'SET gsi2pk = :gsi2pk',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'st' },
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
    const key = await this.keyOf(tenantId, eventId);
    if (!key) return;
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          ...(atMs === undefined
            ? { UpdateExpression: 'REMOVE sweep_pk, sweep_at', ConditionExpression: 'attribute_exists(pk)' }
            : {
                // Still pending past its grace: from now on it is listed through the status index.
                UpdateExpression: 'SET sweep_pk = :pk, sweep_at = :at, gsi2pk = :gsi2pk',
                ConditionExpression: '#status = :pending',
                ExpressionAttributeNames: { '#status': 'st' },
                ExpressionAttributeValues: {
                  ':pending': 'PENDING',
                  ':pk': sweepPk(eventId),
                  ':at': atMs,
                  ':gsi2pk': eventsByStatusPk(tenantId, 'PENDING', eventShard(eventId)),
                },
              }),
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }
}
