import {
  awaitsVerification,
  type Clock,
  iso,
  type Tenant,
  type TenantStore,
  type Webhook,
  type WebhookStore,
} from '@hookrelay/domain';

export interface RequirementPorts {
  readonly tenants: Pick<TenantStore, 'update'>;
  readonly webhooks: Pick<WebhookStore, 'list' | 'update'>;
  readonly clock: Clock;
}

/** What a webhook answer adds when the tenant, not the webhook, asked for the challenge. */
export const REQUIRED_BY_TENANT =
  'Your tenant requires the ownership challenge of every webhook (require_endpoint_verification), so this ' +
  'one answers it whatever its verification says.';

/**
 * Turns the tenant's requirement of the ownership challenge on or off, and writes it down on each
 * of its webhooks (`verification_required`), where the fan-out and the worker read it without
 * reading the tenant. The tenant is written first: a webhook made meanwhile reads the requirement
 * from it, and the sweep that follows reaches every webhook listed after. Turning it off leaves
 * each webhook's own `verification` as it was. Returns the webhooks that, from now on, get nothing
 * until their endpoint answers.
 *
 * @example const { tenant, unverified } = await requireVerification({ tenants, webhooks, clock }, 'acme', true);
 */
export const requireVerification = async (
  ports: RequirementPorts,
  tenantId: string,
  required: boolean,
): Promise<{ tenant: Tenant; unverified: readonly Webhook[] }> => {
  const tenant = await ports.tenants.update(
    tenantId,
    { require_endpoint_verification: required },
    iso(ports.clock.now()),
  );
  const unverified: Webhook[] = [];
  for (const webhook of await ports.webhooks.list(tenantId)) {
    const current = webhook.verification_required === true;
    const updated =
      current === required
        ? webhook
        : await ports.webhooks.update(
            tenantId,
            webhook.id,
            { verification_required: required ? true : undefined },
            iso(ports.clock.now()),
          );
    if (awaitsVerification(updated)) unverified.push(updated);
  }
  return { tenant, unverified };
};
