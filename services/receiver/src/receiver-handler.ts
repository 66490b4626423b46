import type { Logger } from '@aws-lambda-powertools/logger';
import type { Secret } from '@hookrelay/config/secrets';
import { DomainError, iso, sameKey, UnauthorizedError } from '@hookrelay/domain';
import { httpErrorHandler, jsonResponse, statusOf } from '@hookrelay/http';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type ReceiverDeps, receiveWebhook } from './receiver.js';

interface ReceiverOptions {
  /**
   * The admin key that the control routes (`enable`, `disable`, `status`) require as a bearer
   * token. Cloud stages always set it; the local platform, on loopback, leaves them open.
   */
  readonly controlKey?: Secret;
}

const TENANT = /^[a-z0-9][a-z0-9_-]{1,62}$/;

/** A path whose tenant cannot exist, or that the control routes do not know, names no route. */
const noSuchRoute = () => new DomainError('not_found', 'route_not_found', 'No such route.');

const tenantOf = (event: APIGatewayProxyEvent): string => {
  const tenantId = event.pathParameters?.tenantId ?? '';
  if (!TENANT.test(tenantId)) throw noSuchRoute();
  return tenantId;
};

/**
 * The reference receiver: `/health` and `/{tenantId}/webhook` are public (a delivery proves
 * itself with its signature); the control routes need the admin key when one is configured.
 */
export const createReceiverHandler = (deps: ReceiverDeps, logger: Logger, options: ReceiverOptions = {}) => {
  const requireControlKey = async (event: APIGatewayProxyEvent): Promise<void> => {
    if (!options.controlKey) return;
    const match = /^Bearer\s+(\S{1,512})\s*$/i.exec(event.headers?.authorization ?? '');
    const given = match?.[1];
    if (!given || !sameKey(given, await options.controlKey.value())) {
      throw new UnauthorizedError('The admin key is required in the Authorization header.');
    }
  };

  /** A tenant the receiver knows: one with at least one webhook secret. Others change nothing. */
  const knownTenantOf = async (event: APIGatewayProxyEvent): Promise<string> => {
    const tenantId = tenantOf(event);
    const secrets = await deps.secrets.listForTenant(tenantId, deps.clock.now());
    if (secrets.size === 0) throw noSuchRoute();
    return tenantId;
  };

  const toggle = (enabled: boolean) => async (event: APIGatewayProxyEvent) => {
    await requireControlKey(event);
    const tenantId = await knownTenantOf(event);
    const state = await deps.state.setEnabled(tenantId, enabled, iso(deps.clock.now()));
    logger.info(enabled ? 'receiver enabled' : 'receiver disabled', { tenant_id: tenantId });
    return jsonResponse(200, { tenant_id: tenantId, enabled: state.enabled });
  };

  const routes = [
    {
      method: 'GET' as const,
      path: '/health',
      handler: async () => jsonResponse(200, { status: 'healthy', service: 'webhook-receiver' }),
    },
    {
      method: 'POST' as const,
      path: '/{tenantId}/webhook',
      handler: async (event: APIGatewayProxyEvent) => {
        const tenantId = tenantOf(event);
        const logged = (status: number) =>
          logger.info('webhook received', {
            tenant_id: tenantId,
            status,
            webhook_id: event.headers['webhook-id'],
          });
        const receipt = await receiveWebhook(
          deps,
          tenantId,
          event.headers as Record<string, string | undefined>,
          event.isBase64Encoded
            ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
            : (event.body ?? ''),
        ).catch((error: unknown) => {
          if (error instanceof DomainError) logged(statusOf(error.kind));
          throw error;
        });
        logged(200);
        return jsonResponse(200, receipt);
      },
    },
    { method: 'POST' as const, path: '/{tenantId}/enable', handler: toggle(true) },
    { method: 'POST' as const, path: '/{tenantId}/disable', handler: toggle(false) },
    {
      method: 'GET' as const,
      path: '/{tenantId}/status',
      handler: async (event: APIGatewayProxyEvent) => {
        await requireControlKey(event);
        const state = await deps.state.get(await knownTenantOf(event));
        return jsonResponse(200, {
          tenant_id: state.tenant_id,
          enabled: state.enabled,
          updated_at: state.updated_at || null,
        });
      },
    },
  ];

  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(httpHeaderNormalizer())
    .use(httpErrorHandler(logger))
    .handler(httpRouterHandler(routes) as never);
};
