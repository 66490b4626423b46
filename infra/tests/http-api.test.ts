import { ApiGatewayAuthorizer } from '@cdktn/provider-aws/lib/api-gateway-authorizer';
import { ApiGatewayBasePathMapping } from '@cdktn/provider-aws/lib/api-gateway-base-path-mapping';
import { ApiGatewayGatewayResponse } from '@cdktn/provider-aws/lib/api-gateway-gateway-response';
import { ApiGatewayRestApi } from '@cdktn/provider-aws/lib/api-gateway-rest-api';
import { Apigatewayv2Api } from '@cdktn/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2ApiMapping } from '@cdktn/provider-aws/lib/apigatewayv2-api-mapping';
import { Apigatewayv2Authorizer } from '@cdktn/provider-aws/lib/apigatewayv2-authorizer';
import { Apigatewayv2Integration } from '@cdktn/provider-aws/lib/apigatewayv2-integration';
import { Apigatewayv2Route } from '@cdktn/provider-aws/lib/apigatewayv2-route';
import { Apigatewayv2Stage } from '@cdktn/provider-aws/lib/apigatewayv2-stage';
import { LambdaFunction } from '@cdktn/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktn/provider-aws/lib/lambda-permission';
import { describe, expect, it } from '@jest/globals';
import { apiRoutes } from '../src/platform.js';
import {
  expectResource,
  findResource,
  resourceList,
  resources,
  type Synthesized,
  synthPlatform,
} from './support/synth.js';

/*
 * The tenant API's front door is a stage setting, `api_gateway = "http" | "rest"` (default
 * http). The REST API's own tests are in stateless-stack.test.ts; these are the HTTP API's,
 * and what each choice synthesizes and leaves out.
 */
const http = synthPlatform('dev').stateless;
const httpProd = synthPlatform('prod').stateless;
const rest = synthPlatform('dev', undefined, { apiGateway: 'rest' }).stateless;
const routes = apiRoutes();
/** The tenant API's resources only: a development stage's ingest route is an HTTP API too. */
const tenantApiOnly = (list: Record<string, unknown>[]) =>
  list.filter((r) => !JSON.stringify(r).includes('ingest-http-api') && r.name !== 'hookrelay-ingest-dev');

const nameOf = (stack: Synthesized, type: string, match: Record<string, unknown>): string => {
  const resource = findResource(stack, type, match);
  const entry = Object.entries(resources(stack, type)).find(([, r]) => r === resource);
  if (!entry) throw new Error(`not a ${type}`);
  return entry[0];
};
const functionRef = (stack: Synthesized, service: string, attribute: string) =>
  `\${aws_lambda_function.${nameOf(stack, LambdaFunction.tfResourceType, { function_name: `hookrelay-${service}-dev` })}.${attribute}}`;

