import type { Logger } from '@aws-lambda-powertools/logger';
import { buildOpenApi } from './openapi.js';
import type { RouteSpec } from './route-spec.js';
import { eventRoutes } from './routes/events.js';
import { sourceRoutes } from './routes/sources.js';
import { systemRoutes } from './routes/system.js';
import { tenantRoutes } from './routes/tenants.js';
import { webhookRoutes } from './routes/webhooks.js';

/** Every route the API serves; the gateway, the router and the OpenAPI document read this. */
export const buildRoutes = (logger: Logger): RouteSpec[] => {
  let document: unknown;
  const all: RouteSpec[] = [
    ...systemRoutes(() => {
      document ??= buildOpenApi(all);
      return document;
    }),
    ...tenantRoutes,
    ...webhookRoutes,
    ...eventRoutes(logger),
    ...sourceRoutes,
  ];
  return all;
};

/** Method, path and auth of every route, without building any client. */
export const routeIndex = (logger: Logger) =>
  buildRoutes(logger).map(({ method, path, auth }) => ({ method, path, auth }));
