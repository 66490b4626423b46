import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';
import { clientErrorReply, type FrontDoor, type GatewayFailure, gatewayAnswer } from './gateway-answers.js';
import {
  fromHttpApiResult,
  type HttpApiProxyEvent,
  httpApiAuthorizerEvent,
  httpApiEvent,
  methodArn,
  type ProxyRequest,
  proxyEvent,
} from './gateway-events.js';
import { type LambdaHandler, lambdaContext } from './lambda-context.js';
import { listenOnLoopback } from './loopback-server.js';

type ApiEvent = APIGatewayProxyEvent | HttpApiProxyEvent;
type ApiResult = APIGatewayProxyResult | APIGatewayProxyStructuredResultV2 | string;
type AuthorizerEvent = APIGatewayTokenAuthorizerEvent | APIGatewayRequestAuthorizerEventV2;

interface GatewayRoute {
  readonly method: string;
  readonly path: string;
  readonly auth: 'public' | 'admin' | 'tenant' | 'portal';
}

interface GatewayOptions {
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

/** A path segment decoded, or undefined when its percent-encoding is malformed. */
const decodePathPart = (value: string): string | undefined => {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
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

type CompiledRoutes = ReturnType<typeof compile>;

interface Routed {
  /** The route template, `/v1/events/{id}`. */
  readonly resource: string;
  readonly pathParameters: Record<string, string> | null;
  readonly auth: GatewayRoute['auth'];
}

/**
 * The declared route a request matches (a literal path before a template), or what the gateway
 * answers when none does; without declared routes, one `/{proxy+}` without auth.
 */
const routeRequest = (
  compiled: CompiledRoutes | undefined,
  method: string,
  pathname: string,
): Routed | 'no_route' | 'bad_path' => {
  if (!compiled)
    return { resource: '/{proxy+}', pathParameters: { proxy: pathname.slice(1) }, auth: 'public' };
  const candidates = compiled.filter((c) => c.route.method === method && c.regex.test(pathname));
  const hit = candidates.find((c) => c.literal) ?? candidates[0];
  if (!hit) return 'no_route';
  const decoded = (hit.regex.exec(pathname)?.slice(1) ?? []).map(decodePathPart);
  if (decoded.some((v) => v === undefined)) return 'bad_path';
  return {
    resource: hit.route.path,
    pathParameters: hit.names.length
      ? Object.fromEntries(hit.names.map((n, i) => [n, decoded[i] ?? '']))
      : null,
    auth: hit.route.auth,
  };
};

/** The client's headers in the order received, with the scheme API Gateway tells the integration. */
const forwardedHeaders = (req: IncomingMessage): [string, string][] => {
  const headers: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] ?? '';
    if (name.toLowerCase() === 'x-forwarded-proto') continue;
    headers.push([name, req.rawHeaders[i + 1] ?? '']);
  }
  // API Gateway tells the integration the scheme the client used (https there; http here).
  headers.push(['X-Forwarded-Proto', 'http']);
  return headers;
};

type AuthorizerCache = Map<string, { result: APIGatewayAuthorizerResult; expires: number }>;

/**
 * The authorizer's context for a request to a route that needs one, or what the gateway answers
 * instead. Both doors cache answers on the Authorization header and answer 401 without calling
 * the authorizer when it is missing (the HTTP API's identity source, the REST API's token source).
 */
const authorize = async (
  options: GatewayOptions,
  cache: AuthorizerCache,
  request: ProxyRequest & { readonly rawQueryString: string },
  token: string | undefined,
): Promise<Record<string, unknown> | GatewayFailure> => {
  const door = options.frontDoor ?? 'rest';
  if (!token) return 'no_key';
  const arn = methodArn(request.method, request.resource);
  let cached = cache.get(token);
  if (!cached || cached.expires < Date.now()) {
    const authorizerEvent: AuthorizerEvent =
      door === 'http'
        ? httpApiAuthorizerEvent(httpApiEvent(request), token, arn)
        : { type: 'TOKEN', authorizationToken: token, methodArn: arn };
    try {
      const result = await (options.authorizer as LambdaHandler<AuthorizerEvent, APIGatewayAuthorizerResult>)(
        authorizerEvent,
        lambdaContext('authorizer', 10_000),
      );
      cached = { result, expires: Date.now() + (options.authorizerCacheTtlMs ?? 300_000) };
      cache.set(token, cached);
    } catch (error) {
      if (error instanceof Error && error.message === 'Unauthorized') return 'no_key';
      options.onLog?.({ level: 'ERROR', message: 'authorizer failed', error: String(error) });
      return 'authorizer_failed';
    }
  }
  if (!policyAllows(cached.result, arn)) return 'denied';
  return door === 'http'
    ? { ...cached.result.context }
    : { principalId: cached.result.principalId, ...cached.result.context };
};

/** Writes what the integration answered, read by the chosen API's rules. */
const writeResult = (door: FrontDoor, res: ServerResponse, result: ApiResult, requestId: string) => {
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
};

/**
 * A local API Gateway (REST API or HTTP API, Lambda proxy integration): matches declared
 * routes, runs the authorizer (a TOKEN event for REST, a 2.0 REQUEST event for HTTP API;
 * answers cached per Authorization header), builds the same proxy event the chosen API
 * builds with the authorizer's context, and answers rejections by itself as that API does.
 */
export const startGateway = async (options: GatewayOptions): Promise<Gateway> => {
  const door = options.frontDoor ?? 'rest';
  const compiled = options.routes ? compile(options.routes) : undefined;
  const cache: AuthorizerCache = new Map();
  const maxBody = options.maxBodyBytes ?? 10 * 1024 * 1024;

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const read = await readBody(req, maxBody);
    if (read === 'too_large') return gatewayAnswer(door, res, 'too_large', requestId);
    const body = read.length ? read.toString(options.binaryBodies ? 'base64' : 'utf8') : null;
    const routed = routeRequest(compiled, method, url.pathname);
    if (routed === 'no_route')
      return gatewayAnswer(door, res, 'no_route', requestId, `No route ${method} ${url.pathname}.`);
    if (routed === 'bad_path') return gatewayAnswer(door, res, 'bad_path', requestId);
    const request: ProxyRequest & { rawQueryString: string } = {
      method,
      resource: routed.resource,
      path: url.pathname,
      headers: forwardedHeaders(req),
      query: url.searchParams,
      rawQueryString: url.search.slice(1),
      pathParameters: routed.pathParameters,
      body,
      isBase64Encoded: Boolean(options.binaryBodies && body !== null),
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      requestId,
      at: started,
    };
    let authorizer: Record<string, unknown> | null = null;
    if (routed.auth !== 'public' && options.authorizer) {
      const context = await authorize(options, cache, request, req.headers.authorization);
      if (typeof context === 'string') return gatewayAnswer(door, res, context, requestId);
      authorizer = context;
    }
    const event: ApiEvent =
      door === 'http' ? httpApiEvent({ ...request, authorizer }) : proxyEvent({ ...request, authorizer });
    const handler = options.handler as LambdaHandler<ApiEvent, ApiResult>;
    try {
      writeResult(door, res, await handler(event, lambdaContext(options.name, 29_000)), requestId);
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
  const { url, close } = await listenOnLoopback(server, options.port);
  return { url, server, flushAuthorizerCache: () => cache.clear(), close };
};
