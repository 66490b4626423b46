import { ApiGatewayIntegration } from '@cdktn/provider-aws/lib/api-gateway-integration';
import { ApiGatewayMethod } from '@cdktn/provider-aws/lib/api-gateway-method';
import { ApiGatewayRequestValidator } from '@cdktn/provider-aws/lib/api-gateway-request-validator';
import { ApiGatewayResource } from '@cdktn/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktn/provider-aws/lib/api-gateway-rest-api';
import type { ApiGatewayStage } from '@cdktn/provider-aws/lib/api-gateway-stage';
import { resourceName } from '@hookrelay/definitions';
import { Construct } from 'constructs';
import { allowApiInvoke, deployApiStage, INGEST_ACCESS_LOG_FORMAT } from './api-stage.js';
import type { ServiceFunction } from './service-function.js';

/**
 * The public ingest REST API: `POST /in/{token}` only, a Lambda proxy to the ingestion
 * function. Every media type is binary, so the body reaches the function in base64, byte for
 * byte as the provider sent it (a text body would be re-encoded and break signatures). The
 * gateway validates what every request must carry (the token); each provider's headers are
 * the function's to check.
 */
export class InboundApi extends Construct {
  readonly name: string;
  readonly restApi: ApiGatewayRestApi;
  readonly stage: ApiGatewayStage;

  constructor(
    scope: Construct,
    id: string,
    props: {
      readonly stage: string;
      readonly handler: ServiceFunction;
      /** The public route's own ceiling, apart from the tenant API's (`StageSettings.ingestThrottle`). */
      readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
      readonly logRetentionDays: number;
    },
  ) {
    super(scope, id);
    this.name = resourceName('ingest', props.stage);
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
}
