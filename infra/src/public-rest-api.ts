import { ApiGatewayIntegration } from '@cdktn/provider-aws/lib/api-gateway-integration';
import { ApiGatewayMethod, type ApiGatewayMethodConfig } from '@cdktn/provider-aws/lib/api-gateway-method';
import type { ApiGatewayResource } from '@cdktn/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktn/provider-aws/lib/api-gateway-rest-api';
import type { ApiGatewayStage } from '@cdktn/provider-aws/lib/api-gateway-stage';
import type { Construct } from 'constructs';
import { allowApiInvoke, type DeploymentPart, deployApiStage } from './api-stage.js';
import type { ServiceFunction } from './service-function.js';

/** A public API in front of one function: the ingest route, the reference receiver. */
export interface PublicApiProps {
  readonly stage: string;
  readonly handler: ServiceFunction;
  /** The stage's own ceiling, apart from the tenant API's. */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetentionDays: number;
}

/** How one public REST API differs from another: its name, its routes, what it may invoke. */
export interface PublicRestApiShape {
  readonly name: string;
  readonly description: string;
  /** Media types passed to the function in base64, untouched. */
  readonly binaryMediaTypes?: string[];
  /** The access log line; the API stage's default unless given. */
  readonly accessLogFormat?: Readonly<Record<string, string>>;
  /** Builds the routes on the API: every resource, method and integration a deployment snapshots. */
  readonly routes: (restApi: ApiGatewayRestApi) => readonly DeploymentPart[];
  /** The permission's construct id and the part of the API it lets call the function. */
  readonly invoke: { readonly id: string; readonly sourcePath: string };
}

/**
 * A regional REST API whose routes are Lambda proxies to one function, with no authorizer (the
 * function checks what the caller proves), deployed to a stage named after the platform stage.
 * Its constructs are the scope's own, so their ids are the scope's.
 */
export const publicRestApi = (
  scope: Construct,
  props: PublicApiProps,
  shape: PublicRestApiShape,
): { readonly restApi: ApiGatewayRestApi; readonly stage: ApiGatewayStage } => {
  const restApi = new ApiGatewayRestApi(scope, 'rest-api', {
    name: shape.name,
    description: shape.description,
    endpointConfiguration: { types: ['REGIONAL'] },
    ...(shape.binaryMediaTypes ? { binaryMediaTypes: shape.binaryMediaTypes } : {}),
  });
  const stage = deployApiStage(scope, {
    restApi,
    apiName: shape.name,
    stage: props.stage,
    parts: shape.routes(restApi),
    throttle: props.throttle,
    logRetentionDays: props.logRetentionDays,
    ...(shape.accessLogFormat ? { accessLogFormat: shape.accessLogFormat } : {}),
  });
  allowApiInvoke(scope, shape.invoke.id, props.handler, restApi, shape.invoke.sourcePath);
  return { restApi, stage };
};

/**
 * A public method on a resource and its Lambda proxy integration (`method-post` and
 * `integration-post` for POST): the method and the integration, in that order.
 */
export const proxyMethod = (
  scope: Construct,
  restApi: ApiGatewayRestApi,
  resource: ApiGatewayResource,
  handler: ServiceFunction,
  method: Pick<ApiGatewayMethodConfig, 'httpMethod' | 'requestValidatorId' | 'requestParameters'>,
): [ApiGatewayMethod, ApiGatewayIntegration] => {
  const suffix = method.httpMethod.toLowerCase();
  const created = new ApiGatewayMethod(scope, `method-${suffix}`, {
    restApiId: restApi.id,
    resourceId: resource.id,
    authorization: 'NONE',
    ...method,
  });
  const integration = new ApiGatewayIntegration(scope, `integration-${suffix}`, {
    restApiId: restApi.id,
    resourceId: resource.id,
    httpMethod: created.httpMethod,
    type: 'AWS_PROXY',
    integrationHttpMethod: 'POST',
    uri: handler.function.invokeArn,
  });
  return [created, integration];
};
