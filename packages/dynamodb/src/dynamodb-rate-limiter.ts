import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateLimiter } from '@hookrelay/domain';
import { isConditionFailure } from './expressions.js';
import { rateWindowKey } from './keys/data-table.js';

/**
 * One counter item per webhook per second, taken with a conditional increment: a delivery
 * goes when the second's count is under the limit, else waits for the next second. The items
 * live in a partition of the webhook's own (not the tenant's) and expire by TTL a minute on.
 */
export class DynamoDbRateLimiter implements RateLimiter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async take(tenantId: string, webhookId: string, perSecond: number, nowMs: number): Promise<number> {
    const second = Math.floor(nowMs / 1000);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: rateWindowKey(tenantId, webhookId, second),
          UpdateExpression: 'ADD taken :one SET expires_at = :expires',
          ConditionExpression: 'attribute_not_exists(taken) OR taken < :limit',
          ExpressionAttributeValues: { ':one': 1, ':limit': perSecond, ':expires': second + 60 },
        }),
      );
      return 0;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (second + 1) * 1000 - nowMs;
    }
  }
}
