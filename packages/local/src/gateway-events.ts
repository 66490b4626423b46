import { randomUUID } from 'node:crypto';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  APIGatewayRequestAuthorizerEventV2,
} from 'aws-lambda';

/*
 * The events API Gateway hands a Lambda integration and its authorizer, as the REST API (v1
 * proxy events) and the HTTP API (payload format 2.0) build them, and a 2.0 result read back.
 */

const STAGE = 'local';

/** The ARN API Gateway names a route by in an authorizer's event and its policy. */
export const methodArn = (method: string, path: string): string =>
  `arn:aws:execute-api:us-east-1:000000000000:local-api/${STAGE}/${method}${path}`;

/** The event an HTTP API hands an integration (payload format 2.0), authorizer context included. */
export type HttpApiProxyEvent = Omit<APIGatewayProxyEventV2, 'requestContext'> & {
  readonly requestContext: APIGatewayProxyEventV2['requestContext'] & {
    readonly authorizer?: { readonly lambda: Record<string, unknown> };
  };
};

/** One request as the gateway received and routed it. */
export interface ProxyRequest {
  readonly method: string;
  /** The route template, `/v1/events/{id}`. */
  readonly resource: string;
  readonly path: string;
  /** In the order received; a repeated name keeps its last value in `headers`, all in `multiValueHeaders`. */
  readonly headers: Iterable<readonly [string, string]>;
  readonly query?: Iterable<readonly [string, string]>;
  readonly pathParameters?: Record<string, string> | null;
  readonly body: string | null;
  readonly isBase64Encoded?: boolean;
  readonly authorizer?: Record<string, unknown> | null;
  readonly sourceIp?: string;
  readonly requestId?: string;
  readonly at?: number;
}

/**
 * Each name's values in the order received. A client's names are data: a map keeps `constructor`
 * or `__proto__` plain names, which an object indexed by them would not.
 */
const valuesByName = (pairs: Iterable<readonly [string, string]>, key = (name: string) => name) => {
  const values = new Map<string, string[]>();
  for (const [name, value] of pairs) values.set(key(name), [...(values.get(key(name)) ?? []), value]);
  return values;
};

/** The last value of each name (v1's single-value maps). */
const lastValues = (values: Map<string, string[]>): Record<string, string> =>
  Object.fromEntries([...values].map(([name, all]) => [name, all[all.length - 1] ?? '']));

/** The values of each name joined with commas (what HTTP API does with repeated names). */
const joinedValues = (values: Map<string, string[]>, separator = ','): Record<string, string> =>
  Object.fromEntries([...values].map(([name, all]) => [name, all.join(separator)]));

/** The REST API (v1) proxy event API Gateway hands a Lambda integration for one request. */
export const proxyEvent = (req: ProxyRequest): APIGatewayProxyEvent => {
  const headerValues = valuesByName(req.headers);
  const headers = lastValues(headerValues);
  const multiValueHeaders: Record<string, string[]> = Object.fromEntries(headerValues);
  const queryValues = valuesByName(req.query ?? []);
  const query = lastValues(queryValues);
  const multiQuery: Record<string, string[]> = Object.fromEntries(queryValues);
  const hasQuery = queryValues.size > 0;
  const userAgent = Object.entries(headers).find(([k]) => k.toLowerCase() === 'user-agent')?.[1] ?? null;
  return {
    resource: req.resource,
    path: req.path,
    httpMethod: req.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: req.pathParameters ?? null,
    stageVariables: null,
    body: req.body,
    isBase64Encoded: req.isBase64Encoded ?? false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local-api',
      authorizer: req.authorizer ?? null,
      protocol: 'HTTP/1.1',
      httpMethod: req.method,
      identity: {
        sourceIp: req.sourceIp ?? '127.0.0.1',
        userAgent,
      } as APIGatewayProxyEvent['requestContext']['identity'],
      // The path as called: local URLs carry no stage prefix (an execute-api URL's would).
      path: req.path,
      stage: STAGE,
      requestId: req.requestId ?? randomUUID(),
      requestTimeEpoch: req.at ?? Date.now(),
      resourceId: 'local',
      resourcePath: req.resource,
    },
  };
};

/** Header names lowercased and a repeated header's values joined with commas, as HTTP API does. */
const httpApiHeaders = (pairs: Iterable<readonly [string, string]>) => {
  const headers = joinedValues(valuesByName(pairs, (name) => name.toLowerCase()));
  const cookies = headers.cookie?.split(/;\s*/).filter((c) => c.length > 0);
  delete headers.cookie;
  return { headers, cookies };
};

/** The HTTP API (payload format 2.0) event API Gateway hands a Lambda integration. */
export const httpApiEvent = (req: ProxyRequest & { readonly rawQueryString?: string }): HttpApiProxyEvent => {
  const { headers, cookies } = httpApiHeaders(req.headers);
  const query = joinedValues(valuesByName(req.query ?? []));
  const at = req.at ?? Date.now();
  const routeKey = `${req.method} ${req.resource}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: req.path,
    rawQueryString:
      req.rawQueryString ??
      new URLSearchParams([...(req.query ?? [])].map(([k, v]): [string, string] => [k, v])).toString(),
    ...(cookies && cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(req.pathParameters ? { pathParameters: req.pathParameters } : {}),
    ...(req.body !== null ? { body: req.body } : {}),
    isBase64Encoded: req.isBase64Encoded ?? false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local-api',
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: {
        method: req.method,
        path: req.path,
        protocol: 'HTTP/1.1',
        sourceIp: req.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: req.requestId ?? randomUUID(),
      routeKey,
      stage: STAGE,
      time: new Date(at).toISOString(),
      timeEpoch: at,
      ...(req.authorizer ? { authorizer: { lambda: req.authorizer } } : {}),
    },
  };
};

/** The REQUEST authorizer event (payload format 2.0) an HTTP API sends, identity source Authorization. */
export const httpApiAuthorizerEvent = (
  request: HttpApiProxyEvent,
  token: string,
  routeArn: string,
): APIGatewayRequestAuthorizerEventV2 => ({
  version: '2.0',
  type: 'REQUEST',
  routeArn,
  identitySource: [token],
  routeKey: request.routeKey,
  rawPath: request.rawPath,
  rawQueryString: request.rawQueryString,
  cookies: request.cookies ?? [],
  headers: request.headers,
  ...(request.queryStringParameters ? { queryStringParameters: request.queryStringParameters } : {}),
  requestContext: request.requestContext,
  ...(request.pathParameters ? { pathParameters: request.pathParameters } : {}),
});

/** What a v2 integration answered, as status, headers and body (HTTP API's rules for 2.0 results). */
export const fromHttpApiResult = (result: APIGatewayProxyStructuredResultV2 | string) => {
  // A result without a status code is a 200 whose body is the result as JSON.
  if (typeof result === 'string' || result.statusCode === undefined) {
    return {
      status: 200,
      headers: { 'content-type': 'application/json' } as Record<string, string | string[]>,
      body: typeof result === 'string' ? result : JSON.stringify(result),
      base64: false,
    };
  }
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
  if (result.cookies && result.cookies.length > 0) headers['set-cookie'] = result.cookies;
  return {
    status: result.statusCode,
    headers,
    body: result.body ?? '',
    base64: result.isBase64Encoded ?? false,
  };
};
