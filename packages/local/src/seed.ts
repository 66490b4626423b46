import { createHookrelayClient } from '@hookrelay/client';

const SEED_TENANTS = ['test-tenant', 'acme', 'globex'] as const;

interface SeededTenant {
  readonly tenant_id: string;
  /** The key, when this run created the tenant (keys are shown once). */
  readonly api_key?: string;
  readonly webhook_id?: string;
  readonly created: boolean;
  /** Why the tenant has no webhook on the receiver (its address refused by DESTINATION_ALLOWLIST). */
  readonly skipped?: string;
}

const refusedTarget = (error: unknown): string | undefined => {
  const details = (error as { error?: { details?: { field?: string; message?: string }[] } })?.error?.details;
  const refused = details?.find((d) => d.field?.includes('target_url'));
  return refused ? (refused.message ?? 'refused') : undefined;
};

/**
 * Creates the seed tenants through the API with the admin key, each with a default webhook
 * on the reference receiver; tenants that exist are left alone (their key was shown when
 * they were created). Where the API refuses the receiver's loopback address (an empty
 * DESTINATION_ALLOWLIST, as in production), the tenant is created without the webhook and
 * `skipped` says why.
 */
export const seedTenants = async (
  apiUrl: string,
  adminKey: string,
  receiverUrl: string,
): Promise<SeededTenant[]> => {
  const seeded: SeededTenant[] = [];
  const admin = createHookrelayClient({ baseUrl: apiUrl, apiKey: adminKey });
  for (const tenantId of SEED_TENANTS) {
    const target_url = `${receiverUrl}/${tenantId}/webhook`;
    let { data, error, response } = await admin.POST('/v1/tenants', {
      body: { tenant_id: tenantId, target_url, plan: 'pro' },
    });
    const refused = response.status === 400 ? refusedTarget(error) : undefined;
    if (refused) {
      ({ data, error, response } = await admin.POST('/v1/tenants', {
        body: { tenant_id: tenantId, plan: 'pro' },
      }));
    }
    const skipped = refused ? `no webhook on ${target_url}: ${refused}` : undefined;
    if (data) {
      seeded.push({
        tenant_id: tenantId,
        ...(data.api_key ? { api_key: data.api_key } : {}),
        ...(data.default_webhook_id ? { webhook_id: data.default_webhook_id } : {}),
        created: true,
        ...(skipped ? { skipped } : {}),
      });
    } else if (response.status === 409) {
      seeded.push({ tenant_id: tenantId, created: false });
    } else {
      throw new Error(`seeding ${tenantId} failed: ${response.status} ${JSON.stringify(error)}`);
    }
  }
  return seeded;
};

/**
 * A portal link for each tenant whose key is known (read and manage, for a day), opened through
 * the API as a SaaS would open one for its customer; a tenant whose link fails gets its reason.
 */
export const portalLinks = async (
  apiUrl: string,
  keys: Readonly<Record<string, string>>,
): Promise<{ tenant_id: string; url?: string; error?: string }[]> =>
  Promise.all(
    Object.entries(keys).map(async ([tenantId, apiKey]) => {
      const api = createHookrelayClient({ baseUrl: apiUrl, apiKey });
      const { data, error, response } = await api.POST('/v1/portal/sessions', {
        body: { ttl_seconds: 86_400 },
      });
      return data
        ? { tenant_id: tenantId, url: data.url }
        : { tenant_id: tenantId, error: `${response.status} ${JSON.stringify(error)}` };
    }),
  );
