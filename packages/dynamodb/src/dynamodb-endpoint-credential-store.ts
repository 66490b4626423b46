import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type {
  CachedToken,
  EndpointCredentialStore,
  EndpointCredentials,
  TokenCache,
} from '@hookrelay/domain';
import { accessTokenKey, credentialsKey } from './keys/credentials-table.js';

/**
 * A webhook's OAuth2 client secret and client-certificate key, one item per webhook in the
 * credentials table (which only the API and the worker may read; SSE-KMS at rest like every table).
 */
export class DynamoDbEndpointCredentialStore implements EndpointCredentialStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(tenantId: string, webhookId: string): Promise<EndpointCredentials | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: credentialsKey(tenantId, webhookId) }),
    );
    if (!out.Item) return undefined;
    const { oauth_client_secret, tls_private_key } = out.Item as EndpointCredentials;
    return {
      ...(oauth_client_secret !== undefined ? { oauth_client_secret } : {}),
      ...(tls_private_key !== undefined ? { tls_private_key } : {}),
    };
  }

  async put(tenantId: string, webhookId: string, credentials: EndpointCredentials): Promise<void> {
    if (credentials.oauth_client_secret === undefined && credentials.tls_private_key === undefined) {
      await this.delete(tenantId, webhookId);
      return;
    }
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...credentialsKey(tenantId, webhookId), ...credentials },
      }),
    );
  }

  async delete(tenantId: string, webhookId: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({
        TableName: this.table,
        Key: credentialsKey(tenantId, webhookId),
      }),
    );
  }
}

/**
 * OAuth2 access tokens shared by every worker instance (and the API's test sends), one item per
 * webhook and credentials version, removed by TTL once the token has expired. A read checks the
 * time itself: TTL deletes lag by up to days.
 */
export class DynamoDbTokenCache implements TokenCache {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(
    tenantId: string,
    webhookId: string,
    credentialsId: string,
    nowMs: number,
  ): Promise<CachedToken | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: accessTokenKey(tenantId, webhookId, credentialsId),
      }),
    );
    const item = out.Item;
    if (!item || typeof item.access_token !== 'string' || Number(item.use_until) <= nowMs) return undefined;
    return { access_token: item.access_token, use_until: Number(item.use_until) };
  }

  async put(tenantId: string, webhookId: string, credentialsId: string, token: CachedToken): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...accessTokenKey(tenantId, webhookId, credentialsId),
          access_token: token.access_token,
          use_until: token.use_until,
          // Gone by TTL a while after it stops being used.
          expires_at: Math.ceil(token.use_until / 1000) + 3600,
        },
      }),
    );
  }
}
