import { Apigatewayv2Api } from '@cdktn/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2Authorizer } from '@cdktn/provider-aws/lib/apigatewayv2-authorizer';
import { Apigatewayv2Integration } from '@cdktn/provider-aws/lib/apigatewayv2-integration';
import { Apigatewayv2Route } from '@cdktn/provider-aws/lib/apigatewayv2-route';
import { Apigatewayv2Stage } from '@cdktn/provider-aws/lib/apigatewayv2-stage';
import { CloudwatchLogGroup } from '@cdktn/provider-aws/lib/cloudwatch-log-group';
import { resourceName } from '@hookrelay/definitions';
import { Construct } from 'constructs';
import { type ApiMetrics, httpApiMetrics } from './api-metrics.js';
import { allowApiInvoke } from './api-stage.js';
import {
  type ApiMappingTarget,
  AUTHORIZER_CACHE_SECONDS,
  type PlatformApiProps,
  pathId,
  type TenantApi,
} from './platform-api.js';
import type { ServiceFunction } from './service-function.js';

/**
 * The HTTP API's access log line: the REST one's fields, with the HTTP API's variables (the
 * route is `$context.routeKey`; an authorizer's context is `$context.authorizer.<key>`). No
 * header is logged: the Authorization header carries the caller's key. Nothing CloudWatch
 * already has (the line's own timestamp) or the HTTP API repeats (its extended request id is its
 * request id; the integration's status is the status unless `integrationError` says otherwise):
 * every byte is paid for once per request, $0.50 per GB ingested.
 */
export const HTTP_ACCESS_LOG_FORMAT: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  httpMethod: '$context.httpMethod',
  route: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integration.latency',
  integrationError: '$context.integrationErrorMessage',
  tenantId: '$context.authorizer.tenant_id',
  authorizerError: '$context.authorizer.error',
  errorMessage: '$context.error.message',
};

/** The payload format both the authorizer and the integration receive (docs/deploy.md). */
const HTTP_API_PAYLOAD_FORMAT = '2.0';

/**
 * The Lambda proxy integration every route of an HTTP API goes through: `handler`, with the
 * payload format 2.0 event.
 */
export const lambdaProxyIntegration = (
  scope: Construct,
  api: Apigatewayv2Api,
  handler: ServiceFunction,
): Apigatewayv2Integration =>
  new Apigatewayv2Integration(scope, 'integration', {
    apiId: api.id,
    integrationType: 'AWS_PROXY',
    integrationUri: handler.function.invokeArn,
    integrationMethod: 'POST',
    payloadFormatVersion: HTTP_API_PAYLOAD_FORMAT,
  });

/**
 * The tenant-facing API (v1) on an API Gateway HTTP API: one route per route of the API's own
 * route table, all to one Lambda proxy integration (payload format 2.0). Routes other than
 * public ones go through a REQUEST authorizer on the Authorization header whose answer (an IAM
 * policy, as the REST API's TOKEN authorizer returns) is cached 300 s per header value. A path
 * the table does not declare never reaches a function: there is no `$default` route.
 */
export class PlatformHttpApi extends Construct implements TenantApi {
  readonly kind = 'http' as const;
  readonly name: string;
  /** The stage's name, the platform stage's (alarms and dashboards name it without a reference). */
  readonly stageName: string;
  readonly httpApi: Apigatewayv2Api;
  readonly stage: Apigatewayv2Stage;
  readonly authorizer: Apigatewayv2Authorizer;
  readonly integration: Apigatewayv2Integration;
  readonly routes: readonly Apigatewayv2Route[];

  constructor(scope: Construct, id: string, props: PlatformApiProps) {
    super(scope, id);
    this.name = resourceName('api', props.stage);
    this.stageName = props.stage;
    this.httpApi = new Apigatewayv2Api(this, 'http-api', {
      name: this.name,
      description: 'Hookrelay REST API v1 (HTTP API)',
      protocolType: 'HTTP',
    });

    this.authorizer = new Apigatewayv2Authorizer(this, 'authorizer', {
      name: props.authorizer.name,
      apiId: this.httpApi.id,
      authorizerType: 'REQUEST',
      authorizerUri: props.authorizer.function.invokeArn,
      authorizerPayloadFormatVersion: HTTP_API_PAYLOAD_FORMAT,
      // The same IAM policy answer the REST API's TOKEN authorizer gives: one authorizer, both doors.
      enableSimpleResponses: false,
      identitySources: ['$request.header.Authorization'],
      authorizerResultTtlInSeconds: AUTHORIZER_CACHE_SECONDS,
    });

    this.integration = lambdaProxyIntegration(this, this.httpApi, props.handler);

    this.routes = props.routes.map(
      (route) =>
        new Apigatewayv2Route(this, `route-${route.method}-${pathId(route.path)}`, {
          apiId: this.httpApi.id,
          routeKey: `${route.method} ${route.path}`,
          target: `integrations/${this.integration.id}`,
          ...(route.auth === 'public'
            ? { authorizationType: 'NONE' }
            : { authorizationType: 'CUSTOM', authorizerId: this.authorizer.id }),
        }),
    );

    this.stage = httpApiStage(this, props, HTTP_ACCESS_LOG_FORMAT);

    allowApiInvoke(this, 'invoke-api', props.handler, this.httpApi, `${props.stage}/*`);
    allowApiInvoke(
      this,
      'invoke-authorizer',
      props.authorizer,
      this.httpApi,
      `authorizers/${this.authorizer.id}`,
    );
  }

  get invokeUrl(): string {
    return this.stage.invokeUrl;
  }

  get metrics(): ApiMetrics {
    return httpApiMetrics(this.httpApi.id, this.stageName);
  }

  get mapping(): ApiMappingTarget {
    return { kind: 'http', apiId: this.httpApi.id, stageName: this.stage.name };
  }
}

/**
 * An HTTP API's stage, auto-deployed (it follows its routes without a deployment resource), with
 * the stage's throttle and a JSON access log in a log group of its own. Both front doors that can
 * be HTTP APIs (the tenant API and the ingest route) make theirs here, as constructs of their own.
 */
export const httpApiStage = (
  api: Construct & { readonly httpApi: Apigatewayv2Api; readonly name: string },
  props: {
    readonly stage: string;
    readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
    readonly logRetentionDays: number;
  },
  accessLogFormat: Readonly<Record<string, string>>,
): Apigatewayv2Stage => {
  const accessLogs = new CloudwatchLogGroup(api, 'access-logs', {
    name: `/aws/apigateway/${api.name}/${props.stage}/access`,
    retentionInDays: props.logRetentionDays,
  });
  return new Apigatewayv2Stage(api, 'stage', {
    apiId: api.httpApi.id,
    name: props.stage,
    autoDeploy: true,
    defaultRouteSettings: {
      throttlingRateLimit: props.throttle.rateLimit,
      throttlingBurstLimit: props.throttle.burstLimit,
      // Per-route metrics would multiply the metrics CloudWatch bills; the stage's suffice.
      detailedMetricsEnabled: false,
    },
    // Needs the account's API Gateway CloudWatch role (docs/deploy.md, step 1).
    accessLogSettings: {
      destinationArn: accessLogs.arn,
      format: JSON.stringify(accessLogFormat),
    },
  });
};
