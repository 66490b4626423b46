import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createApi } from '../src/api.js';
import type { Deps } from '../src/deps.js';
import { routeIndex } from '../src/generated/route-index.js';
import { type LoadedGroup, ROUTE_GROUPS } from '../src/route-groups.js';
import type { RouteGroup } from '../src/route-spec.js';
import { routeEntries } from '../src/route-table.js';

const logger = new Logger({ logLevel: 'SILENT' });

/** The real route groups, counting each load; `failFirst` groups fail their first load. */
const countingGroups = (failFirst: readonly RouteGroup[] = []) => {
  const loads: Partial<Record<RouteGroup, number>> = {};
  const groups = Object.fromEntries(
    Object.entries(ROUTE_GROUPS).map(([name, load]) => [
      name,
      async (log: Logger): Promise<LoadedGroup> => {
        const group = name as RouteGroup;
        loads[group] = (loads[group] ?? 0) + 1;
        if (failFirst.includes(group) && loads[group] === 1) throw new Error(`${group} could not be read`);
        return load(log);
      },
    ]),
  ) as Record<RouteGroup, (log: Logger) => Promise<LoadedGroup>>;
  return { loads, groups };
};

// Every request below is answered by the router, by validation or by /health: none reaches a port.
const deps = { maxEventBytes: 256 * 1024 } as Deps;

const request = (path: string, query: Record<string, string> | null = null) =>
  ({
    httpMethod: 'GET',
    path,
    resource: path,
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: query,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-1',
      authorizer: { tenant_id: 'acme', scopes: 'tenant', plan: 'free', key_id: 'key_1' },
    },
  }) as unknown as APIGatewayProxyEvent;

const context = { awsRequestId: 'inv-1', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

const call = async (api: ReturnType<typeof createApi>, event: APIGatewayProxyEvent) => {
  const response = (await api(event, context)) as APIGatewayProxyResult;
  return { status: response.statusCode, body: JSON.parse(response.body) as { error?: { code: string } } };
};

describe('the API loads a route group on its first request', () => {
  it("routes by the generated index, which is the route table's", () => {
    expect(routeIndex).toEqual(routeEntries(logger));
  });

  it('a cold API has no group loaded; a request loads its own group once, however many ask at once', async () => {
    const { loads, groups } = countingGroups();
    const api = createApi(deps, logger, groups);
    expect(loads).toEqual({});

    expect((await call(api, request('/health'))).status).toBe(200);
    expect(loads).toEqual({ system: 1 });

    const concurrent = await Promise.all([
      call(api, request('/v1/webhooks', { limit: 'ten' })),
      call(api, request('/v1/webhooks', { limit: 'ten' })),
      call(api, request('/v1/events', { status: 'LOST' })),
    ]);
    expect(concurrent.map((r) => r.status)).toEqual([400, 400, 400]);
    expect(concurrent[2]?.body.error?.code).toBe('validation_error');
    expect(loads).toEqual({ system: 1, webhooks: 1, events: 1 });

    await call(api, request('/v1/webhooks', { limit: 'ten' }));
    expect(loads).toEqual({ system: 1, webhooks: 1, events: 1 });
  });

  it('an unknown route loads nothing', async () => {
    const { loads, groups } = countingGroups();
    const api = createApi(deps, logger, groups);
    const { status, body } = await call(api, request('/v1/nothing-here'));
    expect(status).toBe(404);
    expect(body.error?.code).toBe('route_not_found');
    expect(loads).toEqual({});
  });

  it('a group that failed to load is a 500 for that request, and is loaded again on the next', async () => {
    const { loads, groups } = countingGroups(['events']);
    const api = createApi(deps, logger, groups);
    expect((await call(api, request('/v1/events', { status: 'LOST' }))).status).toBe(500);
    const again = await call(api, request('/v1/events', { status: 'LOST' }));
    expect(again.status).toBe(400);
    expect(loads.events).toBe(2);
  });
});
