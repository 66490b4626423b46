import {
  hashApiKey,
  hashPortalToken,
  type KeyStore,
  PORTAL_TOKEN_PREFIX,
  type PortalSessionStore,
  type Principal,
  portalSessionRefusal,
  sameKey,
  sessionIdOfToken,
} from '@hookrelay/domain';

interface AuthorizeDeps {
  readonly keys: KeyStore;
  readonly sessions: PortalSessionStore;
  /** The stage's admin key; when unset no request is admin. */
  readonly adminKey?: string;
  readonly now: () => string;
}

/**
 * A portal session's token → its tenant with the `portal` scope and the session's capabilities,
 * while the session is live. The API checks the session again on every request, so a revoked
 * session stops at once even while the gateway reuses this answer.
 */
const authorizePortal = async (deps: AuthorizeDeps, token: string): Promise<Principal | undefined> => {
  const sessionId = sessionIdOfToken(token);
  if (!sessionId) return undefined;
  const resolved = await deps.sessions.resolve(sessionId);
  if (!resolved || !sameKey(hashPortalToken(token), resolved.session.token_hash)) return undefined;
  if (portalSessionRefusal(resolved, deps.now())) return undefined;
  return {
    tenant_id: resolved.session.tenant_id,
    scopes: ['portal'],
    plan: resolved.plan,
    key_id: sessionId,
    capabilities: resolved.session.capabilities,
  };
};

/**
 * Bearer key or portal token → principal, or undefined (the gateway answers 401). Disabled
 * tenants and unknown, revoked or expired credentials all look the same to the caller.
 */
export const authorize = async (
  deps: AuthorizeDeps,
  authorization: string | undefined,
): Promise<Principal | undefined> => {
  const match = /^Bearer\s+(\S{1,512})\s*$/i.exec(authorization ?? '');
  const key = match?.[1];
  if (!key) return undefined;
  if (key.startsWith(PORTAL_TOKEN_PREFIX)) return authorizePortal(deps, key);
  if (deps.adminKey && sameKey(key, deps.adminKey)) {
    return { tenant_id: '*', scopes: ['admin'], plan: 'enterprise', key_id: 'admin' };
  }
  const found = await deps.keys.resolve(hashApiKey(key));
  if (found?.status !== 'active') return undefined;
  return { tenant_id: found.key.tenant_id, scopes: ['tenant'], plan: found.plan, key_id: found.key.key_id };
};
