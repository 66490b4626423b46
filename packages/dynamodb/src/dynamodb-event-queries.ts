import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  type Attempt,
  type AttemptPage,
  EVENT_STATUSES,
  type EventFilter,
  type EventPage,
  type EventQueries,
  type EventStatus,
  type StoredEvent,
  type TimeRange,
} from '@hookrelay/domain';
import type { CursorCodec } from './cursor.js';
import { storedDeliveries, toAttempt, toEvent, toSummary } from './event-item.js';
import {
  eventStreams,
  positionsFrom,
  rangeScope,
  type ShardPositions,
  type Stream,
  shardedPage,
  shardList,
} from './event-list.js';
import type { EventTable } from './event-table.js';
import { attemptPk, attemptSk, eventKey, eventPartitionPk, eventShard } from './keys/data-table.js';
import { queryItems } from './paged-query.js';

/**
 * The event store's query side: an event and its attempts, the lists the API pages (events by
 * time or status, a webhook's attempts) and the counts behind its stats. Lists read a tenant's
 * shard partitions at once and merge them (docs/data-model.md).
 */
export class DynamoDbEventQueries implements EventQueries {
  constructor(
    private readonly events: EventTable,
    /** Signs the list's cursors: needed by a store that lists (the API's), by no other. */
    private readonly codec?: CursorCodec,
  ) {}

  /** The codec of the list cursors; only a store that lists (the API's) is made with one. */
  private get cursors(): CursorCodec {
    if (!this.codec) throw new Error('This event store was made without a cursor codec: it cannot list.');
    return this.codec;
  }

  async get(tenantId: string, eventId: string): Promise<StoredEvent | undefined> {
    const item = await this.events.find(tenantId, eventId);
    return item ? toEvent(item) : undefined;
  }

  async getMany(
    tenantId: string,
    listed: readonly { readonly event_id: string; readonly created_at: string }[],
  ): Promise<(StoredEvent | undefined)[]> {
    const keys = listed.map((e) => eventKey(tenantId, e.event_id, e.created_at));
    const found = new Map(
      (await this.events.readMany(keys, false)).map((item) => [`${item.pk}\u0000${item.sk}`, item]),
    );
    return keys.map((key) => {
      const item = found.get(`${key.pk}\u0000${key.sk}`);
      return item ? toEvent(item) : undefined;
    });
  }

  async getWithAttempts(
    tenantId: string,
    eventId: string,
  ): Promise<{ event: StoredEvent; attempts: Attempt[] } | undefined> {
    const item = await this.events.find(tenantId, eventId);
    if (!item) return undefined;
    const shard = eventShard(eventId);
    const keys = Object.entries(storedDeliveries(item)).flatMap(([webhookId, d]) =>
      (d.t ?? []).map((at, i) => ({
        pk: attemptPk(tenantId, webhookId, shard),
        sk: attemptSk(at, eventId, i + 1),
      })),
    );
    const attempts = (await this.events.readMany(keys)).map(toAttempt);
    attempts.sort((a, b) => a.attempted_at.localeCompare(b.attempted_at) || a.attempt - b.attempt);
    return { event: toEvent(item), attempts };
  }

  async list(tenantId: string, filter: EventFilter): Promise<EventPage> {
    const { created } = filter;
    const scope = `${filter.status ?? '*'}|${filter.type ?? '*'}${filter.webhook_id ? `|w:${filter.webhook_id}` : ''}${rangeScope(created)}`;
    const positions = this.positions(tenantId, {
      scope,
      cursor: filter.cursor,
      other: 'a list with other filters',
    });
    const streams = await eventStreams(
      tenantId,
      { status: filter.status, type: filter.type, webhookId: filter.webhook_id },
      () => this.events.sweptBefore(),
    );
    const page = await this.page(tenantId, scope, streams, positions, filter.limit, created);
    const events = page.items.map(toSummary);
    // Whoever lists events often reads them next (export): their keys are known now.
    for (const event of events) this.events.remember(tenantId, event.event_id, event.created_at);
    return { events, next_cursor: page.next_cursor };
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
    const positions = this.positions(tenantId, {
      scope,
      cursor,
      other: 'another webhook',
      samePrefix: `W|${webhookId}`,
    });
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

  private positions(tenantId: string, list: Parameters<typeof positionsFrom>[2]): ShardPositions {
    return list.cursor ? positionsFrom(this.cursors, tenantId, list) : {};
  }

  private async page(
    tenantId: string,
    scope: string,
    streams: readonly Stream[],
    positions: ShardPositions,
    limit: number,
    range?: TimeRange,
  ) {
    const page = await shardedPage(this.events.db, this.events.name, streams, { positions, limit, range });
    return {
      items: page.items,
      next_cursor: page.next ? this.cursors.encode(tenantId, { scope, pos: page.next }) : null,
    };
  }

  async failedForWebhook(
    tenantId: string,
    webhookId: string,
    since: string,
    until: string,
  ): Promise<string[]> {
    const eventIds = new Set<string>();
    await this.eachShard(
      (shard) => ({
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :since AND :until',
        ExpressionAttributeValues: {
          ':pk': attemptPk(tenantId, webhookId, shard),
          ':since': since,
          ':until': until,
        },
        ProjectionExpression: 'event_id',
      }),
      (item) => eventIds.add(item.event_id as string),
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
    await this.eachShard(
      (shard) => ({
        KeyConditionExpression: 'pk = :pk AND sk >= :since',
        ExpressionAttributeNames: { '#status': 'st' },
        ExpressionAttributeValues: { ':pk': eventPartitionPk(tenantId, shard), ':since': since },
        ProjectionExpression: '#status',
      }),
      (item) => {
        const status = item.st as EventStatus;
        if (status in counts) counts[status] += 1;
      },
    );
    return counts;
  }

  /** Runs a query over every shard at once, handing each item found to `each`. */
  private async eachShard(
    query: (shard: number) => Omit<QueryCommandInput, 'TableName'>,
    each: (item: Record<string, unknown>) => void,
  ): Promise<void> {
    await Promise.all(
      shardList().map(async (shard) => {
        for await (const item of queryItems(this.events.db, { TableName: this.events.name, ...query(shard) }))
          each(item);
      }),
    );
  }
}
