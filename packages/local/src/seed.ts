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
  for (const tenantId of SEED_TENANTS) {
    const res = await fetch(`${apiUrl}/v1/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        tenant_id: tenantId,
        target_url: `${receiverUrl}/${tenantId}/webhook`,
        plan: 'pro',
      }),
    });
    const body = (await res.json()) as {
      api_key?: string;
      default_webhook_id?: string;
      error?: { code: string };
    };
    if (res.status === 201) {
      seeded.push({
        tenant_id: tenantId,
        ...(body.api_key ? { api_key: body.api_key } : {}),
        ...(body.default_webhook_id ? { webhook_id: body.default_webhook_id } : {}),
        created: true,
      });
    } else if (res.status === 409) {
      seeded.push({ tenant_id: tenantId, created: false });
    } else {
      throw new Error(`seeding ${tenantId} failed: ${res.status} ${JSON.stringify(body)}`);
    }
  }
  return seeded;
};
