import { describe, expect, it } from '@jest/globals';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { credentialsOf } from '../src/authorizer-event.js';

const routeArn = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/GET/v1/events';

describe('the authorizer reads either front door’s event', () => {
  it('a REST API TOKEN event: the token and the method ARN', () => {
    expect(credentialsOf({ type: 'TOKEN', authorizationToken: 'Bearer k1', methodArn: routeArn })).toEqual({
      token: 'Bearer k1',
      arn: routeArn,
    });
  });

  const request = (
    overrides: Partial<APIGatewayRequestAuthorizerEventV2>,
  ): APIGatewayRequestAuthorizerEventV2 => ({
    version: '2.0',
    type: 'REQUEST',
    routeArn,
    identitySource: ['Bearer k2'],
    routeKey: 'GET /v1/events',
    rawPath: '/dev/v1/events',
    rawQueryString: '',
    cookies: [],
    headers: { authorization: 'Bearer k2' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method: 'GET',
        path: '/dev/v1/events',
        protocol: 'HTTP/1.1',
        sourceIp: '1.2.3.4',
        userAgent: 'x',
      },
      requestId: 'r',
      routeKey: 'GET /v1/events',
      stage: 'dev',
      time: '',
      timeEpoch: 0,
    },
    ...overrides,
  });

  it('an HTTP API REQUEST event (2.0): the identity source (the Authorization header) and the route ARN', () => {
    expect(credentialsOf(request({}))).toEqual({ token: 'Bearer k2', arn: routeArn });
  });

  it('falls back to the header when the identity source list is empty', () => {
    expect(credentialsOf(request({ identitySource: [] })).token).toBe('Bearer k2');
    expect(credentialsOf(request({ identitySource: [], headers: {} })).token).toBeUndefined();
  });
});
