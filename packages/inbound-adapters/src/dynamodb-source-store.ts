import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '@hookrelay/domain';
import { queryItems, writeIf } from '@hookrelay/dynamodb';
import type { Source, SourcePatch, SourceRoute, SourceSecret, SourceStore } from '@hookrelay/inbound';
import { SOURCE_SK_PREFIX, sourceKey, sourcesPk, tokenKey } from './inbound-table-keys.js';

const toSource = (item: Record<string, unknown>): Source => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return { ...(rest as unknown as Source), rejected_count: Number(rest.rejected_count ?? 0) };
};

/**
 * Sources in the inbound table: the tenant's item (`TENANT#t` / `SOURCE#id`) and the token's
 * item (`TOKEN#token`) that the ingestion function reads, with the secrets, in one GetItem.
 * Every method but `route` takes the tenant.
 */
export class DynamoDbSourceStore implements SourceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private routeItem(source: Source, secrets: readonly SourceSecret[]) {
    const route: SourceRoute = {
      token: source.token,
      tenant_id: source.tenant_id,
      source_id: source.id,
      provider: source.provider,
      ...(source.config ? { config: source.config } : {}),
      forward: source.forward,
      secrets,
    };
    return { ...tokenKey(source.token), ...route };
  }

  async create(source: Source, secrets: readonly SourceSecret[]): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: { ...sourceKey(source.tenant_id, source.id), ...source },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.table,
              Item: this.routeItem(source, secrets),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  }

  async get(tenantId: string, sourceId: string): Promise<Source | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: sourceKey(tenantId, sourceId) }),
    );
    return out.Item ? toSource(out.Item) : undefined;
  }

  async list(tenantId: string): Promise<Source[]> {
    const items: Source[] = [];
    const query = {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': sourcesPk(tenantId), ':prefix': SOURCE_SK_PREFIX },
    };
    for await (const item of queryItems(this.db, query)) items.push(toSource(item));
    return items.sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  private async mustGet(tenantId: string, sourceId: string): Promise<Source> {
    const source = await this.get(tenantId, sourceId);
    if (!source) throw new NotFoundError('source', sourceId);
    return source;
  }

  async update(tenantId: string, sourceId: string, patch: SourcePatch, now: string): Promise<Source> {
    const source = await this.mustGet(tenantId, sourceId);
    const updated: Source = { ...source, ...patch, updated_at: now };
    const routing: Record<string, unknown> = {};
    if (patch.forward !== undefined) routing.forward = patch.forward;
    if (patch.config !== undefined) routing.config = patch.config;
    const sets = Object.keys(routing);
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: { ...sourceKey(tenantId, sourceId), ...updated },
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          ...(sets.length > 0
            ? [
                {
                  Update: {
                    TableName: this.table,
                    Key: tokenKey(source.token),
                    UpdateExpression: `SET ${sets.map((k) => `#${k} = :${k}`).join(', ')}`,
                    ExpressionAttributeNames: Object.fromEntries(sets.map((k) => [`#${k}`, k])),
                    ExpressionAttributeValues: Object.fromEntries(sets.map((k) => [`:${k}`, routing[k]])),
                  },
                },
              ]
            : []),
        ],
      }),
    );
    return updated;
  }

  async delete(tenantId: string, sourceId: string): Promise<boolean> {
    const source = await this.get(tenantId, sourceId);
    if (!source) return false;
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: this.table, Key: sourceKey(tenantId, sourceId) } },
          { Delete: { TableName: this.table, Key: tokenKey(source.token) } },
        ],
      }),
    );
    return true;
  }

  async secrets(tenantId: string, sourceId: string): Promise<readonly SourceSecret[]> {
    const source = await this.mustGet(tenantId, sourceId);
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: tokenKey(source.token),
        ConsistentRead: true,
      }),
    );
    return (out.Item?.secrets as SourceSecret[] | undefined) ?? [];
  }

  async setSecrets(
    tenantId: string,
    sourceId: string,
    secrets: readonly SourceSecret[],
    expected: readonly SourceSecret[],
    now: string,
  ): Promise<boolean> {
    const source = await this.mustGet(tenantId, sourceId);
    return writeIf(
      this.db,
      new PutCommand({
        TableName: this.table,
        Item: this.routeItem({ ...source, updated_at: now }, secrets),
        // Only over the secrets the caller built on: a rotation never builds on a stale list.
        ConditionExpression:
          expected.length === 0
            ? 'attribute_exists(pk) AND (attribute_not_exists(secrets) OR size(secrets) = :none)'
            : 'attribute_exists(pk) AND secrets = :expected',
        ExpressionAttributeValues: expected.length === 0 ? { ':none': 0 } : { ':expected': expected },
      }),
    );
  }

  async route(token: string): Promise<SourceRoute | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: tokenKey(token) }));
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, ...route } = out.Item;
    return route as SourceRoute;
  }

  async countRejected(tenantId: string, sourceId: string): Promise<void> {
    await writeIf(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: sourceKey(tenantId, sourceId),
        UpdateExpression: 'ADD rejected_count :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }
}
