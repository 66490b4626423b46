// The signing secrets table (`webhook-secrets`): one item per webhook, under its tenant.

export const secretsKey = (tenantId: string, webhookId: string) => ({
  tenant_id: tenantId,
  webhook_id: webhookId,
});
