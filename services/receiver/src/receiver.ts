import { type Clock, publicKeysOf, type SecretStore } from '@hookrelay/domain';
import type { DynamoDbReceiverStateStore } from '@hookrelay/dynamodb';
import { verify } from '@hookrelay/signing';

export interface ReceiverDeps {
  readonly secrets: SecretStore;
  readonly state: Pick<DynamoDbReceiverStateStore, 'get' | 'setEnabled'>;
  readonly clock: Clock;
}

export interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * Verifies one delivery against every signing secret the tenant's webhooks have now, and its
 * ed25519 signatures against their public keys.
 */
export const receiveWebhook = async (
  deps: ReceiverDeps,
  tenantId: string,
  headers: Record<string, string | undefined>,
  body: string,
): Promise<Reply> => {
  const now = deps.clock.now();
  const secrets = await deps.secrets.listForTenant(tenantId, now);
  if (secrets.size === 0)
    return { status: 404, body: { error: { code: 'not_found', message: `Unknown tenant ${tenantId}.` } } };
  const state = await deps.state.get(tenantId);
  if (!state.enabled) {
    return {
      status: 503,
      body: { error: { code: 'receiver_disabled', message: 'This receiver is disabled.' } },
    };
  }
  const all = [...secrets.values()].flat();
  const result = verify({
    secrets: all.map((s) => s.secret),
    publicKeys: publicKeysOf(all),
    headers,
    body,
    now: Math.floor(now / 1000),
  });
  if (!result.ok) {
    return {
      status: 401,
      body: { error: { code: 'invalid_signature', message: `Signature rejected: ${result.reason}.` } },
    };
  }
  return { status: 200, body: { status: 'received', tenant_id: tenantId, scheme: result.scheme } };
};
