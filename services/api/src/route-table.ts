import type { Logger } from '@aws-lambda-powertools/logger';
import { buildOpenApi, type OpenApiDocument } from './openapi.js';
import type { RouteEntry, RouteGroup, RouteSpec } from './route-spec.js';
import { eventRoutes } from './routes/events.js';
import { portalRoutes } from './routes/portal.js';
import { sourceRoutes } from './routes/sources.js';
import { systemRoutes } from './routes/system.js';
import { tenantRoutes } from './routes/tenants.js';
import { webhookRoutes } from './routes/webhooks.js';

/**
 * The OpenAPI document of `routes`, built on its first use, as served from `serverUrl` (with an
 * API Gateway stage prefix, that prefix).
 */
export const servedOpenApi = (routes: () => readonly RouteSpec[]) => {
  let document: OpenApiDocument | undefined;
  return (serverUrl: string): OpenApiDocument => {
    document ??= buildOpenApi(routes());
    return { ...document, servers: document.servers.map((server) => ({ ...server, url: serverUrl })) };
  };
};

/**
 * Every route the API serves, by the file that declares it. The gateway, the OpenAPI document,
 * the generated validators and route index read this; the API itself loads one group at a
 * time (route-groups.ts).
 */
export const routesByGroup = (logger: Logger): Record<RouteGroup, RouteSpec[]> => {
  const groups: Record<RouteGroup, RouteSpec[]> = {
    system: systemRoutes(servedOpenApi(() => Object.values(groups).flat())),
    tenants: tenantRoutes,
    webhooks: webhookRoutes,
    events: eventRoutes(logger),
    sources: sourceRoutes,
    portal: portalRoutes,
  };
  return groups;
};

/** Every route the API serves. */
export const buildRoutes = (logger: Logger): RouteSpec[] => Object.values(routesByGroup(logger)).flat();

/** Method, path, auth and group of every route: the router's index (scripts/emit-validators.ts). */
export const routeEntries = (logger: Logger): RouteEntry[] =>
  Object.entries(routesByGroup(logger)).flatMap(([group, routes]) =>
    routes.map(({ method, path, auth }) => ({ method, path, auth, group: group as RouteGroup })),
  );

/** Method, path and auth of every route, without building any client. */
export const routeIndex = (logger: Logger) =>
  routeEntries(logger).map(({ method, path, auth }) => ({ method, path, auth }));

/** The OpenAPI document as the API serves it at the root (no stage prefix). */
export const openApiDocument = (logger: Logger): OpenApiDocument => buildOpenApi(buildRoutes(logger));
