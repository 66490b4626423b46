import { createHookrelayClient } from '@hookrelay/client';

export const SEED_TENANTS = ['test-tenant', 'acme', 'globex'] as const;

export interface SeededTenant {
  readonly tenant_id: string;
  /** The key, when this run created the tenant (keys are shown once). */
  readonly api_key?: string;
  readonly webhook_id?: string;
  readonly created: boolean;
}

/**
 * Creates the seed tenants through the API with the admin key, each with a default webhook
 * on the reference receiver; tenants that exist are left alone (their key was shown when
 * they were created).
 */
export const seedTenants = async (
  apiUrl: string,
  adminKey: string,
  receiverUrl: string,
): Promise<SeededTenant[]> => {
  const seeded: SeededTenant[] = [];
  const admin = createHookrelayClient({ baseUrl: apiUrl, apiKey: adminKey });
  for (const tenantId of SEED_TENANTS) {
    const { data, error, response } = await admin.POST('/v1/tenants', {
      body: { tenant_id: tenantId, target_url: `${receiverUrl}/${tenantId}/webhook`, plan: 'pro' },
    });
    if (data) {
      seeded.push({
        tenant_id: tenantId,
        ...(data.api_key ? { api_key: data.api_key } : {}),
        ...(data.default_webhook_id ? { webhook_id: data.default_webhook_id } : {}),
        created: true,
      });
    } else if (response.status === 409) {
      seeded.push({ tenant_id: tenantId, created: false });
    } else {
      throw new Error(`seeding ${tenantId} failed: ${response.status} ${JSON.stringify(error)}`);
    }
  }
  return seeded;
};
