import { ApiGatewayIntegration } from '@cdktn/provider-aws/lib/api-gateway-integration';
import { ApiGatewayMethod } from '@cdktn/provider-aws/lib/api-gateway-method';
import { ApiGatewayResource } from '@cdktn/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktn/provider-aws/lib/api-gateway-rest-api';
import type { ApiGatewayStage } from '@cdktn/provider-aws/lib/api-gateway-stage';
import { resourceName } from '@hookrelay/definitions';
import { Construct } from 'constructs';
import { allowApiInvoke, deployApiStage } from './api-stage.js';
import type { ServiceFunction } from './service-function.js';

export interface ReceiverApiProps {
  readonly stage: string;
  readonly handler: ServiceFunction;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetentionDays: number;
}

/**
 * The reference receiver's own REST API: every path and method goes to the receiver function,
 * which routes by itself (`/health`, `/{tenantId}/webhook`, ...). It is public, as a tenant's
 * endpoint is: deliveries prove themselves with their signatures, not with a key; its control
 * routes (`enable`, `disable`, `status`) check the admin key in the function. Deployed only
 * where the stage asks for it (`deployReceiver`).
 */
export class ReceiverApi extends Construct {
  readonly name: string;
  readonly restApi: ApiGatewayRestApi;
  readonly stage: ApiGatewayStage;

  constructor(scope: Construct, id: string, props: ReceiverApiProps) {
    super(scope, id);
    this.name = resourceName('receiver', props.stage);
    this.restApi = new ApiGatewayRestApi(this, 'rest-api', {
      name: this.name,
      description: 'Hookrelay reference webhook receiver',
      endpointConfiguration: { types: ['REGIONAL'] },
    });
    const proxy = new ApiGatewayResource(this, 'proxy', {
      restApiId: this.restApi.id,
      parentId: this.restApi.rootResourceId,
      pathPart: '{proxy+}',
    });
    const method = new ApiGatewayMethod(this, 'method-any', {
      restApiId: this.restApi.id,
      resourceId: proxy.id,
      httpMethod: 'ANY',
      authorization: 'NONE',
    });
    const integration = new ApiGatewayIntegration(this, 'integration-any', {
      restApiId: this.restApi.id,
      resourceId: proxy.id,
      httpMethod: method.httpMethod,
      type: 'AWS_PROXY',
      integrationHttpMethod: 'POST',
      uri: props.handler.function.invokeArn,
    });
    this.stage = deployApiStage(this, {
      restApi: this.restApi,
      apiName: this.name,
      stage: props.stage,
      parts: [proxy, method, integration],
      throttle: props.throttle,
      logRetentionDays: props.logRetentionDays,
    });
    allowApiInvoke(this, 'invoke-receiver', props.handler, this.restApi, `${props.stage}/*`);
  }
}
