import type { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyValidationError,
} from '@aws-lambda-powertools/idempotency';
import type { Logger } from '@aws-lambda-powertools/logger';
import { AppError, ConflictError, PayloadTooLargeError, UnprocessableError } from '@hookrelay/domain';
import {
  type ApiGatewayEvent,
  httpApiEvents,
  httpErrorHandler,
  principalOf,
  requestIdOf,
  requireScope,
} from '@hookrelay/http';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpRouterHandler from '@middy/http-router';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { renameQueryAliases } from './aliases.js';
import type { Deps } from './deps.js';
import type { RouteSpec } from './route-spec.js';
import { buildRoutes } from './route-table.js';
import { emptyBody } from './schemas.js';
import { validateBody, validateQuery } from './validation.js';

type Request = middy.Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;

const BATCH_LIMIT_BYTES = 6 * 1024 * 1024;
const PUBLIC = { tenant_id: '', scopes: [], plan: 'free', key_id: '' } as const;

/** Rejects oversized bodies before anything parses them, and stamps every response. */
const requestGuard = (deps: Deps): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  before: async (request: Request) => {
    const { body, path, isBase64Encoded } = request.event;
    if (!body) return;
    const bytes = isBase64Encoded ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body);
    const limit = /\/v1\/events\/(batch|bulk)\/?$/.test(path ?? '') ? BATCH_LIMIT_BYTES : deps.maxEventBytes;
    if (bytes > limit) throw new PayloadTooLargeError(limit);
  },
  after: async (request: Request) => {
    if (request.response) {
      request.response.headers = { ...request.response.headers, 'x-request-id': requestIdOf(request.event) };
    }
  },
});

const idempotencyErrors = (error: unknown): never => {
  if (error instanceof IdempotencyValidationError) {
    throw new UnprocessableError(
      'This Idempotency-Key was already used with a different request body.',
      'idempotency_key_reused',
    );
  }
  if (error instanceof IdempotencyAlreadyInProgressError) {
    throw new ConflictError(
      'A request with this Idempotency-Key is still in progress.',
      'idempotency_in_progress',
    );
  }
  throw error;
};

/**
 * A body sent to a route that takes none is still read: unknown fields are refused there as
 * everywhere (a field a client believes does something must not be silently ignored).
 */
const noBodyGuard = (): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => {
  const parser = httpJsonBodyParser({ disableContentTypeError: false });
  return {
    before: async (request) => {
      const { body } = request.event;
      if (typeof body !== 'string' || body.trim() === '') {
        request.event.body = null;
        return;
      }
      await parser.before?.(request as never);
      validateBody(emptyBody, request.event.body);
    },
  };
};

/** The route template each request was dispatched to, for the access log. */
const routeOf = new WeakMap<APIGatewayProxyEvent, string>();

/** One route as a Middy handler: scope check, then JSON parsing and schema validation. */
const routeHandler = (spec: RouteSpec, deps: Deps) => {
  const inner = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .before(async (request) => {
      routeOf.set(request.event, spec.path);
      if (spec.auth !== 'public') requireScope(principalOf(request.event), spec.auth);
    })
    .use(spec.body ? httpJsonBodyParser({ disableContentTypeError: false }) : noBodyGuard())
    .handler(async (event, context) => {
      const query: Record<string, unknown> = { ...(event.queryStringParameters ?? {}) };
      renameQueryAliases(query);
      validateQuery(spec.query, query);
      if (spec.body) validateBody(spec.body, event.body);
      return spec
        .handle(
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
        )
        .catch(idempotencyErrors);
    });
  return inner;
};

/**
 * The API Lambda: header normalizer, size guard, one error middleware, and a router over
 * the route table. `deps` are the ports, built once by the caller. It serves either front door
 * (infra's `api_gateway`): an HTTP API's payload format 2.0 event is read as the REST API's v1
 * event, and answered in 2.0's shape.
 */
export const createApi = (deps: Deps, logger: Logger, idempotency?: IdempotencyConfig) => {
  const routes = buildRoutes(logger);
  const router = httpRouterHandler({
    routes: routes.map((spec) => ({
      method: spec.method,
      path: spec.path,
      handler: routeHandler(spec, deps),
    })),
    notFoundResponse: ({ method, path }) => {
      throw new AppError(404, 'route_not_found', `No route ${method} ${path}.`);
    },
  });
  const restApi = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .before(async (request) => {
      idempotency?.registerLambdaContext(request.context);
    })
    .use(httpHeaderNormalizer())
    .use(requestGuard(deps))
    .use(httpErrorHandler(logger))
    .handler(router as never);
  const logged = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const started = performance.now();
    const response = await restApi(event, context);
    logger.info('request', accessLine(event, response, performance.now() - started));
    return response;
  };
  return middy<ApiGatewayEvent, APIGatewayProxyResult | APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(httpApiEvents())
    .handler((event, context) => logged(event as APIGatewayProxyEvent, context));
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
