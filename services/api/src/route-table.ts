import type { Logger } from '@aws-lambda-powertools/logger';
import { buildOpenApi, type OpenApiDocument } from './openapi.js';
import type { RouteSpec } from './route-spec.js';
import { eventRoutes } from './routes/events.js';
import { sourceRoutes } from './routes/sources.js';
import { systemRoutes } from './routes/system.js';
import { tenantRoutes } from './routes/tenants.js';
import { webhookRoutes } from './routes/webhooks.js';

/** Every route the API serves; the gateway, the router and the OpenAPI document read this. */
export const buildRoutes = (logger: Logger): RouteSpec[] => {
  let document: OpenApiDocument | undefined;
  const all: RouteSpec[] = [
    ...systemRoutes((serverUrl) => {
      document ??= buildOpenApi(all);
      return { ...document, servers: [{ ...document.servers[0], url: serverUrl }] };
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

/** The OpenAPI document as the API serves it at the root (no stage prefix). */
export const openApiDocument = (logger: Logger): OpenApiDocument => buildOpenApi(buildRoutes(logger));
