import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { type Gateway, startGateway } from '../src/gateway.js';
import type { FrontDoor } from '../src/gateway-answers.js';

/*
 * The local gateway plays the API Gateway a stage chose: what events the authorizer and the
 * api function receive, what it caches, and what it answers by itself, per front door.
 */
const routes = [
  { method: 'GET', path: '/health', auth: 'public' },
  { method: 'GET', path: '/v1/events/{id}', auth: 'tenant' },
] as const;

interface Harness {
  readonly gateway: Gateway;
  readonly events: Record<string, unknown>[];
  readonly authorizerEvents: Record<string, unknown>[];
}

const allow = (token: string): APIGatewayAuthorizerResult => ({
  principalId: 'acme',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: 'arn:aws:execute-api:us-east-1:000000000000:local-api/local/*/*',
      },
    ],
  },
  context: { tenant_id: 'acme', scopes: 'tenant', key: token },
});

const start = async (frontDoor: FrontDoor): Promise<Harness> => {
  const events: Record<string, unknown>[] = [];
  const authorizerEvents: Record<string, unknown>[] = [];
  const gateway = await startGateway({
    name: 'api',
    port: 0,
    frontDoor,
    routes,
    handler: (async (event: Record<string, unknown>) => {
      events.push(event);
      return frontDoor === 'http'
        ? {
            statusCode: 200,
            headers: { 'content-type': 'application/json' },
            cookies: ['a=1'],
            body: '{"ok":true}',
          }
        : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
    }) as never,
    authorizer: (async (event: Record<string, unknown>) => {
      authorizerEvents.push(event);
      const token = String(event.authorizationToken ?? (event.identitySource as string[] | undefined)?.[0]);
      if (token === 'Bearer bad') throw new Error('Unauthorized');
      if (token === 'Bearer broken') throw new Error('DynamoDB is down');
      return allow(token);
    }) as never,
  });
  return { gateway, events, authorizerEvents };
};

const doors: Partial<Record<FrontDoor, Harness>> = {};
beforeAll(async () => {
  doors.rest = await start('rest');
  doors.http = await start('http');
});
afterAll(async () => {
  await doors.rest?.gateway.close();
  await doors.http?.gateway.close();
});
const door = (kind: FrontDoor): Harness => {
  const harness = doors[kind];
  if (!harness) throw new Error('not started');
  return harness;
};
const get = (kind: FrontDoor, path: string, headers: Record<string, string> = {}) =>
  fetch(`${door(kind).gateway.url}${path}`, { headers });

describe('REST API (v1)', () => {
  it('calls the authorizer with a TOKEN event and the function with a v1 proxy event', async () => {
    const reply = await get('rest', '/v1/events/evt_1?type=a&type=b', {
      authorization: 'Bearer rest-1',
      cookie: 'c=1',
    });
    expect(reply.status).toBe(200);
    expect(door('rest').authorizerEvents.at(-1)).toEqual({
      type: 'TOKEN',
      authorizationToken: 'Bearer rest-1',
      methodArn: expect.stringMatching(/\/local\/GET\/v1\/events\/\{id\}$/),
    });
    expect(door('rest').events.at(-1)).toMatchObject({
      resource: '/v1/events/{id}',
      path: '/v1/events/evt_1',
      httpMethod: 'GET',
      pathParameters: { id: 'evt_1' },
      queryStringParameters: { type: 'b' },
      multiValueQueryStringParameters: { type: ['a', 'b'] },
      requestContext: {
        stage: 'local',
        authorizer: { principalId: 'acme', tenant_id: 'acme', scopes: 'tenant' },
      },
    });
    expect(door('rest').events.at(-1)).toMatchObject({ headers: { cookie: 'c=1' } });
  });

  it.each([
    ['/v1/events/evt_1', {}, 401, 'unauthorized'],
    ['/v1/events/evt_1', { authorization: 'Bearer bad' }, 401, 'unauthorized'],
    ['/v1/events/evt_1', { authorization: 'Bearer broken' }, 503, 'service_unavailable'],
    ['/v1/nothing', {}, 404, 'route_not_found'],
  ])('answers %s %j by itself with %s in the platform’s error shape', async (path, headers, status, code) => {
    const reply = await get('rest', path, headers as Record<string, string>);
    expect(reply.status).toBe(status);
    expect(reply.headers.get('x-request-id')).toBeTruthy();
    expect(await reply.json()).toEqual({ error: { code, message: expect.any(String) } });
  });
});

