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
  sweepPk,
  sweepShardPk,
} from './keys.js';

export interface EventStoreOptions {
  /** How long records live before DynamoDB's TTL removes them. */
  readonly retentionDays: number;
  /** How long past its due time a pending delivery may go unseen before the sweeper acts. */
  readonly sweepGraceMs: number;
}

type Item = Record<string, unknown>;
type ShardPositions = Record<string, string | null>;

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
    const sweep =
      status === 'PENDING'
        ? {
            sweep_pk: sweepPk(event.event_id),
            sweep_at: Date.parse(event.created_at) + this.options.sweepGraceMs,
          }
        : {};
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
            gsi2pk: eventsByStatusPk(event.tenant_id, status, shard),
            gsi2sk: indexSk,
            expires_at: this.expiresAt(event.created_at),
            ...sweep,
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
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: eventPk(tenantId, eventId), sk: EVENT_SK },
        ConsistentRead: true,
      }),
    );
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
    // A range joins the cursor's scope only when there is one: older cursors stay valid.
    const scope = `${filter.status ?? '*'}|${filter.type ?? '*'}${
      created ? `|${created.after ?? '*'}|${created.before ?? '*'}` : ''
    }`;
    const decoded = filter.cursor
      ? this.cursors.decode<{ scope: string; pos: ShardPositions }>(tenantId, filter.cursor)
      : undefined;
    if (decoded && decoded.scope !== scope) {
      throw new ValidationError('The cursor belongs to a list with other filters.', [
        { field: 'cursor', message: 'belongs to a list with other filters' },
      ]);
    }
    const positions: ShardPositions = decoded?.pos ?? {};
    const indexName = filter.status ? INDEX.eventsByStatus : INDEX.eventsByTime;
    const pkName = filter.status ? 'gsi2pk' : 'gsi1pk';
    const skName = filter.status ? 'gsi2sk' : 'gsi1sk';

    const perShard = await Promise.all(
      Array.from({ length: EVENT_INDEX_SHARDS }, async (_, shard) => {
        const position = positions[shard];
        if (position === null) return { shard, items: [] as Item[], more: false };
        const pk = filter.status
          ? eventsByStatusPk(tenantId, filter.status, shard)
          : eventsByTimePk(tenantId, shard);
        // Index keys are `${created_at}#${event_id}`, and `${t}#...` sorts after `t`: `before`
        // bounds from above as the position does (both excluded), `after` from below (included).
        // The lower of two text bounds (Math.min is for numbers).
        const upper = [position, created?.before].filter((b): b is string => b !== undefined).sort()[0];
        const lower = created?.after;
        if (lower && upper && lower > upper) return { shard, items: [] as Item[], more: false };
        const sk =
          lower && upper
            ? ' AND #sk BETWEEN :lower AND :upper'
            : upper
              ? ' AND #sk < :upper'
              : lower
                ? ' AND #sk >= :lower'
                : '';
        const input: QueryCommandInput = {
          TableName: this.table,
          IndexName: indexName,
          KeyConditionExpression: `#pk = :pk${sk}`,
          ExpressionAttributeNames: {
            '#pk': pkName,
            ...(sk ? { '#sk': skName } : {}),
            ...(filter.type ? { '#type': 'type' } : {}),
          },
          ExpressionAttributeValues: {
            ':pk': pk,
            ...(upper ? { ':upper': upper } : {}),
            ...(lower ? { ':lower': lower } : {}),
            ...(filter.type ? { ':type': filter.type } : {}),
          },
          ...(filter.type ? { FilterExpression: '#type = :type' } : {}),
          ScanIndexForward: false,
          // The position's own item comes back under BETWEEN: one more keeps each page moving.
          Limit: filter.limit + (lower && upper && upper === position ? 1 : 0),
        };
        const out = await this.db.send(new QueryCommand(input));
        const last = out.LastEvaluatedKey?.[skName] as string | undefined;
        // BETWEEN includes its upper bound: the item at the position was taken already.
        const items = (out.Items ?? []).filter((item) => item[skName] !== position);
        return { shard, items, more: last !== undefined, last };
      }),
    );

    const merged = perShard
      .flatMap((r) => r.items.map((item) => ({ shard: r.shard, item, sk: item[skName] as string })))
      .sort((a, b) => (a.sk < b.sk ? 1 : a.sk > b.sk ? -1 : 0));
    const taken = merged.slice(0, filter.limit);
    const next: ShardPositions = { ...positions };
    let anyLeft = false;
    for (const r of perShard) {
      if (positions[r.shard] === null) continue;
      const mine = taken.filter((t) => t.shard === r.shard);
      const allTaken = mine.length === r.items.length;
      if (!allTaken) {
        next[r.shard] =
          mine.length > 0 ? (mine[mine.length - 1]?.sk ?? null) : (positions[r.shard] ?? '\uffff');
        anyLeft = true;
      } else if (r.more) {
        next[r.shard] = r.last ?? null;
        anyLeft = true;
      } else {
        next[r.shard] = null;
      }
    }
    return {
      events: taken.map((t) => toSummary(t.item)),
      next_cursor: anyLeft ? this.cursors.encode(tenantId, { scope, pos: next }) : null,
    };
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
      sets.push('#es = :es', 'gsi2pk = :gsi2pk');
      removes.push('sweep_pk', 'sweep_at');
      names['#es'] = 'status';
      values[':es'] = status;
      values[':gsi2pk'] = eventsByStatusPk(tenantId, status, eventShard(eventId));
      values[':seen'] = seen.updated_at;
      condition += ' AND updated_at = :seen';
    } else {
      // A terminal delivery keeps a sweep mark until `settle` has set the event's status.
      sets.push('sweep_at = :sweep', 'sweep_pk = :sweepPk');
      values[':sweep'] = nextMs + this.options.sweepGraceMs;
      values[':sweepPk'] = sweepPk(eventId);
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: eventPk(tenantId, eventId), sk: EVENT_SK },
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return settles ? 'settled' : 'claimed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Lost to another worker, or the event moved since it was read: the plain claim decides.
      return settles ? this.claimAttempt(tenantId, eventId, webhookId, update) : 'lost';
    }
  }

  async putAttempt(tenantId: string, attempt: Attempt): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: eventPk(tenantId, attempt.event_id),
          sk: attemptSk(attempt.webhook_id, attempt.attempt),
          tenant_id: tenantId,
          ...attempt,
          gsi3pk: attemptsByWebhookPk(tenantId, attempt.webhook_id),
          gsi3sk: attemptIndexSk(attempt.attempted_at, attempt.event_id, attempt.attempt),
          expires_at: this.expiresAt(attempt.attempted_at),
        },
      }),
    );
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
      const shard = eventShard(eventId);
      const names: Record<string, string> = { '#status': 'status', '#deliveries': 'deliveries' };
      const values: Item = {
        ':status': status,
        ':old': before.status,
        ':gsi2pk': eventsByStatusPk(tenantId, status, shard),
        ':at': now,
        ':deliveries': deliveries,
        ':updated': before.updated_at,
      };
      let expression = 'SET #status = :status, gsi2pk = :gsi2pk, updated_at = :at, #deliveries = :deliveries';
      if (sweepAt === undefined) expression += ' REMOVE sweep_pk, sweep_at';
      else {
        expression += ', sweep_pk = :sweepPk, sweep_at = :sweepAt';
        values[':sweepPk'] = sweepPk(eventId);
        values[':sweepAt'] = sweepAt;
      }
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

  async attemptsByWebhook(
    tenantId: string,
    webhookId: string,
    limit: number,
    cursor?: string,
    range: TimeRange = {},
  ): Promise<AttemptPage> {
    const pk = attemptsByWebhookPk(tenantId, webhookId);
    const scope = `${range.after ?? '*'}|${range.before ?? '*'}`;
    const decoded = cursor ? this.cursors.decode<Item>(tenantId, cursor) : undefined;
    const { range: cursorScope, ...start } = decoded ?? {};
    if (decoded && start.gsi3pk !== pk) {
      throw new ValidationError('The cursor belongs to another webhook.', [
        { field: 'cursor', message: 'belongs to another webhook' },
      ]);
    }
    // Cursors made before ranges existed carry none: they belong to the unfiltered list.
    if (decoded && (cursorScope ?? '*|*') !== scope) {
      throw new ValidationError('The cursor belongs to a list with other filters.', [
        { field: 'cursor', message: 'belongs to a list with other filters' },
      ]);
    }
    // Index keys start with the attempt's time, and `${t}#...` sorts after `t`: BETWEEN after
    // AND before keeps [after, before).
    const condition =
      range.after && range.before
        ? ' AND gsi3sk BETWEEN :after AND :before'
        : range.after
          ? ' AND gsi3sk >= :after'
          : range.before
            ? ' AND gsi3sk < :before'
            : '';
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: INDEX.attemptsByWebhook,
        KeyConditionExpression: `gsi3pk = :pk${condition}`,
        ExpressionAttributeValues: {
          ':pk': pk,
          ...(range.after ? { ':after': range.after } : {}),
          ...(range.before ? { ':before': range.before } : {}),
        },
        ScanIndexForward: false,
        Limit: limit,
        ...(decoded ? { ExclusiveStartKey: start } : {}),
      }),
    );
    return {
      attempts: (out.Items ?? []).map(toAttempt),
      next_cursor: out.LastEvaluatedKey
        ? this.cursors.encode(tenantId, {
            ...out.LastEvaluatedKey,
            ...(scope !== '*|*' ? { range: scope } : {}),
          })
        : null,
    };
  }

  async failedForWebhook(
    tenantId: string,
    webhookId: string,
    since: string,
    until: string,
  ): Promise<string[]> {
    const eventIds = new Set<string>();
    let start: Item | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: INDEX.attemptsByWebhook,
          KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk BETWEEN :since AND :until',
          ExpressionAttributeValues: {
            ':pk': attemptsByWebhookPk(tenantId, webhookId),
            ':since': since,
            ':until': until,
          },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) eventIds.add(item.event_id as string);
      start = out.LastEvaluatedKey;
    } while (start);
    const failed: string[] = [];
    for (const eventId of eventIds) {
      const event = await this.get(tenantId, eventId);
      if (event?.deliveries[webhookId]?.status === 'FAILED') failed.push(eventId);
    }
    return failed;
  }

  async countByStatus(tenantId: string, since: string): Promise<Record<EventStatus, number>> {
    const counts = Object.fromEntries(EVENT_STATUSES.map((s) => [s, 0])) as Record<EventStatus, number>;
    await Promise.all(
      EVENT_STATUSES.flatMap((status) =>
        Array.from({ length: EVENT_INDEX_SHARDS }, async (_, shard) => {
          let start: Item | undefined;
          do {
            const out = await this.db.send(
              new QueryCommand({
                TableName: this.table,
                IndexName: INDEX.eventsByStatus,
                KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk >= :since',
                ExpressionAttributeValues: {
                  ':pk': eventsByStatusPk(tenantId, status, shard),
                  ':since': since,
                },
                Select: 'COUNT',
                ExclusiveStartKey: start,
              }),
            );
            counts[status] += out.Count ?? 0;
            start = out.LastEvaluatedKey;
          } while (start);
        }),
      ),
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

  async reschedule(tenantId: string, eventId: string, atMs: number | undefined): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: eventPk(tenantId, eventId), sk: EVENT_SK },
          ...(atMs === undefined
            ? { UpdateExpression: 'REMOVE sweep_pk, sweep_at' }
            : {
                UpdateExpression: 'SET sweep_pk = :pk, sweep_at = :at',
                ExpressionAttributeValues: { ':pk': sweepPk(eventId), ':at': atMs },
              }),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }
}
