import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { EVENT_INDEX_SHARDS, INDEX } from '@hookrelay/definitions';
import { type EventStatus, type TimeRange, ValidationError } from '@hookrelay/domain';
import type { CursorCodec } from './cursor.js';
import { type Item, SUMMARY_ATTRIBUTES } from './event-item.js';
import { eventPartitionPk, eventsByStatusPk } from './keys/data-table.js';
import { queryPage } from './paged-query.js';

// A list read from several partitions at once (a tenant's event shards, the status index's
// shards, a webhook's attempt shards), newest first, paged to a client by a signed cursor that
// remembers where each partition stopped.

/** Where each stream of a list stopped: the last key shown, `null` once it is exhausted. */
export type ShardPositions = Record<string, string | null>;

/** One source of a list page: a partition of the table or of an index, read newest first. */
export interface Stream {
  readonly key: string;
  /** The index read; the base table when absent. */
  readonly index?: string;
  readonly pkName: string;
  readonly skName: string;
  readonly pk: string;
  /** Only entries sorting above this (the time listing's lower bound for PENDING). */
  readonly above?: string;
  readonly filter?: StreamFilter;
  /** The attributes to return (all when absent). */
  readonly projection?: readonly string[];
}

interface StreamFilter {
  readonly expression: string;
  readonly names: Record<string, string>;
  readonly values: Item;
}

export const shardList = (): number[] => Array.from({ length: EVENT_INDEX_SHARDS }, (_, shard) => shard);

/** A time range's part of a cursor's scope: nothing without one, so older cursors stay valid. */
export const rangeScope = (range?: TimeRange): string =>
  range && (range.after || range.before) ? `|${range.after ?? '*'}|${range.before ?? '*'}` : '';

/**
 * Where each stream of a list stopped, from a cursor made for the same list (`scope`); `other`
 * names what a cursor of another scope belongs to (a cursor whose scope starts alike differs only
 * in its filters).
 */
export const positionsFrom = (
  cursors: CursorCodec,
  tenantId: string,
  list: { scope: string; cursor: string | undefined; other: string; samePrefix?: string },
): ShardPositions => {
  const { scope, cursor, samePrefix } = list;
  const decoded = cursor ? cursors.decode<{ scope?: unknown; pos?: unknown }>(tenantId, cursor) : undefined;
  if (!decoded) return {};
  // A cursor of a list that is not sharded (a source's requests) has no scope at all.
  const from = typeof decoded.scope === 'string' ? decoded.scope : undefined;
  if (from !== scope || typeof decoded.pos !== 'object' || decoded.pos === null) {
    let other = list.other;
    if (from === undefined) other = 'another list';
    else if (samePrefix !== undefined && (from === samePrefix || from.startsWith(`${samePrefix}|`)))
      other = 'a list with other filters';
    throw new ValidationError(`The cursor belongs to ${other}.`, [
      { field: 'cursor', message: `belongs to ${other}` },
    ]);
  }
  return decoded.pos as ShardPositions;
};

/** Filters met together. */
const allOf = (filters: readonly (StreamFilter | undefined)[]): StreamFilter | undefined => {
  const parts = filters.filter((f): f is StreamFilter => f !== undefined);
  if (parts.length === 0) return undefined;
  return {
    expression: parts.map((f) => f.expression).join(' AND '),
    names: Object.assign({}, ...parts.map((f) => f.names)),
    values: Object.assign({}, ...parts.map((f) => f.values)),
  };
};

const statusIs = (status: EventStatus, untouched = false): StreamFilter => ({
  expression: `#status = :status${untouched ? ' AND attribute_not_exists(gsi2pk)' : ''}`,
  names: { '#status': 'st' },
  values: { ':status': status },
});

/**
 * Where a list of events reads from. FAILED and CANCELLED: the status index. DELIVERED (not
 * indexed) and no status: the time listing (the table's own event partitions). PENDING: the
 * status index, plus the time listing back to the sweeper's mark (`sweptBefore`, read only then)
 * for events no one has touched yet (those not in the status index).
 */
