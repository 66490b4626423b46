import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';
import { type LambdaHandler, lambdaContext } from './lambda-context.js';

export interface GatewayRoute {
  readonly method: string;
  readonly path: string;
  readonly auth: 'public' | 'admin' | 'tenant';
}

export interface GatewayOptions {
  readonly name: string;
  readonly port: number;
  readonly handler: LambdaHandler<APIGatewayProxyEvent, APIGatewayProxyResult>;
  /** Declared routes, like API Gateway resources; absent means one `/{proxy+}` without auth. */
  readonly routes?: readonly GatewayRoute[];
  readonly authorizer?: LambdaHandler<APIGatewayTokenAuthorizerEvent, APIGatewayAuthorizerResult>;
  /** How long an authorizer answer is reused for the same token (API Gateway: 300 s). */
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
    const pattern = r.path.replace(/\{(\w+)\+?\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
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
 * A local API Gateway (REST, Lambda proxy integration): matches declared resources, runs the
 * TOKEN authorizer (answers cached per token), builds the same proxy event with the
 * authorizer's context, and turns rejections into 401/403 JSON errors before any handler runs.
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

/** The REST API (v1) proxy event API Gateway hands a Lambda integration for one request. */
export const proxyEvent = (req: ProxyRequest): APIGatewayProxyEvent => {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of req.headers) {
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of req.query ?? []) {
    query[k] = v;
    multiQuery[k] = [...(multiQuery[k] ?? []), v];
  }
  const hasQuery = Object.keys(query).length > 0;
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

export const startGateway = async (options: GatewayOptions): Promise<Gateway> => {
  const compiled = options.routes ? compile(options.routes) : undefined;
  const cache = new Map<string, { result: APIGatewayAuthorizerResult; expires: number }>();
  const ttl = options.authorizerCacheTtlMs ?? 300_000;
  const maxBody = options.maxBodyBytes ?? 10 * 1024 * 1024;

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBody) {
        return gatewayError(res, 413, 'payload_too_large', 'The request body is too large.', requestId);
      }
      chunks.push(chunk as Buffer);
    }
    const body = chunks.length
      ? Buffer.concat(chunks).toString(options.binaryBodies ? 'base64' : 'utf8')
      : null;

    let resource = '/{proxy+}';
    let pathParameters: Record<string, string> | null = { proxy: url.pathname.slice(1) };
    let auth: GatewayRoute['auth'] = 'public';
    if (compiled) {
      const candidates = compiled.filter((c) => c.route.method === method && c.regex.test(url.pathname));
      const hit = candidates.find((c) => c.literal) ?? candidates[0];
      if (!hit) {
        return gatewayError(res, 404, 'route_not_found', `No route ${method} ${url.pathname}.`, requestId);
      }
      const values = hit.regex.exec(url.pathname)?.slice(1) ?? [];
      resource = hit.route.path;
      const decoded = values.map(decodePathPart);
      if (decoded.some((v) => v === undefined)) {
        return gatewayError(res, 400, 'bad_request', 'The path is not valid percent-encoding.', requestId);
      }
      pathParameters = hit.names.length
        ? Object.fromEntries(hit.names.map((n, i) => [n, decoded[i] ?? '']))
        : null;
      auth = hit.route.auth;
    }

    let authorizerContext: Record<string, unknown> | undefined;
    if (auth !== 'public' && options.authorizer) {
      const token = req.headers.authorization;
      if (!token)
        return gatewayError(
          res,
          401,
          'unauthorized',
          'A valid API key is required in the Authorization header.',
          requestId,
        );
      const methodArn = METHOD_ARN(method, resource);
      let cached = cache.get(token);
      if (!cached || cached.expires < Date.now()) {
        try {
          const result = await options.authorizer(
            { type: 'TOKEN', authorizationToken: token, methodArn },
            lambdaContext('authorizer', 10_000),
          );
          cached = { result, expires: Date.now() + ttl };
          cache.set(token, cached);
        } catch (error) {
          if (error instanceof Error && error.message === 'Unauthorized') {
            return gatewayError(
              res,
              401,
              'unauthorized',
              'A valid API key is required in the Authorization header.',
              requestId,
            );
          }
          options.onLog?.({ level: 'ERROR', message: 'authorizer failed', error: String(error) });
          return gatewayError(
            res,
            503,
            'service_unavailable',
            'Authorization is unavailable; try again shortly.',
            requestId,
          );
        }
      }
      if (!policyAllows(cached.result, methodArn)) {
        return gatewayError(res, 403, 'forbidden', 'This key is not allowed to call this route.', requestId);
      }
      authorizerContext = { principalId: cached.result.principalId, ...cached.result.context };
    }

    const headers: [string, string][] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      headers.push([req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? '']);
    }
    const event = proxyEvent({
      method,
      resource,
      path: url.pathname,
      headers,
      query: url.searchParams,
      pathParameters,
      body,
      isBase64Encoded: Boolean(options.binaryBodies && body !== null),
      authorizer: authorizerContext ?? null,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      requestId,
      at: started,
    });
    try {
      const result = await options.handler(event, lambdaContext(options.name, 29_000));
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(result.headers ?? {})) out[k] = String(v);
      for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) out[k] = v.map(String);
      out['x-request-id'] ??= requestId;
      res.writeHead(result.statusCode, out);
      res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
    } catch (error) {
      options.onLog?.({ level: 'ERROR', message: `${options.name} handler threw`, error: String(error) });
      gatewayError(res, 502, 'bad_gateway', 'The integration failed.', requestId);
    }
  };

  const server = createServer((req, res) => {
    serve(req, res).catch((error) => {
      options.onLog?.({ level: 'ERROR', message: 'gateway failure', error: String(error) });
      if (!res.headersSent) gatewayError(res, 502, 'bad_gateway', 'The gateway failed.', randomUUID());
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
