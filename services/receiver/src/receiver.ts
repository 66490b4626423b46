import {
  type Clock,
  DomainError,
  publicKeysOf,
  type SecretStore,
  UnauthorizedError,
} from '@hookrelay/domain';
import type { DynamoDbReceiverStateStore } from '@hookrelay/dynamodb';
import { verify } from '@hookrelay/signing';

export interface ReceiverDeps {
  readonly secrets: SecretStore;
  readonly state: Pick<DynamoDbReceiverStateStore, 'get' | 'setEnabled'>;
  readonly clock: Clock;
}

/** What the receiver answers a delivery that verifies. */
export interface Receipt {
  readonly status: 'received';
  readonly tenant_id: string;
  readonly scheme: string;
}

/**
 * Verifies one delivery against every signing secret the tenant's webhooks have now, and its
 * ed25519 signatures against their public keys. A tenant with no secrets is not found, a
 * disabled receiver unavailable, and a signature that does not verify unauthorized.
 */
export const receiveWebhook = async (
  deps: ReceiverDeps,
  tenantId: string,
  headers: Record<string, string | undefined>,
  body: string,
): Promise<Receipt> => {
  const now = deps.clock.now();
  const secrets = await deps.secrets.listForTenant(tenantId, now);
  if (secrets.size === 0) throw new DomainError('not_found', 'not_found', `Unknown tenant ${tenantId}.`);
  const state = await deps.state.get(tenantId);
  if (!state.enabled) throw new DomainError('unavailable', 'receiver_disabled', 'This receiver is disabled.');
  const all = [...secrets.values()].flat();
  const result = verify({
    secrets: all.map((s) => s.secret),
    publicKeys: publicKeysOf(all),
    headers,
    body,
    now: Math.floor(now / 1000),
  });
  if (!result.ok) throw new UnauthorizedError(`Signature rejected: ${result.reason}.`, 'invalid_signature');
  return { status: 'received', tenant_id: tenantId, scheme: result.scheme };
};
