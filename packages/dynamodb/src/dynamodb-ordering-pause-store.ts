import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderingPauseStore, PausedKey } from '@hookrelay/domain';
import { writeIf } from './expressions.js';
import { orderingPauseKey, orderingPausePk } from './keys/data-table.js';
import { queryPage } from './paged-query.js';

const toPaused = (item: Record<string, unknown>): PausedKey => ({
  ordering_key: String(item.ordering_key),
  event_id: String(item.event_id),
  paused_at: String(item.paused_at),
});

/** Paused ordering keys, one item per (webhook, key) in a partition of the webhook's own. */
export class DynamoDbOrderingPauseStore implements OrderingPauseStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async pause(tenantId: string, webhookId: string, paused: PausedKey): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...orderingPauseKey(tenantId, webhookId, paused.ordering_key), ...paused },
      }),
    );
  }

  async get(tenantId: string, webhookId: string, orderingKey: string): Promise<PausedKey | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: orderingPauseKey(tenantId, webhookId, orderingKey) }),
    );
    return out.Item ? toPaused(out.Item) : undefined;
  }

  async noteHeld(
    tenantId: string,
    webhookId: string,
    orderingKey: string,
    receiptHandles: readonly string[],
  ): Promise<boolean> {
    // False when resumed meanwhile: the caller lets the messages go.
    return writeIf(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: orderingPauseKey(tenantId, webhookId, orderingKey),
        UpdateExpression: 'SET held = :held',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':held': [...receiptHandles] },
      }),
    );
  }

  async resume(
    tenantId: string,
    webhookId: string,
    orderingKey: string,
  ): Promise<{ held: string[] } | undefined> {
    const out = await this.db.send(
      new DeleteCommand({
        TableName: this.table,
        Key: orderingPauseKey(tenantId, webhookId, orderingKey),
        ReturnValues: 'ALL_OLD',
      }),
    );
    if (!out.Attributes) return undefined;
    const held = out.Attributes.held;
    return { held: Array.isArray(held) ? held.map(String) : [] };
  }

  async list(tenantId: string, webhookId: string, limit: number): Promise<PausedKey[]> {
    const { items } = await queryPage(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': orderingPausePk(tenantId, webhookId) },
      Limit: limit,
    });
    return items.map(toPaused);
  }
}
