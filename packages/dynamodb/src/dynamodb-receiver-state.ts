import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

interface ReceiverState {
  readonly tenant_id: string;
  readonly enabled: boolean;
  readonly received_count: number;
  readonly updated_at: string;
}

/** The reference receiver's per-tenant switch (enabled/disabled), kept in DynamoDB. */
export class DynamoDbReceiverStateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(tenantId: string): Promise<ReceiverState> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { tenant_id: tenantId }, ConsistentRead: true }),
    );
    return (
      (out.Item as ReceiverState | undefined) ?? {
        tenant_id: tenantId,
        enabled: true,
        received_count: 0,
        updated_at: '',
      }
    );
  }

  async setEnabled(tenantId: string, enabled: boolean, now: string): Promise<ReceiverState> {
    const current = await this.get(tenantId);
    const next = { ...current, enabled, updated_at: now };
    await this.db.send(new PutCommand({ TableName: this.table, Item: next }));
    return next;
  }
}
