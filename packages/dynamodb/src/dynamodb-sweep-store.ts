import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { INDEX } from '@hookrelay/definitions';
import type { StaleEvent, SweepStore } from '@hookrelay/domain';
import type { EventTable } from './event-table.js';
import { whilePending } from './event-updates.js';
import { writeIf } from './expressions.js';
import { parseEventKey, SWEEP_MARK_KEY, sweepPkOf, sweepShardPk } from './keys/data-table.js';
import { queryPage } from './paged-query.js';

/**
 * The sweeper's side of the event store: the sparse sweep index of events with a delivery
 * overdue, and the mark of how far back every PENDING event is in the status index.
 */
export class DynamoDbSweepStore implements SweepStore {
  constructor(private readonly events: EventTable) {}

  async overdue(shard: number, beforeMs: number, limit: number): Promise<StaleEvent[]> {
    const { items } = await queryPage(this.events.db, {
      TableName: this.events.name,
      IndexName: INDEX.sweep,
      KeyConditionExpression: 'sweep_pk = :pk AND sweep_at <= :before',
      ExpressionAttributeValues: { ':pk': sweepShardPk(shard), ':before': beforeMs },
      Limit: limit,
    });
    return items.flatMap((item) => {
      const parts = parseEventKey(String(item.pk), String(item.sk));
      if (!parts) return [];
      this.events.remember(parts.tenant_id, parts.event_id, parts.created_at);
      return [{ tenant_id: parts.tenant_id, event_id: parts.event_id }];
    });
  }

  async reschedule(tenantId: string, eventId: string, atMs: number | undefined): Promise<void> {
    await this.events.updateIf(
      tenantId,
      eventId,
      atMs === undefined
        ? { UpdateExpression: 'REMOVE sweep_pk, sweep_at', ConditionExpression: 'attribute_exists(pk)' }
        : {
            // Still pending past its grace: from now on it is listed through the status index.
            UpdateExpression: 'SET sweep_pk = :pk, sweep_at = :at, gsi2pk = :gsi2pk',
            ...whilePending(tenantId, eventId, { ':pk': sweepPkOf(eventId), ':at': atMs }),
          },
    );
  }

  async markSwept(indexedBeforeMs: number): Promise<void> {
    await writeIf(
      this.events.db,
      new PutCommand({
        TableName: this.events.name,
        Item: { ...SWEEP_MARK_KEY, indexed_before: indexedBeforeMs },
        ConditionExpression: 'attribute_not_exists(pk) OR indexed_before < :mark',
        ExpressionAttributeValues: { ':mark': indexedBeforeMs },
      }),
    );
    this.events.markMoved(indexedBeforeMs);
  }
}
