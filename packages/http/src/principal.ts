import { ForbiddenError, type Plan, type Principal, UnauthorizedError } from '@hookrelay/domain';
import type { APIGatewayProxyEvent } from 'aws-lambda';

/** The authorizer's context as the gateway hands it over (every value a string). */
export interface AuthorizerContext {
  readonly tenant_id: string;
  readonly scopes: string;
  readonly plan: string;
  readonly key_id: string;
}

export const principalOf = (event: APIGatewayProxyEvent): Principal => {
  const ctx = event.requestContext?.authorizer as Partial<AuthorizerContext> | null | undefined;
  if (!ctx?.tenant_id || !ctx.scopes) throw new UnauthorizedError();
  return {
    tenant_id: ctx.tenant_id,
    scopes: ctx.scopes.split(' ').filter((s): s is 'admin' | 'tenant' => s === 'admin' || s === 'tenant'),
    plan: (ctx.plan ?? 'free') as Plan,
    key_id: ctx.key_id ?? '',
  };
};

export const requireScope = (principal: Principal, scope: 'admin' | 'tenant'): Principal => {
  if (!principal.scopes.includes(scope)) {
    throw new ForbiddenError(
      scope === 'admin' ? 'Only the admin key can manage tenants.' : 'This route needs a tenant API key.',
    );
  }
  return principal;
};
