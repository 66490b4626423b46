// The API keys table (`api-keys`): one partition key, `pk`, whose prefix says what the item is.

/** An API key, by the SHA-256 hash of the key. */
export const apiKeyKey = (keyHash: string) => ({ pk: `KEY#${keyHash}` });
/** The tenant's status and plan as the authorizer reads them, and when its portal sessions ended. */
export const tenantAccessKey = (tenantId: string) => ({ pk: `TENANT#${tenantId}` });
/** A portal session, by its id. */
export const portalSessionKey = (sessionId: string) => ({ pk: `PSESSION#${sessionId}` });
