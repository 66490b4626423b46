import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';
import { type LambdaHandler, lambdaContext } from './lambda-context.js';

/**
 * Which API Gateway the gateway plays (infra's `api_gateway`): a REST API, which hands
 * functions v1 proxy events and a TOKEN authorizer event and answers its own errors in the
 * platform's shape (infra/src/gateway-responses.ts), or an HTTP API, which hands them payload
 * format 2.0 events (a REQUEST authorizer event on the Authorization header) and answers its
 * own errors with its fixed `{"message": ...}` bodies.
 */
export type FrontDoor = 'rest' | 'http';

/** The event an HTTP API hands an integration (payload format 2.0), authorizer context included. */
export type HttpApiProxyEvent = Omit<APIGatewayProxyEventV2, 'requestContext'> & {
  readonly requestContext: APIGatewayProxyEventV2['requestContext'] & {
    readonly authorizer?: { readonly lambda: Record<string, unknown> };
  };
};

type ApiEvent = APIGatewayProxyEvent | HttpApiProxyEvent;
type ApiResult = APIGatewayProxyResult | APIGatewayProxyStructuredResultV2 | string;
type AuthorizerEvent = APIGatewayTokenAuthorizerEvent | APIGatewayRequestAuthorizerEventV2;

export interface GatewayRoute {
  readonly method: string;
  readonly path: string;
  readonly auth: 'public' | 'admin' | 'tenant' | 'portal';
}

export interface GatewayOptions {
  readonly name: string;
  readonly port: number;
  /** REST API (v1 events, the default) or HTTP API (payload format 2.0). */
  readonly frontDoor?: FrontDoor;
  readonly handler: LambdaHandler<never, ApiResult>;
  /** Declared routes, like API Gateway resources; absent means one `/{proxy+}` without auth. */
  readonly routes?: readonly GatewayRoute[];
  readonly authorizer?: LambdaHandler<never, APIGatewayAuthorizerResult>;
  /** How long an authorizer answer is reused for the same Authorization header (API Gateway: 300 s). */
  readonly authorizerCacheTtlMs?: number;
  readonly maxBodyBytes?: number;
  /**
   * Hand the body over as API Gateway does when every media type is binary: base64, with
   * `isBase64Encoded`, so the bytes reach the handler exactly as sent.
   */
  readonly binaryBodies?: boolean;
  readonly onLog?: (entry: Record<string, unknown>) => void;
}

export interface Gateway {
  readonly url: string;
  readonly server: Server;
  /** Forgets cached authorizer answers (what a redeploy of the authorizer does on AWS). */
  flushAuthorizerCache(): void;
  close(): Promise<void>;
}

const STAGE = 'local';
const METHOD_ARN = (method: string, path: string) =>
  `arn:aws:execute-api:us-east-1:000000000000:local-api/${STAGE}/${method}${path}`;

const gatewayError = (
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  requestId: string,
) => {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': requestId });
  res.end(JSON.stringify({ error: { code, message } }));
};

/** What the gateway answers by itself, before or instead of a function. */
type GatewayFailure =
  | 'no_route'
  | 'bad_path'
  | 'too_large'
  | 'no_key'
  | 'denied'
  | 'authorizer_failed'
  | 'integration_failed';

/** A REST API's answers: the platform's error shape (the stage's gateway responses). */
const REST_ANSWERS: Readonly<Record<GatewayFailure, readonly [number, string, string]>> = {
  no_route: [404, 'route_not_found', 'No such route.'],
  bad_path: [400, 'bad_request', 'The path is not valid percent-encoding.'],
  too_large: [413, 'payload_too_large', 'The request body is too large.'],
  no_key: [401, 'unauthorized', 'A valid API key is required in the Authorization header.'],
  denied: [403, 'forbidden', 'This key is not allowed to call this route.'],
  authorizer_failed: [503, 'service_unavailable', 'Authorization is unavailable; try again shortly.'],
  integration_failed: [502, 'bad_gateway', 'The integration failed.'],
};

/** An HTTP API's answers: fixed bodies that cannot be changed, and its `apigw-requestid` header. */
const HTTP_API_ANSWERS: Readonly<Record<GatewayFailure, readonly [number, string]>> = {
  no_route: [404, 'Not Found'],
  bad_path: [400, 'Bad Request'],
  too_large: [413, 'Request Entity Too Large'],
  no_key: [401, 'Unauthorized'],
  denied: [403, 'Forbidden'],
  authorizer_failed: [500, 'Internal Server Error'],
  integration_failed: [500, 'Internal Server Error'],
};

const gatewayAnswer = (
  door: FrontDoor,
  res: ServerResponse,
  failure: GatewayFailure,
  requestId: string,
  message?: string,
) => {
  if (door === 'http') {
    const [status, text] = HTTP_API_ANSWERS[failure];
    res.writeHead(status, { 'content-type': 'application/json', 'apigw-requestid': requestId });
    res.end(JSON.stringify({ message: text }));
    return;
  }
  const [status, code, text] = REST_ANSWERS[failure];
  gatewayError(res, status, code, message ?? text, requestId);
};

