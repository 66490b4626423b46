import { hashApiKey, type KeyStore, type Principal, sameKey } from '@hookrelay/domain';

export interface AuthorizeDeps {
  readonly keys: KeyStore;
  /** The stage's admin key; when unset no request is admin. */
  readonly adminKey?: string;
}

/**
 * Bearer key → principal, or undefined (the gateway answers 401). Disabled tenants and
 * unknown or revoked keys all look the same to the caller.
 */
export const authorize = async (
  deps: AuthorizeDeps,
  authorization: string | undefined,
): Promise<Principal | undefined> => {
  const match = /^Bearer\s+(\S{1,512})\s*$/i.exec(authorization ?? '');
  const key = match?.[1];
  if (!key) return undefined;
  if (deps.adminKey && sameKey(key, deps.adminKey)) {
    return { tenant_id: '*', scopes: ['admin'], plan: 'enterprise', key_id: 'admin' };
  }
  const found = await deps.keys.resolve(hashApiKey(key));
  if (found?.status !== 'active') return undefined;
  return { tenant_id: found.key.tenant_id, scopes: ['tenant'], plan: found.plan, key_id: found.key.key_id };
};
