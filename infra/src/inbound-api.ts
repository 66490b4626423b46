import { ApiGatewayRequestValidator } from '@cdktn/provider-aws/lib/api-gateway-request-validator';
import { ApiGatewayResource } from '@cdktn/provider-aws/lib/api-gateway-resource';
import type { ApiGatewayRestApi } from '@cdktn/provider-aws/lib/api-gateway-rest-api';
import type { ApiGatewayStage } from '@cdktn/provider-aws/lib/api-gateway-stage';
import { Apigatewayv2Api } from '@cdktn/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2Route } from '@cdktn/provider-aws/lib/apigatewayv2-route';
import type { Apigatewayv2Stage } from '@cdktn/provider-aws/lib/apigatewayv2-stage';
import { resourceName } from '@hookrelay/definitions';
import { Construct } from 'constructs';
import { type ApiMetrics, httpApiMetrics, restApiMetrics } from './api-metrics.js';
import { ACCESS_LOG_FORMAT, allowApiInvoke, type DeploymentPart } from './api-stage.js';
import { HTTP_ACCESS_LOG_FORMAT, httpApiStage, lambdaProxyIntegration } from './platform-http-api.js';
import { type PublicApiProps, proxyMethod, publicRestApi } from './public-rest-api.js';
import type { ServiceFunction } from './service-function.js';
import type { ApiGatewayKind } from './stage.js';

/** The public ingest route behind either front door (the stage's `ingestGateway`). */
export interface IngestFrontDoor {
  readonly kind: ApiGatewayKind;
  readonly name: string;
  readonly invokeUrl: string;
  readonly metrics: ApiMetrics;
  /** The REST stage a web ACL attaches to; an HTTP API takes none. */
  readonly wafStageArn?: string;
}

const INGEST_DESCRIPTION = 'Hookrelay inbound webhooks (public, one URL per source)';

/** What the ingestion function may be invoked for, on either front door: `POST /in/...`. */
const ingestInvokePath = (stage: string) => `${stage}/POST/in/*`;

/**
 * An ingest stage's access-log line, from its front door's: the request's path is left out,
 * since on `/in/{token}` it holds the source's token, the one credential a provider has, and
 * access logs are kept for months; `route` (the template, `/in/{token}`) says which route it
 * was. There is no authorizer to log: the route is public.
 */
const ingestLogFormat = (format: Readonly<Record<string, string>>): Readonly<Record<string, string>> =>
  Object.fromEntries(
    Object.entries(format).filter(
      ([field]) => field !== 'path' && !field.startsWith('authorizer') && field !== 'tenantId',
    ),
  );

/** The ingest stage's access-log line on each front door. */
export const INGEST_ACCESS_LOG_FORMATS: Readonly<Record<ApiGatewayKind, Readonly<Record<string, string>>>> = {
  http: ingestLogFormat(HTTP_ACCESS_LOG_FORMAT),
  rest: ingestLogFormat(ACCESS_LOG_FORMAT),
};

/**
 * The public ingest route on an HTTP API ($1.00 per million requests against the REST API's
 * $3.50): `POST /in/{token}` only, a Lambda proxy (payload format 2.0) to the ingestion
 * function, which reads a text body as the UTF-8 it came in and any other in base64, byte for
 * byte. No web ACL can attach to it; the stage's throttle still bounds it.
 */
export class InboundHttpApi extends Construct implements IngestFrontDoor {
  readonly kind = 'http' as const;
  readonly name: string;
  readonly httpApi: Apigatewayv2Api;
  readonly stage: Apigatewayv2Stage;

  constructor(scope: Construct, id: string, props: PublicApiProps) {
    super(scope, id);
    this.name = resourceName('ingest', props.stage);
    this.httpApi = new Apigatewayv2Api(this, 'http-api', {
      name: this.name,
      description: INGEST_DESCRIPTION,
      protocolType: 'HTTP',
    });
    const integration = lambdaProxyIntegration(this, this.httpApi, props.handler);
    new Apigatewayv2Route(this, 'route', {
      apiId: this.httpApi.id,
      routeKey: 'POST /in/{token}',
      target: `integrations/${integration.id}`,
      authorizationType: 'NONE',
    });
    this.stage = httpApiStage(this, props, INGEST_ACCESS_LOG_FORMATS.http);
    allowApiInvoke(this, 'invoke-ingest', props.handler, this.httpApi, ingestInvokePath(props.stage));
  }

  get invokeUrl(): string {
    return this.stage.invokeUrl;
  }

  get metrics(): ApiMetrics {
    return httpApiMetrics(this.httpApi.id, this.stage.name);
  }
}

/**
 * The public ingest REST API: `POST /in/{token}` only, a Lambda proxy to the ingestion
 * function. Every media type is binary, so the body reaches the function in base64, byte for
 * byte as the provider sent it (a text body would be re-encoded and break signatures). The
 * gateway validates what every request must carry (the token); each provider's headers are
 * the function's to check.
 */
export class InboundApi extends Construct implements IngestFrontDoor {
  readonly kind = 'rest' as const;
  readonly name: string;
  readonly restApi: ApiGatewayRestApi;
  readonly stage: ApiGatewayStage;
  private readonly stageName: string;

  constructor(scope: Construct, id: string, props: PublicApiProps) {
    super(scope, id);
    this.name = resourceName('ingest', props.stage);
    this.stageName = props.stage;
    const api = publicRestApi(this, props, {
      name: this.name,
      description: INGEST_DESCRIPTION,
      // A body over 256 KB is the function's 413; API Gateway's own ceiling is 10 MB.
      binaryMediaTypes: ['*/*'],
      accessLogFormat: INGEST_ACCESS_LOG_FORMATS.rest,
      routes: (restApi) => this.ingestRoute(restApi, props.handler),
      invoke: { id: 'invoke-ingest', sourcePath: ingestInvokePath(props.stage) },
    });
    this.restApi = api.restApi;
    this.stage = api.stage;
  }

  /** `/in/{token}`, its POST method (the token required) and the integration. */
  private ingestRoute(restApi: ApiGatewayRestApi, handler: ServiceFunction): DeploymentPart[] {
    const inPath = new ApiGatewayResource(this, 'in', {
      restApiId: restApi.id,
      parentId: restApi.rootResourceId,
      pathPart: 'in',
    });
    const token = new ApiGatewayResource(this, 'token', {
      restApiId: restApi.id,
      parentId: inPath.id,
      pathPart: '{token}',
    });
    const validator = new ApiGatewayRequestValidator(this, 'validator', {
      restApiId: restApi.id,
      name: 'token-required',
      validateRequestParameters: true,
      validateRequestBody: false,
    });
    const method = proxyMethod(this, restApi, token, handler, {
      httpMethod: 'POST',
      requestValidatorId: validator.id,
      requestParameters: { 'method.request.path.token': true },
    });
    return [inPath, token, validator, ...method];
  }

  get invokeUrl(): string {
    return this.stage.invokeUrl;
  }

  get metrics(): ApiMetrics {
    return restApiMetrics(this.name, this.stageName);
  }

  get wafStageArn(): string {
    return this.stage.arn;
  }
}
