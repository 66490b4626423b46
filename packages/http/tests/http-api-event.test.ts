import { describe, expect, it } from '@jest/globals';
import middy from '@middy/core';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import {
  type ApiGatewayEvent,
  frontDoor,
  type HttpApiEvent,
  httpApiEvents,
  principalOf,
  requestIdHeader,
  requestIdOf,
  toHttpApiResult,
  toRestEvent,
} from '../src/index.js';

/** An HTTP API event (payload format 2.0) as API Gateway sends it through its own URL. */
const v2 = (overrides: Partial<HttpApiEvent> = {}, stage = 'dev'): HttpApiEvent => ({
  version: '2.0',
  routeKey: 'GET /v1/events/{id}',
  rawPath: `/${stage}/v1/events/evt_1`,
  rawQueryString: 'status=FAILED&type=a.b&type=c.d&q=x%2By+z',
  cookies: ['session=abc', 'theme=dark'],
  headers: { authorization: 'Bearer k', 'user-agent': 'curl/8', 'x-request-id': 'req-from-client' },
  queryStringParameters: { status: 'FAILED', type: 'a.b,c.d', q: 'x+y z' },
  pathParameters: { id: 'evt_1' },
  isBase64Encoded: false,
  requestContext: {
    accountId: '123456789012',
    apiId: 'abc123',
    domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
    domainPrefix: 'abc123',
    http: {
      method: 'GET',
      path: `/${stage}/v1/events/evt_1`,
      protocol: 'HTTP/1.1',
      sourceIp: '1.2.3.4',
      userAgent: 'curl/8',
    },
    requestId: 'gw-req-1',
    routeKey: 'GET /v1/events/{id}',
    stage,
    time: '30/Nov/2026:14:00:00 +0000',
    timeEpoch: 1_796_047_200_000,
    authorizer: { lambda: { tenant_id: 'acme', scopes: 'tenant', plan: 'pro', key_id: 'key_1' } },
  },
  ...overrides,
});

describe('an HTTP API event read as the REST API event the routes expect', () => {
  it('names the route template as resource and drops the stage from the path', () => {
    const event = toRestEvent(v2());
    expect(event).toMatchObject({
      resource: '/v1/events/{id}',
      path: '/v1/events/evt_1',
      httpMethod: 'GET',
      pathParameters: { id: 'evt_1' },
      requestContext: { stage: 'dev', requestId: 'gw-req-1', resourcePath: '/v1/events/{id}' },
    });
    expect(event.requestContext.identity.sourceIp).toBe('1.2.3.4');
  });

  it('keeps a path without the stage as it is (a custom domain, or the $default stage)', () => {
    expect(toRestEvent(v2({ rawPath: '/v1/events/evt_1' })).path).toBe('/v1/events/evt_1');
    expect(toRestEvent(v2({ rawPath: '/v1/events/evt_1' }, '$default')).path).toBe('/v1/events/evt_1');
  });

  it('does not cut a route that begins with the stage’s name', () => {
    const event = v2(
      { routeKey: 'GET /v1/openapi.json', rawPath: '/v1/openapi.json', pathParameters: {} },
      'v1',
    );
    expect(toRestEvent(event).path).toBe('/v1/openapi.json');
    expect(toRestEvent({ ...event, rawPath: '/v1/v1/openapi.json' }).path).toBe('/v1/openapi.json');
  });

  it('reads the query again from rawQueryString: the last value in one map, all of them in the other', () => {
    const event = toRestEvent(v2());
    expect(event.queryStringParameters).toEqual({ status: 'FAILED', type: 'c.d', q: 'x+y z' });
    expect(event.multiValueQueryStringParameters).toEqual({
      status: ['FAILED'],
      type: ['a.b', 'c.d'],
      q: ['x+y z'],
    });
    expect(toRestEvent(v2({ rawQueryString: '' })).queryStringParameters).toBeNull();
  });
});

