// The endpoint credentials table (`endpoint-credentials`): the tenant, then what the item is.

/** A webhook's OAuth2 client secret and client-certificate key. */
export const credentialsKey = (tenantId: string, webhookId: string) => ({
  tenant_id: tenantId,
  sk: `CRED#${webhookId}`,
});
/** An OAuth2 access token of a webhook's credentials version, shared by every worker instance. */
export const accessTokenKey = (tenantId: string, webhookId: string, credentialsId: string) => ({
  tenant_id: tenantId,
  sk: `TOKEN#${webhookId}#${credentialsId}`,
});
