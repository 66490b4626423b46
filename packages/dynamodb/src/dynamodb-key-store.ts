import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { INDEX } from '@hookrelay/definitions';
import type { ApiKeyRecord, KeyStore, Plan, TenantStatus } from '@hookrelay/domain';
import { keyPk, tenantAccessPk } from './keys.js';

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
        Item: { pk: keyPk(record.key_hash), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async putTenantAccess(tenantId: string, status: TenantStatus, plan: Plan): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: tenantAccessPk(tenantId), access_status: status, plan },
      }),
    );
  }

  async resolve(
    keyHash: string,
  ): Promise<{ key: ApiKeyRecord; status: TenantStatus; plan: Plan } | undefined> {
    const key = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: keyPk(keyHash) } }));
    if (!key.Item) return undefined;
    const record = key.Item as ApiKeyRecord & { pk: string };
    const access = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: tenantAccessPk(record.tenant_id) } }),
    );
    if (!access.Item) return undefined;
    return {
      key: {
        key_id: record.key_id,
        key_hash: record.key_hash,
        tenant_id: record.tenant_id,
        created_at: record.created_at,
      },
      status: access.Item.access_status as TenantStatus,
      plan: access.Item.plan as Plan,
    };
  }

  async revokeKey(tenantId: string, keyId: string): Promise<void> {
    const found = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: INDEX.keysByTenant,
        KeyConditionExpression: 'tenant_id = :t',
        ExpressionAttributeValues: { ':t': tenantId },
      }),
    );
    for (const item of found.Items ?? []) {
      if (item.key_id === keyId)
        await this.db.send(new DeleteCommand({ TableName: this.table, Key: { pk: item.pk } }));
    }
  }
}
