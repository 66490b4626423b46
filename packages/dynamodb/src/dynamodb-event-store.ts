import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventStore, SweepStore } from '@hookrelay/domain';
import type { CursorCodec } from './cursor.js';
import { DynamoDbEventQueries } from './dynamodb-event-queries.js';
import { DynamoDbEventWrites, type EventWritesOptions } from './dynamodb-event-writes.js';
import { DynamoDbSweepStore } from './dynamodb-sweep-store.js';
import { EventTable, type EventTableOptions } from './event-table.js';

interface EventStoreOptions extends EventTableOptions, EventWritesOptions {
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

  readonly create: EventStore['create'] = (...args) => this.writes.create(...args);
  readonly claimAttempt: EventStore['claimAttempt'] = (...args) => this.writes.claimAttempt(...args);
  readonly putAttempt: EventStore['putAttempt'] = (...args) => this.writes.putAttempt(...args);
  readonly markWaiting: EventStore['markWaiting'] = (...args) => this.writes.markWaiting(...args);
  readonly settle: EventStore['settle'] = (...args) => this.writes.settle(...args);
  readonly requestResend: EventStore['requestResend'] = (...args) => this.writes.requestResend(...args);
  readonly reopen: EventStore['reopen'] = (...args) => this.writes.reopen(...args);
  readonly cancel: EventStore['cancel'] = (...args) => this.writes.cancel(...args);

  readonly get: EventStore['get'] = (...args) => this.queries.get(...args);
  readonly getMany: EventStore['getMany'] = (...args) => this.queries.getMany(...args);
  readonly getWithAttempts: EventStore['getWithAttempts'] = (...args) =>
    this.queries.getWithAttempts(...args);
  readonly list: EventStore['list'] = (...args) => this.queries.list(...args);
  readonly attemptsByWebhook: EventStore['attemptsByWebhook'] = (...args) =>
    this.queries.attemptsByWebhook(...args);
  readonly failedForWebhook: EventStore['failedForWebhook'] = (...args) =>
    this.queries.failedForWebhook(...args);
  readonly countByStatus: EventStore['countByStatus'] = (...args) => this.queries.countByStatus(...args);

  readonly overdue: SweepStore['overdue'] = (...args) => this.sweeps.overdue(...args);
  readonly reschedule: SweepStore['reschedule'] = (...args) => this.sweeps.reschedule(...args);
  readonly markSwept: SweepStore['markSwept'] = (...args) => this.sweeps.markSwept(...args);
}
