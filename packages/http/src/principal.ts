import {
  ForbiddenError,
  type Plan,
  type PortalCapability,
  type Principal,
  type Scope,
  UnauthorizedError,
} from '@hookrelay/domain';
import type { APIGatewayProxyEvent } from 'aws-lambda';

/** The authorizer's context as the gateway hands it over (every value a string). */
interface AuthorizerContext {
  readonly tenant_id: string;
  readonly scopes: string;
  readonly plan: string;
  readonly key_id: string;
  /** A portal session's capabilities, space-separated; absent for keys. */
  readonly capabilities?: string;
}

export const principalOf = (event: APIGatewayProxyEvent): Principal => {
  const ctx = event.requestContext?.authorizer as Partial<AuthorizerContext> | null | undefined;
  if (!ctx?.tenant_id || !ctx.scopes) throw new UnauthorizedError();
  return {
    tenant_id: ctx.tenant_id,
    scopes: ctx.scopes
      .split(' ')
      .filter((s): s is Scope => s === 'admin' || s === 'tenant' || s === 'portal'),
    plan: (ctx.plan ?? 'free') as Plan,
    key_id: ctx.key_id ?? '',
    ...(ctx.capabilities !== undefined
      ? {
          capabilities: ctx.capabilities
            .split(' ')
            .filter((c): c is PortalCapability => c === 'read' || c === 'manage'),
        }
      : {}),
  };
};

/**
 * Whether the principal may call a route declared for `auth`: the admin key the admin routes, a
 * tenant key the tenant routes, and a portal session exactly the tenant routes that name the
 * capability it needs (`portal`) when it holds that capability, and the portal's own routes.
 */
export const requireAccess = (
  principal: Principal,
  auth: 'admin' | 'tenant' | 'portal',
  portal?: PortalCapability,
): Principal => {
  if (principal.scopes.includes('portal')) {
    if (auth === 'portal') return principal;
    if (auth === 'tenant' && portal && principal.capabilities?.includes(portal)) return principal;
    throw new ForbiddenError(
      auth === 'tenant' && portal === 'manage'
        ? 'This portal session may only read; ask for a session with the manage capability.'
        : 'A portal session cannot call this route.',
    );
  }
  if (auth === 'portal') throw new ForbiddenError('This route is for portal sessions.');
  return requireScope(principal, auth);
};

const requireScope = (principal: Principal, scope: 'admin' | 'tenant'): Principal => {
  if (!principal.scopes.includes(scope)) {
    throw new ForbiddenError(
      scope === 'admin' ? 'Only the admin key can manage tenants.' : 'This route needs a tenant API key.',
    );
  }
  return principal;
};
