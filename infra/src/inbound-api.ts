import { ApiGatewayIntegration } from '@cdktn/provider-aws/lib/api-gateway-integration';
import { ApiGatewayMethod } from '@cdktn/provider-aws/lib/api-gateway-method';
import { ApiGatewayRequestValidator } from '@cdktn/provider-aws/lib/api-gateway-request-validator';
import { ApiGatewayResource } from '@cdktn/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktn/provider-aws/lib/api-gateway-rest-api';
import type { ApiGatewayStage } from '@cdktn/provider-aws/lib/api-gateway-stage';
import { Apigatewayv2Api } from '@cdktn/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2Integration } from '@cdktn/provider-aws/lib/apigatewayv2-integration';
import { Apigatewayv2Route } from '@cdktn/provider-aws/lib/apigatewayv2-route';
import type { Apigatewayv2Stage } from '@cdktn/provider-aws/lib/apigatewayv2-stage';
import { resourceName } from '@hookrelay/definitions';
import { Construct } from 'constructs';
import { type ApiMetrics, httpApiMetrics, restApiMetrics } from './api-metrics.js';
import { allowApiInvoke, deployApiStage, INGEST_ACCESS_LOG_FORMAT } from './api-stage.js';
import { HTTP_ACCESS_LOG_FORMAT, HTTP_API_PAYLOAD_FORMAT, httpApiStage } from './platform-http-api.js';
import type { ServiceFunction } from './service-function.js';
import type { ApiGatewayKind } from './stage.js';

interface InboundApiProps {
  readonly stage: string;
  readonly handler: ServiceFunction;
  /** The public route's own ceiling, apart from the tenant API's (`StageSettings.ingestThrottle`). */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetentionDays: number;
}

/** The public ingest route behind either front door (the stage's `ingestGateway`). */
export interface IngestFrontDoor {
  readonly kind: ApiGatewayKind;
  readonly name: string;
  readonly invokeUrl: string;
  readonly metrics: ApiMetrics;
  /** The REST stage a web ACL attaches to; an HTTP API takes none. */
  readonly wafStageArn?: string;
}

/**
 * The HTTP API's ingest line: its access-log fields less the path (it holds the source's
 * token, the one credential a provider has) and the authorizer's (the route is public).
 */
export const INGEST_HTTP_ACCESS_LOG_FORMAT: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(HTTP_ACCESS_LOG_FORMAT).filter(
    ([field]) => field !== 'path' && !field.startsWith('authorizer') && field !== 'tenantId',
  ),
);

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

  constructor(scope: Construct, id: string, props: InboundApiProps) {
    super(scope, id);
    this.name = resourceName('ingest', props.stage);
    this.httpApi = new Apigatewayv2Api(this, 'http-api', {
      name: this.name,
      description: 'Hookrelay inbound webhooks (public, one URL per source)',
      protocolType: 'HTTP',
    });
    const integration = new Apigatewayv2Integration(this, 'integration', {
      apiId: this.httpApi.id,
      integrationType: 'AWS_PROXY',
      integrationUri: props.handler.function.invokeArn,
      integrationMethod: 'POST',
      payloadFormatVersion: HTTP_API_PAYLOAD_FORMAT,
    });
    new Apigatewayv2Route(this, 'route', {
      apiId: this.httpApi.id,
      routeKey: 'POST /in/{token}',
      target: `integrations/${integration.id}`,
      authorizationType: 'NONE',
    });
    this.stage = httpApiStage(this, {
      api: this.httpApi,
      name: this.name,
      stage: props.stage,
      throttle: props.throttle,
      logRetentionDays: props.logRetentionDays,
      accessLogFormat: INGEST_HTTP_ACCESS_LOG_FORMAT,
    });
    allowApiInvoke(this, 'invoke-ingest', props.handler, this.httpApi, `${props.stage}/POST/in/*`);
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

  constructor(scope: Construct, id: string, props: InboundApiProps) {
    super(scope, id);
    this.name = resourceName('ingest', props.stage);
    this.stageName = props.stage;
    this.restApi = new ApiGatewayRestApi(this, 'rest-api', {
      name: this.name,
      description: 'Hookrelay inbound webhooks (public, one URL per source)',
      endpointConfiguration: { types: ['REGIONAL'] },
      binaryMediaTypes: ['*/*'],
      // A body over 256 KB is the function's 413; API Gateway's own ceiling is 10 MB.
    });
    const inPath = new ApiGatewayResource(this, 'in', {
      restApiId: this.restApi.id,
      parentId: this.restApi.rootResourceId,
      pathPart: 'in',
    });
    const token = new ApiGatewayResource(this, 'token', {
      restApiId: this.restApi.id,
      parentId: inPath.id,
      pathPart: '{token}',
    });
    const validator = new ApiGatewayRequestValidator(this, 'validator', {
      restApiId: this.restApi.id,
      name: 'token-required',
      validateRequestParameters: true,
      validateRequestBody: false,
    });
    const method = new ApiGatewayMethod(this, 'method-post', {
      restApiId: this.restApi.id,
      resourceId: token.id,
      httpMethod: 'POST',
      authorization: 'NONE',
      requestValidatorId: validator.id,
      requestParameters: { 'method.request.path.token': true },
    });
    const integration = new ApiGatewayIntegration(this, 'integration-post', {
      restApiId: this.restApi.id,
      resourceId: token.id,
      httpMethod: method.httpMethod,
      type: 'AWS_PROXY',
      integrationHttpMethod: 'POST',
      uri: props.handler.function.invokeArn,
    });
    this.stage = deployApiStage(this, {
      restApi: this.restApi,
      apiName: this.name,
      stage: props.stage,
      parts: [inPath, token, validator, method, integration],
      throttle: props.throttle,
      logRetentionDays: props.logRetentionDays,
      accessLogFormat: INGEST_ACCESS_LOG_FORMAT,
    });
    allowApiInvoke(this, 'invoke-ingest', props.handler, this.restApi, `${props.stage}/POST/in/*`);
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
