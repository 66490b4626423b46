import type { Logger } from '@aws-lambda-powertools/logger';
import {
  DomainError,
  iso,
  NotFoundError,
  PayloadTooLargeError,
  portalSessionRefusal,
  UnauthorizedError,
} from '@hookrelay/domain';
import {
  frontDoor,
  httpErrorHandler,
  principalOf,
  requestIdHeader,
  requestIdOf,
  requireAccess,
} from '@hookrelay/http';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { renameQueryAliases } from './aliases.js';
import type { Deps } from './deps.js';
import { routeIndex } from './generated/route-index.js';
import { ID_PATTERN } from './id-pattern.js';
import { once } from './once.js';
import { type LoadedGroup, ROUTE_GROUPS } from './route-groups.js';
import type { RouteEntry, RouteGroup, RouteSpec } from './route-spec.js';
import { type Validators, validateBody, validateQuery } from './validation.js';
import { emptyBody } from './validator-build.js';

type Request = middy.Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;

const BATCH_LIMIT_BYTES = 6 * 1024 * 1024;
const PUBLIC = { tenant_id: '', scopes: [], plan: 'free', key_id: '' } as const;

/** Rejects oversized bodies before anything parses them. */
const bodySizeGuard = (deps: Deps): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  before: async (request: Request) => {
    const { body, path, isBase64Encoded } = request.event;
    if (!body) return;
    const bytes = isBase64Encoded ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body);
    const limit = /\/v1\/events\/(batch|bulk)\/?$/.test(path ?? '') ? BATCH_LIMIT_BYTES : deps.maxEventBytes;
    if (bytes > limit) throw new PayloadTooLargeError(limit);
  },
});

/**
 * A JSON body the route may go without: none at all is `null`; anything else must be JSON, and
 * `check` sees it parsed.
 */
