import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  Attempt,
  ClaimResult,
  DeliveryStatus,
  DeliveryUpdate,
  EventFilter,
  EventStore,
  NewEvent,
  StoredEvent,
  SweepStore,
  TimeRange,
} from '@hookrelay/domain';
import type { CursorCodec } from './cursor.js';
import { DynamoDbEventQueries } from './dynamodb-event-queries.js';
import { DynamoDbEventWrites, type EventWritesOptions } from './dynamodb-event-writes.js';
import { DynamoDbSweepStore } from './dynamodb-sweep-store.js';
import { EventTable, type EventTableOptions } from './event-table.js';

export interface EventStoreOptions extends EventTableOptions, EventWritesOptions {
  /** Signs the list's cursors: needed by a store that lists (the API's), by no other. */
  readonly cursors?: CursorCodec;
}

/**
 * Events in their tenant's shard partitions, sorted by creation time (the base table is the
 * time listing), each with its deliveries embedded, and a webhook's attempts as items of their
 * own (docs/data-model.md). Its three sides — writes (`DynamoDbEventWrites`), queries
 * (`DynamoDbEventQueries`) and the sweeper's (`DynamoDbSweepStore`) — share one `EventTable`, so
 * an event one side has read or written is found by the others without another read.
 *
 * @example
 * const events = new DynamoDbEventStore(db, 'data', { retentionDays: 30, sweepGraceMs: 120_000 });
 * await events.create(event); // then events.get(event.tenant_id, event.event_id)
 */
export class DynamoDbEventStore implements EventStore, SweepStore {
  private readonly writes: DynamoDbEventWrites;
  private readonly queries: DynamoDbEventQueries;
  private readonly sweeps: DynamoDbSweepStore;

  constructor(db: DynamoDBDocumentClient, table: string, options: EventStoreOptions) {
    const events = new EventTable(db, table, options);
    this.writes = new DynamoDbEventWrites(events, options);
    this.queries = new DynamoDbEventQueries(events, options.cursors);
    this.sweeps = new DynamoDbSweepStore(events);
  }

  create(event: NewEvent): Promise<boolean> {
    return this.writes.create(event);
  }

  claimAttempt(
    tenantId: string,
    eventId: string,
    webhookId: string,
    update: DeliveryUpdate,
    seen?: StoredEvent,
  ): Promise<ClaimResult> {
    return this.writes.claimAttempt(tenantId, eventId, webhookId, update, seen);
  }

  putAttempt(tenantId: string, attempt: Attempt) {
    return this.writes.putAttempt(tenantId, attempt);
  }

  markWaiting(tenantId: string, eventId: string) {
    return this.writes.markWaiting(tenantId, eventId);
  }

  settle(tenantId: string, eventId: string, now: string) {
    return this.writes.settle(tenantId, eventId, now);
  }

  requestResend(tenantId: string, eventId: string, webhookId: string, now: string) {
    return this.writes.requestResend(tenantId, eventId, webhookId, now);
  }

  reopen(
    tenantId: string,
    eventId: string,
    from: DeliveryStatus,
    now: string,
    webhookIds?: readonly string[],
  ) {
    return this.writes.reopen(tenantId, eventId, from, now, webhookIds);
  }

  cancel(tenantId: string, eventId: string, now: string, webhookIds?: readonly string[], reason?: string) {
    return this.writes.cancel(tenantId, eventId, now, webhookIds, reason);
  }

  get(tenantId: string, eventId: string) {
    return this.queries.get(tenantId, eventId);
  }

  getMany(tenantId: string, listed: readonly { readonly event_id: string; readonly created_at: string }[]) {
    return this.queries.getMany(tenantId, listed);
  }

  getWithAttempts(tenantId: string, eventId: string) {
    return this.queries.getWithAttempts(tenantId, eventId);
  }

  list(tenantId: string, filter: EventFilter) {
    return this.queries.list(tenantId, filter);
  }

  attemptsByWebhook(tenantId: string, webhookId: string, limit: number, cursor?: string, range?: TimeRange) {
    return this.queries.attemptsByWebhook(tenantId, webhookId, limit, cursor, range);
  }

  failedForWebhook(tenantId: string, webhookId: string, since: string, until: string) {
    return this.queries.failedForWebhook(tenantId, webhookId, since, until);
  }

  countByStatus(tenantId: string, since: string) {
    return this.queries.countByStatus(tenantId, since);
  }

  overdue(shard: number, beforeMs: number, limit: number) {
    return this.sweeps.overdue(shard, beforeMs, limit);
  }

  reschedule(tenantId: string, eventId: string, atMs: number | undefined) {
    return this.sweeps.reschedule(tenantId, eventId, atMs);
  }

  markSwept(indexedBeforeMs: number) {
    return this.sweeps.markSwept(indexedBeforeMs);
  }
}