describe('HTTP API (payload format 2.0)', () => {
  it('calls the authorizer with a 2.0 REQUEST event on the Authorization header', async () => {
    const reply = await get('http', '/v1/events/evt_1?type=a&type=b', {
      authorization: 'Bearer http-1',
      cookie: 'c=1; d=2',
      'X-Custom': 'v',
    });
    expect(reply.status).toBe(200);
    expect(door('http').authorizerEvents.at(-1)).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      identitySource: ['Bearer http-1'],
      routeKey: 'GET /v1/events/{id}',
      routeArn: expect.stringMatching(/\/local\/GET\/v1\/events\/\{id\}$/),
      rawPath: '/v1/events/evt_1',
      rawQueryString: 'type=a&type=b',
      cookies: ['c=1', 'd=2'],
      pathParameters: { id: 'evt_1' },
    });
  });

  it('calls the function with a 2.0 event: lowercased headers, cookies apart, joined query values, the context under lambda', async () => {
    await get('http', '/v1/events/evt_2?type=a&type=b', {
      authorization: 'Bearer http-1',
      cookie: 'c=1; d=2',
      'X-Custom': 'v',
    });
    const event = door('http').events.at(-1) ?? {};
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /v1/events/{id}',
      rawPath: '/v1/events/evt_2',
      rawQueryString: 'type=a&type=b',
      cookies: ['c=1', 'd=2'],
      queryStringParameters: { type: 'a,b' },
      pathParameters: { id: 'evt_2' },
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'GET', path: '/v1/events/evt_2' },
        routeKey: 'GET /v1/events/{id}',
        stage: 'local',
        authorizer: { lambda: { tenant_id: 'acme', scopes: 'tenant', key: 'Bearer http-1' } },
      },
    });
    const headers = event.headers as Record<string, string>;
    expect(headers['x-custom']).toBe('v');
    expect(headers.cookie).toBeUndefined();
    expect(event).not.toHaveProperty('multiValueHeaders');
    expect(event).not.toHaveProperty('httpMethod');
  });

  it('answers with the 2.0 result’s cookies as set-cookie and its own request id header', async () => {
    const reply = await get('http', '/health');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('set-cookie')).toBe('a=1');
    expect(reply.headers.get('apigw-requestid')).toBeTruthy();
    expect(door('http').events.at(-1)).not.toHaveProperty('requestContext.authorizer');
  });

  it.each([
    ['/v1/events/evt_1', {}, 401, 'Unauthorized'],
    ['/v1/events/evt_1', { authorization: 'Bearer bad' }, 401, 'Unauthorized'],
    ['/v1/events/evt_1', { authorization: 'Bearer broken' }, 500, 'Internal Server Error'],
    ['/v1/nothing', {}, 404, 'Not Found'],
  ])('answers %s %j by itself with %s and HTTP API’s fixed body', async (path, headers, status, message) => {
    const reply = await get('http', path, headers as Record<string, string>);
    expect(reply.status).toBe(status);
    expect(reply.headers.get('apigw-requestid')).toBeTruthy();
    expect(await reply.json()).toEqual({ message });
  });
});