const optionalJsonBody = (
  check: (body: unknown) => void = () => undefined,
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => {
  const parser = httpJsonBodyParser({ disableContentTypeError: false });
  return {
    before: async (request) => {
      const { body } = request.event;
      if (typeof body !== 'string' || body.trim() === '') {
        request.event.body = null;
        return;
      }
      await parser.before?.(request as never);
      check(request.event.body);
    },
  };
};

/**
 * A body sent to a route that takes none is still read: unknown fields are refused there as
 * everywhere (a field a client believes does something must not be silently ignored).
 */
const noBodyGuard = (validators: Validators) =>
  optionalJsonBody((body) => validateBody(validators, emptyBody, body));

/** The route template each request was dispatched to, for the access log. */
const routeOf = new WeakMap<APIGatewayProxyEvent, string>();

/** What each id in a path names, for the 404 an id that cannot exist gets. */
const ID_PARAMS: Readonly<Record<string, (path: string) => string>> = {
  id: (path) => /\/v1\/([a-z]+?)s?\/\{id\}/.exec(path)?.[1] ?? 'resource',
  webhook_id: () => 'webhook',
  key_id: () => 'key',
};

/**
 * An id that no id can be (longer than 128 characters, or with other characters) names nothing:
 * a 404 before any store sees it, as DynamoDB would refuse such a key with a server error.
 */
const refuseImpossibleIds = (spec: RouteSpec, params: Record<string, string | undefined> | null) => {
  for (const [name, value] of Object.entries(params ?? {})) {
    const what = ID_PARAMS[name];
    if (what && value !== undefined && !ID_PATTERN.test(value)) throw new NotFoundError(what(spec.path));
  }
};

/**
 * Who may call the route: its scope, and for a portal session the capability the route names and
 * the session itself, read again on every request. The gateway caches the authorizer's answer
 * for 300 s per token; this read is what makes an ended session stop at once.
 */
const authorizeRoute = async (spec: RouteSpec, event: APIGatewayProxyEvent, deps: Deps) => {
  if (spec.auth === 'public') return;
  const principal = requireAccess(principalOf(event), spec.auth, spec.portal);
  if (!principal.scopes.includes('portal')) return;
  const resolved = await deps.portalSessions.resolve(principal.key_id);
  if (
    resolved?.session.tenant_id !== principal.tenant_id ||
    portalSessionRefusal(resolved, iso(deps.clock.now()))
  ) {
    throw new UnauthorizedError('This portal session has ended; ask for a new link.');
  }
};

/** One route as a Middy handler: access check, then JSON parsing and schema validation. */
const routeHandler = (spec: RouteSpec, validators: Validators, deps: Deps) =>
  middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .before(async (request) => {
      await authorizeRoute(spec, request.event, deps);
      refuseImpossibleIds(spec, request.event.pathParameters);
    })
    .use(
      spec.body
        ? spec.optionalBody
          ? optionalJsonBody()
          : httpJsonBodyParser({ disableContentTypeError: false })
        : noBodyGuard(validators),
    )
    .handler(async (event, context) => {
      const query: Record<string, unknown> = { ...(event.queryStringParameters ?? {}) };
      renameQueryAliases(query);
      validateQuery(validators, spec.query, query);
      if (spec.body && !(spec.optionalBody && event.body === null))
        validateBody(validators, spec.body, event.body);
      return spec.handle(
        {
          principal: spec.auth === 'public' ? PUBLIC : principalOf(event),
          body: event.body,
          query,
          params: (event.pathParameters ?? {}) as Record<string, string>,
          headers: event.headers as Record<string, string | undefined>,
          event,
          context,
        },
        deps,
      );
    });

type RouteHandler = ReturnType<typeof routeHandler>;

/**
 * A route of the index, its handler built on its first request from its group (loaded then,
 * once for all the group's routes).
 */
const lazyRoute = (entry: RouteEntry, group: () => Promise<LoadedGroup>, deps: Deps) => {
  const handler = once(async (): Promise<RouteHandler> => {
    const { routes, validators } = await group();
    const spec = routes.find((r) => r.method === entry.method && r.path === entry.path);
    if (!spec) {
      throw new Error(
        `${entry.method} ${entry.path} is not in routes/${entry.group}.ts: run pnpm run generate`,
      );
    }
    return routeHandler(spec, validators, deps);
  });
  return async (event: APIGatewayProxyEvent, context: Context) => {
    routeOf.set(event, entry.path);
    return (await handler())(event, context);
  };
};

/**
 * The API Lambda: header normalizer, size guard, one error middleware, and a router over
 * the route index. `deps` are the ports, built once by the caller. It serves either front door
 * (infra's `api_gateway`): an HTTP API's payload format 2.0 event is read as the REST API's v1
 * event, and answered in 2.0's shape.
 *
 * A route's group (its routes and validators) loads on the group's first request (`groups`,
 * route-groups.ts), so a cold start compiles none of them.
 */
export const createApi = (
  deps: Deps,
  logger: Logger,
  groups: Readonly<Record<RouteGroup, (logger: Logger) => Promise<LoadedGroup>>> = ROUTE_GROUPS,
) => {
  const loaders = Object.fromEntries(
    Object.entries(groups).map(([name, load]) => [name, once(() => load(logger))]),
  ) as Record<RouteGroup, () => Promise<LoadedGroup>>;
  const router = httpRouterHandler({
    routes: routeIndex.map((entry) => ({
      method: entry.method,
      path: entry.path,
      handler: lazyRoute(entry, loaders[entry.group], deps),
    })),
    notFoundResponse: ({ method, path }) => {
      throw new DomainError('not_found', 'route_not_found', `No route ${method} ${path}.`);
    },
  });
  const restApi = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(httpHeaderNormalizer())
    .use(bodySizeGuard(deps))
    .use(requestIdHeader())
    .use(httpErrorHandler(logger))
    .handler(router as never);
  const logged = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const started = performance.now();
    const response = await restApi(event, context);
    logger.info('request', accessLine(event, response, performance.now() - started));
    return response;
  };
  return frontDoor().handler((event, context) => logged(event as APIGatewayProxyEvent, context));
};

/**
 * One line per request, whatever its outcome: who (tenant), what (method, route template),
 * how it ended (status, latency) and the request id every response carries. Never a header, a
 * query string, a body or a path's own values: those may hold keys, secrets or payloads.
 */
const accessLine = (event: APIGatewayProxyEvent, response: APIGatewayProxyResult, latencyMs: number) => {
  const tenantId = event.requestContext?.authorizer?.tenant_id;
  return {
    request_id: response.headers?.['x-request-id'] ?? requestIdOf(event),
    tenant_id: typeof tenantId === 'string' && tenantId !== '' ? tenantId : null,
    method: event.httpMethod,
    route: routeOf.get(event) ?? null,
    status: response.statusCode,
    latency_ms: Math.round(latencyMs),
  };
};