describe('HTTP API (api_gateway = "http", the default)', () => {
  const apiName = nameOf(http, Apigatewayv2Api.tfResourceType, { name: 'hookrelay-api-dev' });
  const apiId = `\${aws_apigatewayv2_api.${apiName}.id}`;
  const authorizerName = nameOf(http, Apigatewayv2Authorizer.tfResourceType, {
    name: 'hookrelay-authorizer-dev',
  });
  const integrationName = Object.entries(resources(http, Apigatewayv2Integration.tfResourceType)).find(
    ([, r]) => r.api_id === apiId,
  )?.[0];

  it('is an HTTP API named as the REST API would be', () => {
    expectResource(http, Apigatewayv2Api, { name: 'hookrelay-api-dev', protocol_type: 'HTTP' });
  });

  it('puts a REQUEST authorizer on the Authorization header in front, its answer cached 300 s', () => {
    expectResource(http, Apigatewayv2Authorizer, {
      api_id: apiId,
      authorizer_type: 'REQUEST',
      identity_sources: ['$request.header.Authorization'],
      authorizer_result_ttl_in_seconds: 300,
      authorizer_payload_format_version: '2.0',
      // The same IAM policy answer the REST API's TOKEN authorizer gives.
      enable_simple_responses: false,
      authorizer_uri: functionRef(http, 'authorizer', 'invoke_arn'),
    });
  });

  it('declares one route per route of the API’s route table, and nothing else (no $default)', () => {
    const keys = tenantApiOnly(resourceList(http, Apigatewayv2Route.tfResourceType)).map((r) =>
      String(r.route_key),
    );
    expect(keys.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    expect(keys).not.toContain('$default');
  });

  it('protects every non-public route with the authorizer and leaves public ones open', () => {
    for (const route of routes) {
      expectResource(http, Apigatewayv2Route, {
        api_id: apiId,
        route_key: `${route.method} ${route.path}`,
        target: `integrations/\${aws_apigatewayv2_integration.${integrationName}.id}`,
        ...(route.auth === 'public'
          ? { authorization_type: 'NONE' }
          : {
              authorization_type: 'CUSTOM',
              authorizer_id: `\${aws_apigatewayv2_authorizer.${authorizerName}.id}`,
            }),
      });
    }
    for (const route of resourceList(http, Apigatewayv2Route.tfResourceType)) {
      if (route.authorization_type === 'NONE') expect(route.authorizer_id).toBeUndefined();
    }
    expect(routes.filter((r) => r.auth === 'public').map((r) => r.path)).toEqual(
      expect.arrayContaining(['/health', '/v1/openapi.json', '/v1/docs', '/v1/redoc']),
    );
  });

  it('proxies every route to the api function with payload format 2.0', () => {
    expect(tenantApiOnly(resourceList(http, Apigatewayv2Integration.tfResourceType))).toHaveLength(1);
    expectResource(http, Apigatewayv2Integration, {
      integration_type: 'AWS_PROXY',
      integration_method: 'POST',
      payload_format_version: '2.0',
      integration_uri: functionRef(http, 'api', 'invoke_arn'),
    });
  });

  it('deploys itself to a stage named after the platform stage, throttled as the REST stage is', () => {
    expectResource(http, Apigatewayv2Stage, {
      api_id: apiId,
      name: 'dev',
      auto_deploy: true,
      default_route_settings: { throttling_rate_limit: 50, throttling_burst_limit: 100 },
    });
    expectResource(httpProd, Apigatewayv2Stage, {
      name: 'prod',
      default_route_settings: { throttling_rate_limit: 500, throttling_burst_limit: 1000 },
    });
  });

  it('lets API Gateway invoke the api (this stage only) and the authorizer (this authorizer only)', () => {
    expectResource(http, LambdaPermission, {
      function_name: functionRef(http, 'api', 'function_name'),
      principal: 'apigateway.amazonaws.com',
      source_arn: `\${aws_apigatewayv2_api.${apiName}.execution_arn}/dev/*`,
    });
    expectResource(http, LambdaPermission, {
      function_name: functionRef(http, 'authorizer', 'function_name'),
      principal: 'apigateway.amazonaws.com',
      source_arn: `\${aws_apigatewayv2_api.${apiName}.execution_arn}/authorizers/\${aws_apigatewayv2_authorizer.${authorizerName}.id}`,
    });
  });

  it('maps the optional custom domain to its stage with an API mapping', () => {
    expectResource(http, Apigatewayv2ApiMapping, {
      api_id: apiId,
      count: `\${(var.api_domain_name == "") ? 0 : 1}`,
    });
    // The receiver, a REST API on dev, keeps its base path mapping.
    expect(resourceList(http, ApiGatewayBasePathMapping.tfResourceType).map((m) => String(m.count))).toEqual([
      `\${(var.receiver_domain_name == "") ? 0 : 1}`,
    ]);
  });

  it('has no REST API, TOKEN authorizer or gateway responses for the tenant API', () => {
    expect(resourceList(http, ApiGatewayRestApi.tfResourceType).map((a) => a.name)).not.toContain(
      'hookrelay-api-dev',
    );
    expect(resourceList(http, ApiGatewayAuthorizer.tfResourceType)).toEqual([]);
    expect(resourceList(http, ApiGatewayGatewayResponse.tfResourceType)).toEqual([]);
  });
});

describe('api_gateway = "rest"', () => {
  it('synthesizes the REST API and none of the HTTP API', () => {
    expectResource(rest, ApiGatewayRestApi, { name: 'hookrelay-api-dev' });
    expectResource(rest, ApiGatewayAuthorizer, {
      type: 'TOKEN',
      identity_source: 'method.request.header.Authorization',
      authorizer_result_ttl_in_seconds: 300,
    });
    for (const type of [Apigatewayv2Api, Apigatewayv2Authorizer, Apigatewayv2Route, Apigatewayv2Stage]) {
      expect(tenantApiOnly(resourceList(rest, type.tfResourceType))).toEqual([]);
    }
    expect(resourceList(rest, ApiGatewayBasePathMapping.tfResourceType)).toHaveLength(2);
  });
});
