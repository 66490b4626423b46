import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Lane, LaneLag, LaneLagStore } from '@hookrelay/domain';
import { LANES_PK, laneSk } from './keys/data-table.js';
import { queryPage } from './paged-query.js';

/**
 * The lanes' lag, one small item per lane in the data table (a single partition, written at
 * most every few seconds per worker, read once a minute by the sweeper).
 */
export class DynamoDbLaneLagStore implements LaneLagStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async report(lag: LaneLag): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: LANES_PK, sk: laneSk(lag.lane), ...lag },
      }),
    );
  }

  async read(): Promise<LaneLag[]> {
    // A handful of small items: one request reads them all.
    const { items } = await queryPage(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': LANES_PK },
      ConsistentRead: true,
    });
    return items.map((item) => ({
      lane: item.lane as Lane,
      lag_ms: Number(item.lag_ms),
      reported_at: Number(item.reported_at),
    }));
  }
}
