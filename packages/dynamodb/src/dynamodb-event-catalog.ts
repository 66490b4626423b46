import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { CATALOG_EXAMPLE_MAX_BYTES, type EventCatalog, type EventTypeSample } from '@hookrelay/domain';
import { EVENT_TYPE_SK_PREFIX, eventTypeKey, tenantPartitionPk } from './keys/data-table.js';
import { queryItems } from './paged-query.js';

/**
 * The catalog in the data table, in the tenant's own partition beside its webhooks: one item
 * per type, overwritten by each note, expiring with the retention when the type is no longer
 * sent.
 */
export class DynamoDbEventCatalog implements EventCatalog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionDays: number,
  ) {}

  async note(tenantId: string, sample: EventTypeSample): Promise<void> {
    const data = sample.example.data;
    const keep = data !== undefined && Buffer.byteLength(JSON.stringify(data)) <= CATALOG_EXAMPLE_MAX_BYTES;
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...eventTypeKey(tenantId, sample.type),
          type: sample.type,
          last_seen_at: sample.last_seen_at,
          example: { event_id: sample.example.event_id, ...(keep ? { data } : {}) },
          expires_at: Math.floor(Date.parse(sample.last_seen_at) / 1000) + this.retentionDays * 86_400,
        },
      }),
    );
  }

  async list(tenantId: string): Promise<EventTypeSample[]> {
    const samples: EventTypeSample[] = [];
    const query = {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': tenantPartitionPk(tenantId), ':prefix': EVENT_TYPE_SK_PREFIX },
    };
    for await (const item of queryItems(this.db, query)) {
      samples.push({
        type: item.type as string,
        last_seen_at: item.last_seen_at as string,
        example: item.example as EventTypeSample['example'],
      });
    }
    return samples;
  }
}
