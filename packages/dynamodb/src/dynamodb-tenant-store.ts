import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError, type Tenant, type TenantStore } from '@hookrelay/domain';
import { isConditionFailure, updateExpression, writeIf } from './expressions.js';
import { tenantItemKey } from './keys/data-table.js';

const toTenant = (item: Record<string, unknown>): Tenant => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as Tenant;
};

export class DynamoDbTenantStore implements TenantStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(tenant: Tenant): Promise<boolean> {
    return writeIf(
      this.db,
      new PutCommand({
        TableName: this.table,
        Item: { ...tenantItemKey(tenant.tenant_id), ...tenant },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(tenantId: string): Promise<Tenant | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: tenantItemKey(tenantId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? toTenant(out.Item) : undefined;
  }

  async update(
    tenantId: string,
    patch: Partial<Pick<Tenant, 'status' | 'plan' | 'default_webhook_id' | 'require_endpoint_verification'>>,
    now: string,
  ): Promise<Tenant> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: tenantItemKey(tenantId),
          ...updateExpression({ ...patch, updated_at: now }),
          ConditionExpression: 'attribute_exists(pk)',
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toTenant(out.Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) throw new NotFoundError('tenant', tenantId);
      throw error;
    }
  }
}