describe('an HTTP API event read as the REST API event the routes expect', () => {
  it('reads query parameters and headers named like Object.prototype members as plain names', () => {
    const event = toRestEvent(
      v2({
        rawQueryString: 'constructor=a&__proto__=b&__proto__=c&toString=d',
        cookies: [],
        headers: Object.fromEntries([
          ['constructor', 'h1'],
          ['__proto__', 'h2'],
          ['hasOwnProperty', 'h3'],
        ]),
      }),
    );
    expect(Object.getPrototypeOf(event.queryStringParameters)).toBe(Object.prototype);
    expect(Object.entries(event.queryStringParameters ?? {})).toEqual([
      ['constructor', 'a'],
      ['__proto__', 'c'],
      ['toString', 'd'],
    ]);
    expect(Object.entries(event.multiValueQueryStringParameters ?? {})).toEqual([
      ['constructor', ['a']],
      ['__proto__', ['b', 'c']],
      ['toString', ['d']],
    ]);
    expect(Object.getPrototypeOf(event.multiValueHeaders)).toBe(Object.prototype);
    expect(Object.entries(event.headers)).toEqual([
      ['constructor', 'h1'],
      ['__proto__', 'h2'],
      ['hasOwnProperty', 'h3'],
    ]);
    expect(Object.entries(event.multiValueHeaders)).toEqual([
      ['constructor', ['h1']],
      ['__proto__', ['h2']],
      ['hasOwnProperty', ['h3']],
    ]);
  });

  it('puts the cookies back in a cookie header and keeps the other headers', () => {
    const event = toRestEvent(v2());
    expect(event.headers).toMatchObject({ cookie: 'session=abc; theme=dark', authorization: 'Bearer k' });
    expect(requestIdOf(event)).toBe('req-from-client');
    const { ['x-request-id']: _, ...headers } = v2().headers;
    expect(requestIdOf(toRestEvent(v2({ headers })))).toBe('gw-req-1');
  });

  it('hands the authorizer’s context over where the REST API puts it', () => {
    expect(principalOf(toRestEvent(v2()))).toEqual({
      tenant_id: 'acme',
      scopes: ['tenant'],
      plan: 'pro',
      key_id: 'key_1',
    });
    const { authorizer: _, ...publicContext } = v2().requestContext;
    expect(toRestEvent(v2({ requestContext: publicContext })).requestContext.authorizer).toBeNull();
  });
});

describe('a REST-style result answered in payload format 2.0', () => {
  it('joins repeated headers and turns set-cookie into cookies', () => {
    expect(
      toHttpApiResult({
        statusCode: 201,
        headers: { 'content-type': 'application/json' },
        multiValueHeaders: { vary: ['origin', 'accept'], 'Set-Cookie': ['a=1', 'b=2'] },
        body: '{}',
      }),
    ).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'application/json', vary: 'origin, accept' },
      cookies: ['a=1', 'b=2'],
      body: '{}',
      isBase64Encoded: false,
    });
  });
});

describe('the httpApiEvents middleware', () => {
  const seen: APIGatewayProxyEvent[] = [];
  const inner = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    seen.push(event);
    return { statusCode: 200, multiValueHeaders: { 'set-cookie': ['a=1'] }, body: event.path };
  };
  const handler = middy<ApiGatewayEvent, APIGatewayProxyResult | APIGatewayProxyStructuredResultV2>()
    .use(httpApiEvents())
    .handler((event) => inner(event as APIGatewayProxyEvent));
  const context = {} as Context;

  it('gives a v2 event to the handler as a v1 event and answers in 2.0', async () => {
    const result = await handler(v2(), context);
    expect(seen.at(-1)?.resource).toBe('/v1/events/{id}');
    expect(result).toEqual({
      statusCode: 200,
      headers: {},
      cookies: ['a=1'],
      body: '/v1/events/evt_1',
      isBase64Encoded: false,
    });
  });

  it('lets a v1 event and its result through untouched', async () => {
    const v1 = toRestEvent(v2());
    const result = await handler(v1, context);
    expect(seen.at(-1)).toBe(v1);
    expect(result).toEqual({
      statusCode: 200,
      multiValueHeaders: { 'set-cookie': ['a=1'] },
      body: '/v1/events/evt_1',
    });
  });
});

describe('a handler behind either front door, its answers stamped with the request id', () => {
  const handler = frontDoor()
    .use(requestIdHeader())
    .handler(async (event) => ({
      statusCode: 200,
      headers: { 'x-seen': (event as APIGatewayProxyEvent).path },
      body: '',
    }));
  const context = {} as Context;

  it('answers a v2 event in 2.0, with the caller’s request id', async () => {
    expect(await handler(v2(), context)).toMatchObject({
      statusCode: 200,
      headers: { 'x-seen': '/v1/events/evt_1', 'x-request-id': 'req-from-client' },
      isBase64Encoded: false,
    });
  });

  it('answers a v1 event in v1, with the gateway’s request id when the caller sent none', async () => {
    const { 'x-request-id': _, ...headers } = v2().headers;
    const result = await handler(toRestEvent(v2({ headers })), context);
    expect(result).toEqual({
      statusCode: 200,
      headers: { 'x-seen': '/v1/events/evt_1', 'x-request-id': 'gw-req-1' },
      body: '',
    });
  });
});
