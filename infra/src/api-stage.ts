import { createHash } from 'node:crypto';
import { ApiGatewayDeployment } from '@cdktn/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayMethodSettings } from '@cdktn/provider-aws/lib/api-gateway-method-settings';
import type { ApiGatewayRestApi } from '@cdktn/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktn/provider-aws/lib/api-gateway-stage';
import { CloudwatchLogGroup } from '@cdktn/provider-aws/lib/cloudwatch-log-group';
import { LambdaPermission } from '@cdktn/provider-aws/lib/lambda-permission';
import { Fn, Lazy, type TerraformResource } from 'cdktn';
import type { Construct } from 'constructs';
import type { ServiceFunction } from './service-function.js';

/** A resource of the REST API that a deployment snapshots. */
export type DeploymentPart = TerraformResource & { readonly id: string };

export interface ApiStageProps {
  readonly restApi: ApiGatewayRestApi;
  /** The API's name; its access log group is named after it. */
  readonly apiName: string;
  readonly stage: string;
  /**
   * Everything a deployment snapshots: resources, methods, integrations, the authorizer,
   * gateway responses. Their configuration decides when the API is deployed again.
   */
  readonly parts: readonly DeploymentPart[];
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetentionDays: number;
  /** The access log line; `ACCESS_LOG_FORMAT` unless the API needs its own. */
  readonly accessLogFormat?: Readonly<Record<string, string>>;
}

/**
 * One JSON line per request, including those the gateway answers by itself (401 without a
 * key, 429, an unknown route) that no function ever sees. No header is logged: the
 * Authorization header carries the caller's key.
 */
export const ACCESS_LOG_FORMAT: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  httpMethod: '$context.httpMethod',
  route: '$context.resourcePath',
  path: '$context.path',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integration.latency',
  integrationStatus: '$context.integration.status',
  tenantId: '$context.authorizer.tenant_id',
  authorizerStatus: '$context.authorizer.status',
  authorizerLatencyMs: '$context.authorizer.latency',
  authorizerError: '$context.authorizer.error',
  errorType: '$context.error.responseType',
  errorMessage: '$context.error.message',
};

/**
 * The digest of the parts' synthesized configuration, computed when the stack is synthesized
 * (after every construct is complete). Any setting of any part (an integration's URI or
 * timeout, the authorizer's identity source, a gateway response's body) changes it.
 */
const configurationDigest = (parts: readonly DeploymentPart[]): string =>
  Lazy.stringValue({
    produce: (context) => {
      const configuration = context.resolve(parts.map((part) => part.toTerraform()));
      return createHash('sha256').update(JSON.stringify(configuration)).digest('hex');
    },
  });

/**
 * Deploys a REST API to a stage named after the platform stage, with X-Ray tracing, metrics,
 * JSON access logs and a stage-wide throttle.
 */
export const deployApiStage = (scope: Construct, props: ApiStageProps): ApiGatewayStage => {
  // A REST API deployment is a snapshot: without a trigger, a changed route, integration or
  // authorizer would stay undeployed. The trigger covers every part's configuration (known at
  // synth) and its id (which changes when Terraform replaces the part).
  const deployment = new ApiGatewayDeployment(scope, 'deployment', {
    restApiId: props.restApi.id,
    triggers: {
      configuration: configurationDigest(props.parts),
      parts: Fn.sha1(Fn.jsonencode(props.parts.map((part) => part.id))),
    },
    dependsOn: [...props.parts],
    // The stage moves to the new deployment before the old one is removed: no gap.
    lifecycle: { createBeforeDestroy: true },
  });

  const accessLogs = new CloudwatchLogGroup(scope, 'access-logs', {
    name: `/aws/apigateway/${props.apiName}/${props.stage}/access`,
    retentionInDays: props.logRetentionDays,
  });

  const stage = new ApiGatewayStage(scope, 'stage', {
    restApiId: props.restApi.id,
    deploymentId: deployment.id,
    stageName: props.stage,
    xrayTracingEnabled: true,
    // Needs the account's API Gateway CloudWatch role, set once per account and region
    // (docs/deploy.md, step 1).
    accessLogSettings: {
      destinationArn: accessLogs.arn,
      format: JSON.stringify(props.accessLogFormat ?? ACCESS_LOG_FORMAT),
    },
  });

  new ApiGatewayMethodSettings(scope, 'stage-settings', {
    restApiId: props.restApi.id,
    stageName: stage.stageName,
    methodPath: '*/*',
    settings: {
      // Per-method ("detailed") metrics would be billed per method and nothing reads them: the
      // alarms and the dashboard use the stage's own metrics (ApiName and Stage), which API
      // Gateway publishes without this.
      metricsEnabled: false,
      throttlingRateLimit: props.throttle.rateLimit,
      throttlingBurstLimit: props.throttle.burstLimit,
      // Execution logs (every step of every request) cost far more than they tell; the access
      // log above has a line per request, and the functions log their own work.
      loggingLevel: 'OFF',
      dataTraceEnabled: false,
    },
  });
  return stage;
};

/**
 * Lets API Gateway invoke a function, from this API only (a REST API's or an HTTP API's
 * execution ARN), and only for `sourcePath` under it.
 */
export const allowApiInvoke = (
  scope: Construct,
  id: string,
  fn: ServiceFunction,
  api: { readonly executionArn: string },
  sourcePath: string,
): LambdaPermission =>
  new LambdaPermission(scope, id, {
    statementId: 'AllowApiGatewayInvoke',
    action: 'lambda:InvokeFunction',
    functionName: fn.function.functionName,
    principal: 'apigateway.amazonaws.com',
    sourceArn: `${api.executionArn}/${sourcePath}`,
  });
