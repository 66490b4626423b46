import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  Plan,
  PortalSession,
  PortalSessionStore,
  ResolvedPortalSession,
  TenantStatus,
} from '@hookrelay/domain';
import { writeIf } from './expressions.js';
import { portalSessionKey, tenantAccessKey } from './keys/api-keys-table.js';

/**
 * Portal sessions in the keys table, beside the API keys, so the authorizer reads both from the
 * one table its role allows. A session item names its tenant as `session_tenant` (not
 * `tenant_id`), which keeps it out of the keys-by-tenant index the key list reads; it expires by
 * the table's TTL a day after the session does. Ending all of a tenant's sessions is one write:
 * an instant on the tenant's access item that every older session is checked against.
 */
export class DynamoDbPortalSessionStore implements PortalSessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(session: PortalSession): Promise<void> {
    const { tenant_id, ...rest } = session;
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...portalSessionKey(session.session_id),
          session_tenant: tenant_id,
          ...rest,
          ttl: Math.floor(Date.parse(session.expires_at) / 1000) + 86_400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async resolve(sessionId: string): Promise<ResolvedPortalSession | undefined> {
    const found = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: portalSessionKey(sessionId),
        ConsistentRead: true,
      }),
    );
    const item = found.Item;
    if (!item) return undefined;
    const tenantId = item.session_tenant as string;
    const access = await this.db.send(
      new GetCommand({ TableName: this.table, Key: tenantAccessKey(tenantId), ConsistentRead: true }),
    );
    if (!access.Item) return undefined;
    return {
      session: {
        session_id: item.session_id as string,
        tenant_id: tenantId,
        token_hash: item.token_hash as string,
        capabilities: item.capabilities as PortalSession['capabilities'],
        theme: (item.theme ?? {}) as PortalSession['theme'],
        frame_origins: (item.frame_origins ?? []) as string[],
        created_at: item.created_at as string,
        expires_at: item.expires_at as string,
        ...(item.revoked_at ? { revoked_at: item.revoked_at as string } : {}),
      },
      status: access.Item.access_status as TenantStatus,
      plan: access.Item.plan as Plan,
      ...(access.Item.portal_not_before ? { not_before: access.Item.portal_not_before as string } : {}),
    };
  }

  async revoke(tenantId: string, sessionId: string, now: string): Promise<boolean> {
    return writeIf(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: portalSessionKey(sessionId),
        UpdateExpression: 'SET revoked_at = :now',
        ConditionExpression: 'session_tenant = :t AND attribute_not_exists(revoked_at)',
        ExpressionAttributeValues: { ':now': now, ':t': tenantId },
      }),
    );
  }

  async revokeAll(tenantId: string, now: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: tenantAccessKey(tenantId),
        UpdateExpression: 'SET portal_not_before = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':now': now },
      }),
    );
  }
}