export const eventStreams = async (
  tenantId: string,
  filter: { status?: EventStatus; type?: string; webhookId?: string },
  sweptBefore: () => Promise<number>,
): Promise<Stream[]> => {
  const { status, type, webhookId } = filter;
  const shards = shardList();
  // What every stream filters on: the type, and a delivery to the webhook (the status index
  // copies both, `ty` and `d`).
  const typeFilter = allOf([
    type ? { expression: '#type = :type', names: { '#type': 'ty' }, values: { ':type': type } } : undefined,
    webhookId
      ? { expression: 'attribute_exists(#dl.#wh)', names: { '#dl': 'd', '#wh': webhookId }, values: {} }
      : undefined,
  ]);
  const byTime = (shard: number, key: string, extra?: StreamFilter, above?: string): Stream => {
    const both = allOf([typeFilter, extra]);
    return {
      key,
      pkName: 'pk',
      skName: 'sk',
      pk: eventPartitionPk(tenantId, shard),
      projection: SUMMARY_ATTRIBUTES,
      ...(above !== undefined ? { above } : {}),
      ...(both ? { filter: both } : {}),
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
  if (status === 'DELIVERED') return shards.map((shard) => byTime(shard, `${shard}`, statusIs('DELIVERED')));
  if (status !== 'PENDING') return shards.map((shard) => byStatus(shard, status));
  const above = new Date(await sweptBefore()).toISOString();
  return [
    ...shards.map((shard) => byStatus(shard, 'PENDING')),
    ...shards.map((shard) => byTime(shard, `t${shard}`, statusIs('PENDING', true), above)),
  ];
};

/**
 * The greatest key below `key` that matters here (keys are ASCII): BETWEEN includes its upper
 * end, and a page must start strictly below the last key shown.
 */
const justBelow = (key: string): string =>
  `${key.slice(0, -1)}${String.fromCharCode(key.charCodeAt(key.length - 1) - 1)}\uffff`;

/**
 * The query of one stream from where its cursor left it (`at`), narrowed to `range`; undefined
 * when nothing can be left between the bounds.
 */
const streamQuery = (
  table: string,
  stream: Stream,
  at: string | undefined,
  range: TimeRange,
  limit: number,
): { input: QueryCommandInput; above?: string } | undefined => {
  // Sort keys start with a time (`${t}#...` sorts after `t`), so a range [after, before)
  // narrows the same bounds a cursor's position and a stream's lower end set.
  const position = [at || undefined, range.before].filter((b): b is string => b !== undefined).sort()[0];
  const above = [stream.above, range.after]
    .filter((b): b is string => b !== undefined)
    .sort()
    .at(-1);
  if (position !== undefined && above !== undefined && above >= position) return undefined;
  const bounds = [...(position ? ['#sk < :after'] : []), ...(above !== undefined ? ['#sk > :above'] : [])];
  const input: QueryCommandInput = {
    TableName: table,
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
  return { input, ...(above !== undefined ? { above } : {}) };
};

interface StreamRead {
  readonly stream: Stream;
  readonly items: Item[];
  /** Whether the stream stopped at its Limit with entries left, and the last key it read. */
  readonly more: boolean;
  readonly last?: string;
}

const readStream = async (
  db: DynamoDBDocumentClient,
  table: string,
  stream: Stream,
  at: string | null | undefined,
  range: TimeRange,
  limit: number,
): Promise<StreamRead> => {
  const query = at === null ? undefined : streamQuery(table, stream, at, range, limit);
  if (!query) return { stream, items: [], more: false };
  const page = await queryPage(db, query.input);
  const last = page.last?.[stream.skName] as string | undefined;
  // BETWEEN includes its lower end too: the bound itself is not above it.
  const { above } = query;
  const items = page.items.filter((item) => above === undefined || (item[stream.skName] as string) > above);
  return { stream, items, more: last !== undefined, ...(last !== undefined ? { last } : {}) };
};

/**
 * The entries of a page, merged from every stream by sort key, and where each stream stands
 * after it (`null` once a stream is exhausted); `next` is undefined when every stream is.
 */
const mergePage = (
  reads: readonly StreamRead[],
  positions: ShardPositions,
  limit: number,
): { items: Item[]; next?: ShardPositions } => {
  const merged = reads
    .flatMap((r) => r.items.map((item) => ({ key: r.stream.key, item, sk: item[r.stream.skName] as string })))
    .sort((a, b) => (a.sk < b.sk ? 1 : a.sk > b.sk ? -1 : 0));
  // A stream cut short (by its Limit, before a filter) may hold unread entries just below
  // where it stopped: nothing below the highest such point is shown yet, so pages stay in order.
  const threshold = reads.reduce(
    (high, r) => (r.more && r.last !== undefined && r.last > high ? r.last : high),
    '',
  );
  const taken = merged.filter((m) => m.sk >= threshold).slice(0, limit);
  const next: ShardPositions = { ...positions };
  let anyLeft = false;
  for (const r of reads) {
    const key = r.stream.key;
    if (positions[key] === null) continue;
    const mine = taken.filter((t) => t.key === key);
    if (mine.length !== r.items.length) {
      next[key] = mine.length > 0 ? (mine[mine.length - 1]?.sk ?? null) : (positions[key] ?? '\uffff');
      anyLeft = true;
    } else if (r.more) {
      next[key] = r.last ?? null;
      anyLeft = true;
    } else {
      next[key] = null;
    }
  }
  return { items: taken.map((t) => t.item), ...(anyLeft ? { next } : {}) };
};

/**
 * One page of a list read from several partitions at once, newest first: each stream is read
 * from where the cursor left it, the results are merged by sort key, and the next cursor
 * remembers, per stream, the last key shown (null once a stream is exhausted).
 */
export const shardedPage = async (
  db: DynamoDBDocumentClient,
  table: string,
  streams: readonly Stream[],
  page: { positions: ShardPositions; limit: number; range?: TimeRange },
): Promise<{ items: Item[]; next?: ShardPositions }> => {
  const { positions, limit, range = {} } = page;
  const reads = await Promise.all(
    streams.map((stream) => readStream(db, table, stream, positions[stream.key], range, limit)),
  );
  return mergePage(reads, positions, limit);
};
