import type middy from '@middy/core';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2WithLambdaAuthorizer,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';

/**
 * What an HTTP API (payload format 2.0) hands a Lambda integration. With a Lambda authorizer
 * the authorizer's context is under `requestContext.authorizer.lambda`; a public route has no
 * `authorizer` at all.
 */
export type HttpApiEvent = Omit<
  APIGatewayProxyEventV2WithLambdaAuthorizer<Record<string, unknown>>,
  'requestContext'
> & {
  readonly requestContext: Omit<
    APIGatewayProxyEventV2WithLambdaAuthorizer<Record<string, unknown>>['requestContext'],
    'authorizer'
  > & {
    readonly authorizer?: { readonly lambda?: Record<string, unknown> | null; readonly principalId?: string };
  };
};

/** Either front door's event: a REST API's (v1) or an HTTP API's (v2). */
export type ApiGatewayEvent = APIGatewayProxyEvent | HttpApiEvent;

const isHttpApiEvent = (event: ApiGatewayEvent): event is HttpApiEvent =>
  (event as { version?: unknown }).version === '2.0';

/** `/v1/events/{id}` → a pattern that matches a raw path of that route. */
const routePattern = (template: string): RegExp =>
  new RegExp(
    `^${template
      .split(/\{[^}]+\}/)
      .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
      .join('[^/]+')}/?$`,
  );

/**
 * The path without the stage. Called through its own URL (`https://id.execute-api.../dev/v1/x`)
 * an HTTP API's `rawPath` starts with the stage's name; through a custom domain it does not.
 * A REST API's `path` never does, and the routes expect that.
 */
const pathWithoutStage = (event: HttpApiEvent, routePath: string | undefined): string => {
  const { rawPath } = event;
  const stage = event.requestContext.stage;
  if (!stage || stage === '$default') return rawPath;
  if (routePath && routePattern(routePath).test(rawPath)) return rawPath;
  const prefix = `/${stage}`;
  if (rawPath === prefix) return '/';
  return rawPath.startsWith(`${prefix}/`) ? rawPath.slice(prefix.length) : rawPath;
};

/**
 * An HTTP API event (payload format 2.0) as the REST API (v1) event the API's routes read:
 * the route template as `resource`, the path without the stage, the query read again from
 * `rawQueryString` (v2 joins a repeated name's values with commas; v1 keeps the last value in
 * `queryStringParameters` and all of them in `multiValueQueryStringParameters`), the cookies
 * back in a `cookie` header, and the authorizer's context where v1 puts it.
 *
 * @example
 * toRestEvent({ version: '2.0', routeKey: 'GET /v1/events/{id}', rawPath: '/dev/v1/events/evt_1', ... })
 * // { resource: '/v1/events/{id}', path: '/v1/events/evt_1', httpMethod: 'GET', ... }
 */
export const toRestEvent = (event: HttpApiEvent): APIGatewayProxyEvent => {
  const context = event.requestContext;
  const [, routePath] = /^\S+\s+(\S+)$/.exec(event.routeKey) ?? [];
  const path = pathWithoutStage(event, routePath);

  // Names are the client's: maps first, so that `constructor` or `__proto__` stay plain names.
  const headerPairs = new Map<string, string>();
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headerPairs.set(name, value);
  }
  if (event.cookies && event.cookies.length > 0) headerPairs.set('cookie', event.cookies.join('; '));
  const headers: Record<string, string> = Object.fromEntries(headerPairs);
  const multiValueHeaders: Record<string, string[]> = Object.fromEntries(
    [...headerPairs].map(([name, value]) => [name, [value]]),
  );

  const queryValues = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(event.rawQueryString ?? '')) {
    queryValues.set(name, [...(queryValues.get(name) ?? []), value]);
  }
  const query: Record<string, string> = Object.fromEntries(
    [...queryValues].map(([name, values]) => [name, values[values.length - 1] ?? '']),
  );
  const multiQuery: Record<string, string[]> = Object.fromEntries(queryValues);
  const hasQuery = queryValues.size > 0;

  const lambda = context.authorizer?.lambda;
  const principalId = context.authorizer?.principalId;
  const authorizer = lambda ? { ...(principalId ? { principalId } : {}), ...lambda } : null;

  return {
    resource: routePath ?? path,
    path,
    httpMethod: context.http.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: event.pathParameters ?? null,
    stageVariables: event.stageVariables ?? null,
    body: event.body ?? null,
    isBase64Encoded: event.isBase64Encoded,
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      authorizer,
      protocol: context.http.protocol,
      httpMethod: context.http.method,
      identity: {
        sourceIp: context.http.sourceIp,
        userAgent: context.http.userAgent,
      } as APIGatewayProxyEvent['requestContext']['identity'],
      path: event.rawPath,
      stage: context.stage,
      requestId: context.requestId,
      requestTimeEpoch: context.timeEpoch,
      resourceId: event.routeKey,
      resourcePath: routePath ?? path,
      domainName: context.domainName,
    },
  };
};

/**
 * A REST-style (v1) result as an HTTP API (payload format 2.0) result: v2 has no
 * `multiValueHeaders`, so repeated headers are joined with commas and `set-cookie` values
 * become `cookies`, as HTTP API expects them.
 */
export const toHttpApiResult = (result: APIGatewayProxyResult): APIGatewayProxyStructuredResultV2 => {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  const add = (name: string, value: string) => {
    if (name.toLowerCase() === 'set-cookie') cookies.push(value);
    else headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  };
  for (const [name, value] of Object.entries(result.headers ?? {})) add(name, String(value));
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    for (const value of values) add(name, String(value));
  }
  return {
    statusCode: result.statusCode,
    headers,
    body: result.body,
    isBase64Encoded: result.isBase64Encoded ?? false,
    ...(cookies.length > 0 ? { cookies } : {}),
  };
};

/** The v1 events `httpApiEvents` made from an HTTP API's 2.0 events. */
const fromHttpApi = new WeakSet<object>();

/**
 * Whether the request came through an HTTP API front door (its event converted by
 * `httpApiEvents`): such a door passes a base64 body through as bytes, a REST API does not
 * without binary media types.
 */
export const cameThroughHttpApi = (event: APIGatewayProxyEvent): boolean => fromHttpApi.has(event);

type Request = middy.Request<ApiGatewayEvent, APIGatewayProxyResult | APIGatewayProxyStructuredResultV2>;

/**
 * Lets a handler written for REST API (v1) events serve an HTTP API (payload format 2.0) too:
 * a v2 event is turned into the v1 event before any other middleware sees it, and the
 * response (the handler's, or the error middleware's) back into a v2 result. A v1 event passes
 * untouched. Use it first, so its `after` and `onError` run last.
 */
export const httpApiEvents = (): middy.MiddlewareObj<
  ApiGatewayEvent,
  APIGatewayProxyResult | APIGatewayProxyStructuredResultV2
> => {
  const convertResponse = async (request: Request) => {
    if (fromHttpApi.has(request.event) && request.response) {
      request.response = toHttpApiResult(request.response as APIGatewayProxyResult);
    }
  };
  return {
    before: async (request: Request) => {
      if (!isHttpApiEvent(request.event)) return;
      request.event = toRestEvent(request.event);
      fromHttpApi.add(request.event);
    },
    after: convertResponse,
    onError: convertResponse,
  };
};