describe.each(['rest', 'http'] as const)('%s: the authorizer’s answer', (kind) => {
  it('is cached per Authorization header value until the cache is flushed', async () => {
    const before = door(kind).authorizerEvents.length;
    for (const id of ['a', 'b', 'c']) {
      expect((await get(kind, `/v1/events/${id}`, { authorization: 'Bearer cached' })).status).toBe(200);
    }
    expect(door(kind).authorizerEvents.length).toBe(before + 1);
    await get(kind, '/v1/events/a', { authorization: 'Bearer other' });
    expect(door(kind).authorizerEvents.length).toBe(before + 2);
    door(kind).gateway.flushAuthorizerCache();
    await get(kind, '/v1/events/a', { authorization: 'Bearer cached' });
    expect(door(kind).authorizerEvents.length).toBe(before + 3);
  });

  it('expires after 300 s', async () => {
    const key = { authorization: `Bearer ttl-${kind}` };
    const before = door(kind).authorizerEvents.length;
    await get(kind, '/v1/events/a', key);
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now');
    try {
      clock.mockReturnValue(now + 299_000);
      await get(kind, '/v1/events/a', key);
      expect(door(kind).authorizerEvents.length).toBe(before + 1);
      clock.mockReturnValue(now + 301_000);
      await get(kind, '/v1/events/a', key);
      expect(door(kind).authorizerEvents.length).toBe(before + 2);
    } finally {
      clock.mockRestore();
    }
  });

  it('is not asked at all without an Authorization header, nor for a public route', async () => {
    const before = door(kind).authorizerEvents.length;
    expect((await get(kind, '/v1/events/a')).status).toBe(401);
    expect((await get(kind, '/health', { authorization: 'Bearer public' })).status).toBe(200);
    expect(door(kind).authorizerEvents.length).toBe(before);
  });
});

describe('names a client chooses', () => {
  it.each(['rest', 'http'] as const)(
    'hands query parameters and headers named constructor or __proto__ over as plain names (%s)',
    async (kind) => {
      const reply = await get(kind, '/health?constructor=a&__proto__=b&__proto__=c', { constructor: 'h1' });
      expect(reply.status).toBe(200);
      const event = door(kind).events.at(-1) ?? {};
      const query = event.queryStringParameters as Record<string, string>;
      const headers = event.headers as Record<string, string>;
      expect(Object.getPrototypeOf(query)).toBe(Object.prototype);
      if (kind === 'rest') {
        expect(Object.entries(query)).toEqual([
          ['constructor', 'a'],
          ['__proto__', 'c'],
        ]);
        expect(Object.entries(event.multiValueQueryStringParameters as object)).toEqual([
          ['constructor', ['a']],
          ['__proto__', ['b', 'c']],
        ]);
        expect(Object.entries(event.multiValueHeaders as object)).toEqual(
          expect.arrayContaining([['constructor', ['h1']]]),
        );
      } else {
        expect(Object.entries(query)).toEqual([
          ['constructor', 'a'],
          ['__proto__', 'b,c'],
        ]);
      }
      expect(Object.entries(headers)).toEqual(expect.arrayContaining([['constructor', 'h1']]));
    },
  );
});

describe('a body over the limit', () => {
  /**
   * Writes raw requests on one connection, each once the previous answer has begun, and gives
   * the status line of every answer read before the connection closed (the last request asks
   * for that) or was reset.
   */
  const exchange = (url: string, requests: readonly string[]) =>
    new Promise<{ statuses: string[]; error?: string }>((resolve) => {
      const socket = connect(Number(new URL(url).port), '127.0.0.1');
      let received = '';
      let next = 0;
      const statuses = () => received.match(/HTTP\/1\.1 \d{3} [^\r]*/g) ?? [];
      const send = () => socket.write(requests[next++] ?? '');
      socket.on('connect', send);
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
        if (statuses().length === next && next < requests.length) send();
      });
      socket.on('error', (error: Error & { code?: string }) =>
        resolve({ statuses: statuses(), error: error.code ?? error.message }),
      );
      socket.on('close', () => resolve({ statuses: statuses() }));
    });

  it.each(['rest', 'http'] as const)(
    'is a 413 that leaves a keep-alive connection open for the next request (%s)',
    async (frontDoor) => {
      const gateway = await startGateway({
        name: 'api',
        port: 0,
        frontDoor,
        routes: [{ method: 'POST', path: '/in/{token}', auth: 'public' }, ...routes],
        maxBodyBytes: 1_024,
        handler: (async () => ({ statusCode: 200, headers: {}, body: '{"ok":true}' })) as never,
      });
      try {
        const big = 'x'.repeat(200_000);
        const statuses = await exchange(gateway.url, [
          `POST /in/t HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\n\r\n${big}`,
          'GET /health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
        ]);
        expect(statuses).toEqual({ statuses: ['HTTP/1.1 413 Payload Too Large', 'HTTP/1.1 200 OK'] });
      } finally {
        await gateway.close();
      }
    },
  );
});
