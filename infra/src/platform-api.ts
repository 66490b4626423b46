import { ApiGatewayAuthorizer } from '@cdktn/provider-aws/lib/api-gateway-authorizer';
import { ApiGatewayIntegration } from '@cdktn/provider-aws/lib/api-gateway-integration';
import { ApiGatewayMethod } from '@cdktn/provider-aws/lib/api-gateway-method';
import { ApiGatewayResource } from '@cdktn/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktn/provider-aws/lib/api-gateway-rest-api';
import type { ApiGatewayStage } from '@cdktn/provider-aws/lib/api-gateway-stage';
import { resourceName } from '@hookrelay/definitions';
import { Construct } from 'constructs';
import { type ApiMetrics, restApiMetrics } from './api-metrics.js';
import { allowApiInvoke, type DeploymentPart, deployApiStage } from './api-stage.js';
import { addGatewayResponses } from './gateway-responses.js';
import type { ServiceFunction } from './service-function.js';
import type { ApiGatewayKind } from './stage.js';

/** A route as the API's route table declares it (`routeIndex` in `@hookrelay/api/routes`). */
export interface ApiRoute {
  readonly method: string;
  readonly path: string;
  readonly auth: 'public' | 'admin' | 'tenant' | 'portal';
}

/** API Gateway caches an authorizer's answer per token this long (the operations runbook relies on it). */
export const AUTHORIZER_CACHE_SECONDS = 300;

export interface PlatformApiProps {
  readonly stage: string;
  readonly routes: readonly ApiRoute[];
  readonly handler: ServiceFunction;
  readonly authorizer: ServiceFunction;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetentionDays: number;
}

/** What a custom domain maps to: a REST API's stage, or an HTTP API's. */
export type ApiMappingTarget =
  | { readonly kind: 'rest'; readonly restApiId: string; readonly stageName: string }
  | { readonly kind: 'http'; readonly apiId: string; readonly stageName: string };

/** The tenant API, whichever front door the stage chose (`StageSettings.apiGateway`). */
export interface TenantApi {
  readonly kind: ApiGatewayKind;
  readonly name: string;
  /** The stage's name, the platform stage's (alarms and dashboards name it without a reference). */
  readonly stageName: string;
  readonly invokeUrl: string;
  readonly metrics: ApiMetrics;
  readonly mapping: ApiMappingTarget;
}

/** `/v1/webhooks/{id}` → `v1_webhooks_{id}`: a readable, unique construct id per path. */
export const pathId = (path: string): string => path.split('/').filter(Boolean).join('_') || 'root';

/**
 * The tenant-facing REST API (v1): one resource and method per route of the API's own route
 * table, each a Lambda proxy integration to the api function. Routes other than public ones
 * go through the TOKEN authorizer; admin-versus-tenant scope is checked by the API itself,
 * from the authorizer's context. A path the table does not declare never reaches a function.
 */
export class PlatformApi extends Construct implements TenantApi {
  readonly kind = 'rest' as const;
  readonly name: string;
  readonly stageName: string;
  readonly restApi: ApiGatewayRestApi;
  readonly stage: ApiGatewayStage;
  readonly authorizer: ApiGatewayAuthorizer;

  constructor(scope: Construct, id: string, props: PlatformApiProps) {
    super(scope, id);
    this.name = resourceName('api', props.stage);
    this.stageName = props.stage;
    this.restApi = new ApiGatewayRestApi(this, 'rest-api', {
      name: this.name,
      description: 'Hookrelay REST API v1',
      endpointConfiguration: { types: ['REGIONAL'] },
      // Answers of 1 KB or more go gzipped to clients that accept it (the portal's scripts among
      // them); behind an HTTP API, which has no such setting, the API gzips the portal itself.
      minimumCompressionSize: '1024',
    });

    this.authorizer = new ApiGatewayAuthorizer(this, 'authorizer', {
      name: props.authorizer.name,
      restApiId: this.restApi.id,
      type: 'TOKEN',
      authorizerUri: props.authorizer.function.invokeArn,
      identitySource: 'method.request.header.Authorization',
      authorizerResultTtlInSeconds: AUTHORIZER_CACHE_SECONDS,
    });

    const resources = this.resourceTree(props.routes);
    const parts: DeploymentPart[] = [...resources.values()];
    for (const route of props.routes) {
      const resourceId = resources.get(route.path)?.id ?? this.restApi.rootResourceId;
      const method = new ApiGatewayMethod(this, `method-${route.method}-${pathId(route.path)}`, {
        restApiId: this.restApi.id,
        resourceId,
        httpMethod: route.method,
        ...(route.auth === 'public'
          ? { authorization: 'NONE' }
          : { authorization: 'CUSTOM', authorizerId: this.authorizer.id }),
      });
      const integration = new ApiGatewayIntegration(
        this,
        `integration-${route.method}-${pathId(route.path)}`,
        {
          restApiId: this.restApi.id,
          resourceId,
          httpMethod: method.httpMethod,
          type: 'AWS_PROXY',
          // Lambda is always invoked with POST, whatever the client's method.
          integrationHttpMethod: 'POST',
          uri: props.handler.function.invokeArn,
        },
      );
      parts.push(method, integration);
    }
    const responses = addGatewayResponses(this, this.restApi.id);

    this.stage = deployApiStage(this, {
      restApi: this.restApi,
      apiName: this.name,
      stage: props.stage,
      parts: [...parts, ...responses, this.authorizer],
      throttle: props.throttle,
      logRetentionDays: props.logRetentionDays,
    });

    allowApiInvoke(this, 'invoke-api', props.handler, this.restApi, `${props.stage}/*`);
    allowApiInvoke(
      this,
      'invoke-authorizer',
      props.authorizer,
      this.restApi,
      `authorizers/${this.authorizer.id}`,
    );
  }

  get invokeUrl(): string {
    return this.stage.invokeUrl;
  }

  get metrics(): ApiMetrics {
    return restApiMetrics(this.name, this.stageName);
  }

  get mapping(): ApiMappingTarget {
    return { kind: 'rest', restApiId: this.restApi.id, stageName: this.stage.stageName };
  }

  /**
   * One API Gateway resource per path prefix of the routes, keyed by path. API Gateway allows
   * one path parameter per level (`/v1/tenants/current` beside `/v1/tenants/{id}` is fine, two
   * differently named parameters are not), so that is checked here rather than at apply time.
   */
  private resourceTree(routes: readonly ApiRoute[]): Map<string, ApiGatewayResource> {
    const ids = new Map<string, ApiGatewayResource>();
    const parameterAt = new Map<string, string>();
    for (const route of routes) {
      let parentPath = '';
      let parentId = this.restApi.rootResourceId;
      for (const part of route.path.split('/').filter(Boolean)) {
        const path = `${parentPath}/${part}`;
        if (part.startsWith('{')) {
          const other = parameterAt.get(parentPath);
          if (other && other !== part) {
            throw new Error(
              `Routes under "${parentPath || '/'}" name the same parameter ${other} and ${part}.`,
            );
          }
          parameterAt.set(parentPath, part);
        }
        let resource = ids.get(path);
        if (!resource) {
          resource = new ApiGatewayResource(this, `resource-${pathId(path)}`, {
            restApiId: this.restApi.id,
            parentId,
            pathPart: part,
          });
          ids.set(path, resource);
        }
        parentPath = path;
        parentId = resource.id;
      }
    }
    return ids;
  }
}
