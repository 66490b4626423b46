import {
  type Clock,
  ConflictError,
  publicKeysOf,
  type SecretStore,
  type SigningSecret,
  signsWithEd25519,
  type Webhook,
} from '@hookrelay/domain';
import { generateSigningKey } from '@hookrelay/signing';

interface SigningKeyPorts {
  readonly secrets: Pick<SecretStore, 'get' | 'addSigningKey'>;
  readonly clock: Clock;
}

export const ROTATION_CONFLICT =
  'Another rotation of this secret happened at the same moment; its secret is the current one. Rotate again if you need a new one.';

/** The public keys a webhook's view shows: only for one that signs with ed25519 (a read then). */
export const publicKeysFor = async (
  ports: Pick<SigningKeyPorts, 'secrets' | 'clock'>,
  webhook: Webhook,
): Promise<string[] | undefined> =>
  signsWithEd25519(webhook)
    ? publicKeysOf(await ports.secrets.get(webhook.tenant_id, webhook.id, ports.clock.now()))
    : undefined;

/**
 * The live secrets of a webhook about to sign with ed25519, the current one with a signing key:
 * a secret made before the scheme existed gets one now, before the webhook may choose it.
 *
 * @example const secrets = await secretsReadyForEd25519({ secrets, clock }, 'acme', 'wh_...');
 */
export const secretsReadyForEd25519 = async (
  ports: SigningKeyPorts,
  tenantId: string,
  id: string,
): Promise<SigningSecret[]> => {
  const now = ports.clock.now();
  const secrets = await ports.secrets.get(tenantId, id, now);
  if (secrets[0]?.signing_key !== undefined) return secrets;
  // A change at the same moment (the same choice made twice, a rotation) may win the write: try
  // once more on what it left, which keeps its key if it made one.
  for (let tries = 0; tries < 2; tries++) {
    const updated = await ports.secrets.addSigningKey(tenantId, id, generateSigningKey(), now);
    if (updated !== 'conflict') return updated;
  }
  throw new ConflictError(ROTATION_CONFLICT, 'rotation_conflict');
};