/** A path segment decoded, or undefined when its percent-encoding is malformed. */
const decodePathPart = (value: string): string | undefined => {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
};

/**
 * What API Gateway answers for a request it cannot parse (request line or header block over
 * its limits, malformed syntax), in the platform's error shape rather than Node's bare reply,
 * with the code its DEFAULT_4XX response carries in the cloud (infra/src/gateway-responses.ts).
 */
const clientErrorReply = (error: Error & { code?: string; rawPacket?: Buffer }): string => {
  const requestId = randomUUID();
  const code = 'bad_request';
  let status = 400;
  let message = 'The request could not be parsed.';
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    // A request line over API Gateway's URL limit (10 KB) is a URI too long; else headers are.
    const head = error.rawPacket?.toString('latin1') ?? '';
    const lineEnd = head.indexOf('\r\n');
    if ((lineEnd === -1 ? head.length : lineEnd) > 10_240) {
      status = 414;
      message = 'The request URI is too long.';
    } else {
      status = 431;
      message = 'The request headers are too large.';
    }
  }
  const body = JSON.stringify({ error: { code, message } });
  const reason = { 400: 'Bad Request', 414: 'URI Too Long', 431: 'Request Header Fields Too Large' }[status];
  return [
    `HTTP/1.1 ${status} ${reason}`,
    'content-type: application/json',
    `x-request-id: ${requestId}`,
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    '',
    body,
  ].join('\r\n');
};

const compile = (routes: readonly GatewayRoute[]) =>
  routes.map((r) => {
    const names: string[] = [];
    // `{name+}` (a greedy path variable, last in the path) spans slashes, as on API Gateway.
    const pattern = r.path.replace(/\{(\w+)(\+?)\}/g, (_, name: string, greedy: string) => {
      names.push(name);
      return greedy ? '(.+)' : '([^/]+)';
    });
    return { route: r, names, regex: new RegExp(`^${pattern}/?$`), literal: !r.path.includes('{') };
  });

/** Whether an IAM policy statement list allows the method ARN (with `*` wildcards). */
const policyAllows = (result: APIGatewayAuthorizerResult, methodArn: string): boolean => {
  const statements = result.policyDocument?.Statement ?? [];
  const matches = (resource: unknown) =>
    [resource].flat().some((r) =>
      new RegExp(
        `^${String(r)
          .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')}$`,
      ).test(methodArn),
    );
  const applies = (s: (typeof statements)[number]) => matches((s as { Resource?: unknown }).Resource);
  if (statements.some((s) => s.Effect === 'Deny' && applies(s))) return false;
  return statements.some((s) => s.Effect === 'Allow' && applies(s));
};

