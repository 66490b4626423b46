import { ApiGatewayResource } from '@cdktn/provider-aws/lib/api-gateway-resource';
import type { ApiGatewayRestApi } from '@cdktn/provider-aws/lib/api-gateway-rest-api';
import type { ApiGatewayStage } from '@cdktn/provider-aws/lib/api-gateway-stage';
import { resourceName } from '@hookrelay/definitions';
import { Construct } from 'constructs';
import { type PublicApiProps, proxyMethod, publicRestApi } from './public-rest-api.js';

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

  constructor(scope: Construct, id: string, props: PublicApiProps) {
    super(scope, id);
    this.name = resourceName('receiver', props.stage);
    const api = publicRestApi(this, props, {
      name: this.name,
      description: 'Hookrelay reference webhook receiver',
      routes: (restApi) => {
        const proxy = new ApiGatewayResource(this, 'proxy', {
          restApiId: restApi.id,
          parentId: restApi.rootResourceId,
          pathPart: '{proxy+}',
        });
        return [proxy, ...proxyMethod(this, restApi, proxy, props.handler, { httpMethod: 'ANY' })];
      },
      invoke: { id: 'invoke-receiver', sourcePath: `${props.stage}/*` },
    });
    this.restApi = api.restApi;
    this.stage = api.stage;
  }
}
