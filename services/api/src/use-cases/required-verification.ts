import {
  awaitsVerification,
  type ChallengeQueue,
  type Clock,
  iso,
  type Tenant,
  type TenantStore,
  type Webhook,
  type WebhookStore,
} from '@hookrelay/domain';

interface RequirementPorts {
  readonly tenants: Pick<TenantStore, 'update'>;
  readonly webhooks: Pick<WebhookStore, 'list' | 'update'>;
  readonly clock: Clock;
  /** Where the first challenges of the webhooks the requirement leaves unverified go (the worker sends them). */
  readonly challenges?: ChallengeQueue;
}

/** What a webhook answer adds when the tenant, not the webhook, asked for the challenge. */
export const REQUIRED_BY_TENANT =
  'Your tenant requires the ownership challenge of every webhook (require_endpoint_verification), so this ' +
  'one answers it whatever its verification says.';

/**
 * Turns the tenant's requirement of the ownership challenge on or off, and writes it down on each
 * of its webhooks (`verification_required`), where the fan-out and the worker read it without
 * reading the tenant. The tenant is written first: a webhook made meanwhile reads the requirement
 * from it, and the sweep that follows reaches every webhook listed after. Each webhook the
 * requirement leaves unverified is challenged at once, by the worker (a message each, so that
 * the request does not wait on up to 50 endpoints), and again on the retry schedule if it does
 * not answer. Turning it off leaves each webhook's own `verification` as it was. Returns the
 * webhooks that, from now on, get nothing until their endpoint answers.
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
    if (current === required) {
      if (awaitsVerification(webhook)) unverified.push(webhook);
      continue;
    }
    const newlyUnverified = required && !awaitsVerification(webhook);
    const updated = await ports.webhooks.update(
      tenantId,
      webhook.id,
      { verification_required: required ? true : undefined },
      iso(ports.clock.now()),
    );
    if (!awaitsVerification(updated)) continue;
    unverified.push(
      newlyUnverified && ports.challenges ? await challengeSoon(ports, ports.challenges, updated) : updated,
    );
  }
  return { tenant, unverified };
};

/** Queues a first challenge for the worker now, and writes down that it is on its way. */
const challengeSoon = async (
  ports: RequirementPorts,
  challenges: ChallengeQueue,
  webhook: Webhook,
): Promise<Webhook> => {
  const at = iso(ports.clock.now());
  const message = {
    v: 1,
    kind: 'challenge',
    tenant_id: webhook.tenant_id,
    webhook_id: webhook.id,
    url: webhook.url,
    due_at: at,
    round: 0,
  } as const;
  // The webhook first: the message is stale unless it finds its due time written down.
  const updated = await ports.webhooks.update(
    webhook.tenant_id,
    webhook.id,
    { next_challenge_at: at, challenge_failures: undefined, challenge_error: undefined },
    at,
  );
  try {
    await challenges.sendChallenge(message, 0);
  } catch {
    // Not queued: POST /v1/webhooks/{id}/verify still asks; the view says none is coming.
    return ports.webhooks.update(webhook.tenant_id, webhook.id, { next_challenge_at: undefined }, at);
  }
  return updated;
};
