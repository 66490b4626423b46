import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { INDEX } from '@hookrelay/definitions';
import type { ApiKeyRecord, ApiKeySummary, KeyStore, Plan, TenantStatus } from '@hookrelay/domain';
import { apiKeyKey, tenantAccessKey } from './keys/api-keys-table.js';
import { queryAll } from './paged-query.js';

/**
 * API keys by SHA-256 hash, plus a copy of each tenant's status and plan: everything the
 * authorizer needs lives in this one table, so its role can be limited to it.
 */
export class DynamoDbKeyStore implements KeyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async putKey(record: ApiKeyRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...apiKeyKey(record.key_hash), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async putTenantAccess(tenantId: string, status: TenantStatus, plan: Plan): Promise<void> {
    // An update, not a put: the item also holds when the tenant's portal sessions were all ended.
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: tenantAccessKey(tenantId),
        UpdateExpression: 'SET access_status = :s, #plan = :p',
        ExpressionAttributeNames: { '#plan': 'plan' },
        ExpressionAttributeValues: { ':s': status, ':p': plan },
      }),
    );
  }

  async resolve(
    keyHash: string,
  ): Promise<{ key: ApiKeyRecord; status: TenantStatus; plan: Plan } | undefined> {
    const key = await this.db.send(new GetCommand({ TableName: this.table, Key: apiKeyKey(keyHash) }));
    if (!key.Item) return undefined;
    const record = key.Item as ApiKeyRecord & { pk: string };
    const access = await this.db.send(
      new GetCommand({ TableName: this.table, Key: tenantAccessKey(record.tenant_id) }),
    );
    if (!access.Item) return undefined;
    return {
      key: {
        key_id: record.key_id,
        key_hash: record.key_hash,
        tenant_id: record.tenant_id,
        created_at: record.created_at,
        ...(record.hint ? { hint: record.hint } : {}),
      },
      status: access.Item.access_status as TenantStatus,
      plan: access.Item.plan as Plan,
    };
  }

  async listKeys(tenantId: string): Promise<ApiKeySummary[]> {
    return (await this.byTenant(tenantId)).map((item) => ({
      key_id: item.key_id as string,
      tenant_id: item.tenant_id as string,
      created_at: item.created_at as string,
      ...(item.hint ? { hint: item.hint as string } : {}),
    }));
  }

  async revokeKey(tenantId: string, keyId: string): Promise<boolean> {
    const item = (await this.byTenant(tenantId)).find((candidate) => candidate.key_id === keyId);
    if (!item) return false;
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: { pk: item.pk } }));
    return true;
  }

  /** The tenant's key items from the by-tenant index (a tenant holds a handful of keys). */
  private byTenant(tenantId: string): Promise<Record<string, unknown>[]> {
    return queryAll(this.db, {
      TableName: this.table,
      IndexName: INDEX.keysByTenant,
      KeyConditionExpression: 'tenant_id = :t',
      ExpressionAttributeValues: { ':t': tenantId },
    });
  }
}
