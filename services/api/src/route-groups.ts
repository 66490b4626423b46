import type { Logger } from '@aws-lambda-powertools/logger';
import { once } from './once.js';
import type { RouteGroup, RouteSpec } from './route-spec.js';
import type { Validators } from './validation.js';

/** A route group as the API runs it: its routes and the validators generated for their schemas. */
export interface LoadedGroup {
  readonly routes: readonly RouteSpec[];
  readonly validators: Validators;
}

/**
 * How the API loads each route group: the group's file and its validators, imported on its first
 * request. The bundle keeps each group in chunks of its own, so a cold start compiles the router
 * and its index, and a request then loads only the group it needs (docs/benchmarks.md, cold
 * start). `route-table.ts` has every group at once, for the gateway, the OpenAPI document and the
 * generator.
 */
export const ROUTE_GROUPS: Readonly<Record<RouteGroup, (logger: Logger) => Promise<LoadedGroup>>> = {
  system: async (logger) => {
    const [{ systemRoutes }, { validators }] = await Promise.all([
      import('./routes/system.js'),
      import('./generated/system.js'),
    ]);
    // The OpenAPI document describes every route: the whole table loads when it is first asked for.
    const document = once(async () => {
      const table = await import('./route-table.js');
      return table.servedOpenApi(() => table.buildRoutes(logger));
    });
    const openapi = async (serverUrl: string) => (await document())(serverUrl);
    return { routes: systemRoutes(openapi), validators };
  },
  tenants: async () => {
    const [{ tenantRoutes }, { validators }] = await Promise.all([
      import('./routes/tenants.js'),
      import('./generated/tenants.js'),
    ]);
    return { routes: tenantRoutes, validators };
  },
  webhooks: async () => {
    const [{ webhookRoutes }, { validators }] = await Promise.all([
      import('./routes/webhooks.js'),
      import('./generated/webhooks.js'),
    ]);
    return { routes: webhookRoutes, validators };
  },
  events: async (logger) => {
    const [{ eventRoutes }, { validators }] = await Promise.all([
      import('./routes/events.js'),
      import('./generated/events.js'),
    ]);
    return { routes: eventRoutes(logger), validators };
  },
  sources: async () => {
    const [{ sourceRoutes }, { validators }] = await Promise.all([
      import('./routes/sources.js'),
      import('./generated/sources.js'),
    ]);
    return { routes: sourceRoutes, validators };
  },
  portal: async () => {
    const [{ portalRoutes }, { validators }] = await Promise.all([
      import('./routes/portal.js'),
      import('./generated/portal.js'),
    ]);
    return { routes: portalRoutes, validators };
  },
};
