import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CATALOG_EXAMPLE_MAX_BYTES, type EventCatalog, type EventTypeSample } from '@hookrelay/domain';
import { tenantPk } from './keys.js';

const TYPE_PREFIX = 'ETYPE#';

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
          pk: tenantPk(tenantId),
          sk: `${TYPE_PREFIX}${sample.type}`,
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
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':prefix': TYPE_PREFIX },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        samples.push({
          type: item.type as string,
          last_seen_at: item.last_seen_at as string,
          example: item.example as EventTypeSample['example'],
        });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return samples;
  }
}
