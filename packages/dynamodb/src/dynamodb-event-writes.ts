import { PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Attempt,
  type ClaimResult,
  ConflictError,
  type Delivery,
  type DeliveryStatus,
  type DeliveryUpdate,
  type EventWrites,
  eventStatusOf,
  type NewEvent,
  type StoredEvent,
} from '@hookrelay/domain';
import type { BatchWriter } from './batch-writer.js';
import { createdAtOfId, newEventItem, storedDeliveries, toEvent } from './event-item.js';
import type { EventTable } from './event-table.js';
import { claimSettles, claimUpdate, sweepAtOf, transitionUpdate, whilePending } from './event-updates.js';
import { isConditionFailure, writeIf } from './expressions.js';
import { attemptPk, attemptSk, eventAliasKey, eventKey, eventShard } from './keys/data-table.js';

export interface EventWritesOptions {
  /** How long past its due time a pending delivery may go unseen before the sweeper acts. */
  readonly sweepGraceMs: number;
  /** Writes attempts through it, gathered with the other attempts of the same moment. */
  readonly writer?: BatchWriter;
}

/** Tries of a read-decide-write on an event before a concurrent change is reported. */
const TRANSITION_TRIES = 5;

/**
 * The event store's write side: accepting an event, recording its attempts and outcomes, and the
 * changes people ask for (resend, reopen, cancel). Each event is one item with its deliveries
 * embedded: one atomic write at ingest, one per outcome; each attempt an item of its own, keyed
 * by webhook and time (docs/data-model.md).
 */
export class DynamoDbEventWrites implements EventWrites {
  constructor(
    private readonly events: EventTable,
    private readonly options: EventWritesOptions,
  ) {}

  async create(event: NewEvent): Promise<boolean> {
    const item = newEventItem(event, this.events.expiresAt(event.created_at));
    const table = this.events.name;
    const fromId = createdAtOfId(event.event_id);
    const unique = 'attribute_not_exists(pk)';
    const created = await writeIf(
      this.events.db,
      fromId === event.created_at
        ? // The id tells when the event was made, so its key follows from the id: one write.
          new PutCommand({ TableName: table, Item: item, ConditionExpression: unique })
        : // A client's own id: an alias item records when the event was made and keeps the id
          // unique, written in one transaction with the event.
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: table,
                  Item: {
                    ...eventAliasKey(event.tenant_id, event.event_id),
                    created_at: event.created_at,
                    expires_at: item.expires_at,
                  },
                  ConditionExpression: unique,
                },
              },
              { Put: { TableName: table, Item: item, ConditionExpression: unique } },
              // An id shaped like ours may be one of ours: then it is taken where its time says.
              ...(fromId !== undefined
                ? [
                    {
                      ConditionCheck: {
                        TableName: table,
                        Key: eventKey(event.tenant_id, event.event_id, fromId),
                        ConditionExpression: unique,
                      },
                    },
                  ]
                : []),
            ],
          }),
    );
    if (created) this.events.remember(event.tenant_id, event.event_id, event.created_at);
    return created;
  }

  async claimAttempt(
    tenantId: string,
    eventId: string,
    webhookId: string,
    update: DeliveryUpdate,
    seen?: StoredEvent,
  ): Promise<ClaimResult> {
    const key = seen
      ? eventKey(tenantId, eventId, seen.created_at)
      : await this.events.keyOf(tenantId, eventId);
    if (!key) return 'lost';
    const settles = claimSettles(webhookId, update, seen);
    try {
      const out = await this.events.db.send(
        new UpdateCommand({
          TableName: this.events.name,
          Key: key,
          ...claimUpdate({ tenantId, eventId, webhookId }, update, this.options.sweepGraceMs, seen),
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
      expires_at: this.events.expiresAt(attempt.attempted_at),
    };
    if (this.options.writer) await this.options.writer.put(this.events.name, item);
    else await this.events.db.send(new PutCommand({ TableName: this.events.name, Item: item }));
  }

  async markWaiting(tenantId: string, eventId: string): Promise<void> {
    await this.events.updateIf(tenantId, eventId, {
      UpdateExpression: 'SET gsi2pk = :gsi2pk',
      ...whilePending(tenantId, eventId),
    });
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
    for (let tries = 0; tries < TRANSITION_TRIES; tries++) {
      const item = await this.events.find(tenantId, eventId);
      if (!item) return undefined;
      const before = toEvent(item);
      const deliveries: Record<string, Delivery> = { ...before.deliveries };
      const changed = change(deliveries);
      for (const d of changed) deliveries[d.webhook_id] = d;
      const status = eventStatusOf(Object.values(deliveries));
      const sweepAt = sweepAtOf(Object.values(deliveries), now, this.options.sweepGraceMs);
      if (
        changed.length === 0 &&
        status === before.status &&
        (sweepAt !== undefined || item.sweep_at === undefined)
      )
        return { event: before, changed };
      const stored = storedDeliveries(item);
      const written = await writeIf(
        this.events.db,
        new UpdateCommand({
          TableName: this.events.name,
          Key: { pk: String(item.pk), sk: String(item.sk) },
          ...transitionUpdate(tenantId, before, { deliveries, stored, now }, sweepAt),
        }),
      );
      if (written) return { event: { ...before, status, updated_at: now, deliveries }, changed };
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
}
