import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SecretStore, SigningSecret } from '@hookrelay/domain';
import type { BatchReader } from './batch-reader.js';
import { writeIf } from './expressions.js';
import { secretsKey } from './keys/secrets-table.js';
import { queryItems } from './paged-query.js';

const valid = (secrets: readonly SigningSecret[], nowMs: number): SigningSecret[] =>
  secrets.filter((s) => s.expires_at === undefined || Date.parse(s.expires_at) > nowMs);

/** Signing secrets in a table of their own, so roles that must not see them cannot. */
export class DynamoDbSecretStore implements SecretStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** Reads by key through it, gathered with the other reads of the same moment. */
    private readonly reader?: BatchReader,
  ) {}

  async put(tenantId: string, webhookId: string, secrets: readonly SigningSecret[]): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...secretsKey(tenantId, webhookId), secrets },
      }),
    );
  }

  readonly rotate: SecretStore['rotate'] = async (tenantId, webhookId, current, nowMs, overlapMs, keep) => {
    const item = await this.readConsistent(tenantId, webhookId);
    const previousExpireAt = new Date(nowMs + overlapMs).toISOString();
    const previous = valid((item?.secrets as SigningSecret[] | undefined) ?? [], nowMs)
      .map((s) => ({ ...s, expires_at: s.expires_at ?? previousExpireAt }))
      .slice(0, Math.max(0, keep - 1));
    const written = await this.writeIfUnchanged(tenantId, webhookId, item, [{ ...current }, ...previous]);
    return written ? { previousExpireAt } : 'conflict';
  };

  async addSigningKey(
    tenantId: string,
    webhookId: string,
    signingKey: string,
    nowMs: number,
  ): Promise<SigningSecret[] | 'conflict'> {
    const item = await this.readConsistent(tenantId, webhookId);
    const secrets = valid((item?.secrets as SigningSecret[] | undefined) ?? [], nowMs);
    const [current, ...rest] = secrets;
    if (!current || current.signing_key !== undefined) return secrets;
    const updated = [{ ...current, signing_key: signingKey }, ...rest];
    return (await this.writeIfUnchanged(tenantId, webhookId, item, updated)) ? updated : 'conflict';
  }

  private async readConsistent(tenantId: string, webhookId: string) {
    const key = secretsKey(tenantId, webhookId);
    return (await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true })))
      .Item;
  }

  /** Writes the secrets only if the item is still as `item` was read: false when it changed. */
  private async writeIfUnchanged(
    tenantId: string,
    webhookId: string,
    item: Record<string, unknown> | undefined,
    secrets: readonly SigningSecret[],
  ): Promise<boolean> {
    const key = secretsKey(tenantId, webhookId);
    const version = item?.version as number | undefined;
    return writeIf(
      this.db,
      new PutCommand({
        TableName: this.table,
        Item: { ...key, secrets, version: (version ?? 0) + 1 },
        // Whoever read the same secrets first wins: a change never builds on a stale list.
        ...(!item
          ? { ConditionExpression: 'attribute_not_exists(tenant_id)' }
          : version === undefined
            ? { ConditionExpression: 'attribute_not_exists(version)' }
            : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': version } }),
      }),
    );
  }

  async get(tenantId: string, webhookId: string, nowMs: number): Promise<SigningSecret[]> {
    const key = secretsKey(tenantId, webhookId);
    const item = this.reader
      ? await this.reader.get(this.table, key)
      : (await this.db.send(new GetCommand({ TableName: this.table, Key: key }))).Item;
    return valid((item?.secrets as SigningSecret[] | undefined) ?? [], nowMs);
  }

  async listForTenant(tenantId: string, nowMs: number): Promise<Map<string, SigningSecret[]>> {
    const found = new Map<string, SigningSecret[]>();
    const query = {
      TableName: this.table,
      KeyConditionExpression: 'tenant_id = :t',
      ExpressionAttributeValues: { ':t': tenantId },
    };
    for await (const item of queryItems(this.db, query)) {
      found.set(item.webhook_id as string, valid((item.secrets as SigningSecret[]) ?? [], nowMs));
    }
    return found;
  }

  async delete(tenantId: string, webhookId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: secretsKey(tenantId, webhookId) }));
  }
}