/**
 * A local API Gateway (REST API or HTTP API, Lambda proxy integration): matches declared
 * routes, runs the authorizer (a TOKEN event for REST, a 2.0 REQUEST event for HTTP API;
 * answers cached per Authorization header), builds the same proxy event the chosen API
 * builds with the authorizer's context, and answers rejections by itself as that API does.
 */
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
const fromHttpApiResult = (result: APIGatewayProxyStructuredResultV2 | string) => {
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

/**
 * The request's body, or `too_large` as soon as it passes `maxBody` bytes. The rest is still
 * read, and dropped, so that the answer can go out at once and the connection stays usable for
 * the client's next request (leaving the stream, as a `for await` loop's early return does,
 * would destroy the socket under it).
 */
const readBody = (req: IncomingMessage, maxBody: number) =>
  new Promise<Buffer | 'too_large'>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size <= maxBody) {
        chunks.push(chunk);
      } else {
        over = true;
        chunks.length = 0;
        resolve('too_large');
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

export const startGateway = async (options: GatewayOptions): Promise<Gateway> => {
  const door = options.frontDoor ?? 'rest';
  const compiled = options.routes ? compile(options.routes) : undefined;
  const cache = new Map<string, { result: APIGatewayAuthorizerResult; expires: number }>();
  const ttl = options.authorizerCacheTtlMs ?? 300_000;
  const maxBody = options.maxBodyBytes ?? 10 * 1024 * 1024;

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const read = await readBody(req, maxBody);
    if (read === 'too_large') return gatewayAnswer(door, res, 'too_large', requestId);
    const body = read.length ? read.toString(options.binaryBodies ? 'base64' : 'utf8') : null;

    let resource = '/{proxy+}';
    let pathParameters: Record<string, string> | null = { proxy: url.pathname.slice(1) };
    let auth: GatewayRoute['auth'] = 'public';
    if (compiled) {
      const candidates = compiled.filter((c) => c.route.method === method && c.regex.test(url.pathname));
      const hit = candidates.find((c) => c.literal) ?? candidates[0];
      if (!hit) return gatewayAnswer(door, res, 'no_route', requestId, `No route ${method} ${url.pathname}.`);
      const values = hit.regex.exec(url.pathname)?.slice(1) ?? [];
      resource = hit.route.path;
      const decoded = values.map(decodePathPart);
      if (decoded.some((v) => v === undefined)) return gatewayAnswer(door, res, 'bad_path', requestId);
      pathParameters = hit.names.length
        ? Object.fromEntries(hit.names.map((n, i) => [n, decoded[i] ?? '']))
        : null;
      auth = hit.route.auth;
    }

    const headers: [string, string][] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i] ?? '';
      if (name.toLowerCase() === 'x-forwarded-proto') continue;
      headers.push([name, req.rawHeaders[i + 1] ?? '']);
    }
    // API Gateway tells the integration the scheme the client used (https there; http here).
    headers.push(['X-Forwarded-Proto', 'http']);
    const request: ProxyRequest & { rawQueryString: string } = {
      method,
      resource,
      path: url.pathname,
      headers,
      query: url.searchParams,
      rawQueryString: url.search.slice(1),
      pathParameters,
      body,
      isBase64Encoded: Boolean(options.binaryBodies && body !== null),
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      requestId,
      at: started,
    };

    let authorizerContext: Record<string, unknown> | undefined;
    if (auth !== 'public' && options.authorizer) {
      // Both cache on the Authorization header and answer 401 without calling the authorizer
      // when it is missing (the HTTP API's identity source, the REST API's token source).
      const token = req.headers.authorization;
      if (!token) return gatewayAnswer(door, res, 'no_key', requestId);
      const methodArn = METHOD_ARN(method, resource);
      let cached = cache.get(token);
      if (!cached || cached.expires < Date.now()) {
        const authorizerEvent: AuthorizerEvent =
          door === 'http'
            ? httpApiAuthorizerEvent(httpApiEvent(request), token, methodArn)
            : { type: 'TOKEN', authorizationToken: token, methodArn };
        try {
          const result = await (
            options.authorizer as LambdaHandler<AuthorizerEvent, APIGatewayAuthorizerResult>
          )(authorizerEvent, lambdaContext('authorizer', 10_000));
          cached = { result, expires: Date.now() + ttl };
          cache.set(token, cached);
        } catch (error) {
          if (error instanceof Error && error.message === 'Unauthorized') {
            return gatewayAnswer(door, res, 'no_key', requestId);
          }
          options.onLog?.({ level: 'ERROR', message: 'authorizer failed', error: String(error) });
          return gatewayAnswer(door, res, 'authorizer_failed', requestId);
        }
      }
      if (!policyAllows(cached.result, methodArn)) return gatewayAnswer(door, res, 'denied', requestId);
      authorizerContext =
        door === 'http'
          ? { ...cached.result.context }
          : { principalId: cached.result.principalId, ...cached.result.context };
    }

    const event: ApiEvent =
      door === 'http'
        ? httpApiEvent({ ...request, authorizer: authorizerContext ?? null })
        : proxyEvent({ ...request, authorizer: authorizerContext ?? null });
    const handler = options.handler as LambdaHandler<ApiEvent, ApiResult>;
    try {
      const result = await handler(event, lambdaContext(options.name, 29_000));
      if (door === 'http') {
        const answer = fromHttpApiResult(result as APIGatewayProxyStructuredResultV2 | string);
        answer.headers['apigw-requestid'] = requestId;
        res.writeHead(answer.status, answer.headers);
        res.end(answer.base64 ? Buffer.from(answer.body, 'base64') : answer.body);
        return;
      }
      const rest = result as APIGatewayProxyResult;
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(rest.headers ?? {})) out[k] = String(v);
      for (const [k, v] of Object.entries(rest.multiValueHeaders ?? {})) out[k] = v.map(String);
      out['x-request-id'] ??= requestId;
      res.writeHead(rest.statusCode, out);
      res.end(rest.isBase64Encoded ? Buffer.from(rest.body, 'base64') : rest.body);
    } catch (error) {
      options.onLog?.({ level: 'ERROR', message: `${options.name} handler threw`, error: String(error) });
      gatewayAnswer(door, res, 'integration_failed', requestId);
    }
  };

  const server = createServer((req, res) => {
    serve(req, res).catch((error) => {
      options.onLog?.({ level: 'ERROR', message: 'gateway failure', error: String(error) });
      if (!res.headersSent)
        gatewayAnswer(door, res, 'integration_failed', randomUUID(), 'The gateway failed.');
      else res.destroy();
    });
  });
  server.on('clientError', (error: Error & { code?: string; rawPacket?: Buffer }, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorReply(error));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    flushAuthorizerCache: () => cache.clear(),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
