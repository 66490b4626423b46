import { createHash } from 'node:crypto';
import { ApiGatewayDeployment } from '@cdktn/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayMethodSettings } from '@cdktn/provider-aws/lib/api-gateway-method-settings';
import type { ApiGatewayRestApi } from '@cdktn/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktn/provider-aws/lib/api-gateway-stage';
import { LambdaPermission } from '@cdktn/provider-aws/lib/lambda-permission';
import { Fn, type ITerraformDependable } from 'cdktn';
import type { Construct } from 'constructs';
import type { ServiceFunction } from './service-function.js';

export interface ApiStageProps {
  readonly restApi: ApiGatewayRestApi;
  readonly stage: string;
  /** Methods, integrations and gateway responses: a deployment snapshots them, so it follows them. */
  readonly parts: readonly (ITerraformDependable & { readonly id: string })[];
  /** A description of the routes; any change to it makes a new deployment. */
  readonly shape: unknown;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
}

/**
 * Deploys a REST API to a stage named after the platform stage, with X-Ray tracing, metrics
 * and a stage-wide throttle.
 */
export const deployApiStage = (scope: Construct, props: ApiStageProps): ApiGatewayStage => {
  // A REST API deployment is a snapshot: without a trigger, a changed route would stay
  // undeployed. The trigger covers the route table (known at synth) and the ids of the parts
  // (which change when one is replaced).
  const shape = createHash('sha256').update(JSON.stringify(props.shape)).digest('hex');
  const deployment = new ApiGatewayDeployment(scope, 'deployment', {
    restApiId: props.restApi.id,
    description: `routes ${shape.slice(0, 12)}`,
    triggers: {
      redeployment: Fn.sha1(Fn.jsonencode([shape, ...props.parts.map((part) => part.id)])),
    },
    dependsOn: [...props.parts],
    // The stage moves to the new deployment before the old one is removed: no gap.
    lifecycle: { createBeforeDestroy: true },
  });

  const stage = new ApiGatewayStage(scope, 'stage', {
    restApiId: props.restApi.id,
    deploymentId: deployment.id,
    stageName: props.stage,
    xrayTracingEnabled: true,
  });

  new ApiGatewayMethodSettings(scope, 'stage-settings', {
    restApiId: props.restApi.id,
    stageName: stage.stageName,
    methodPath: '*/*',
    settings: {
      // Per-method CloudWatch metrics (Count, 4XXError, 5XXError, Latency) for the dashboard.
      metricsEnabled: true,
      throttlingRateLimit: props.throttle.rateLimit,
      throttlingBurstLimit: props.throttle.burstLimit,
      // Execution logs would need the account-wide API Gateway CloudWatch role, which belongs
      // to the account rather than to one stage; the functions log every request themselves.
      loggingLevel: 'OFF',
      dataTraceEnabled: false,
    },
  });
  return stage;
};

/** Lets API Gateway invoke a function, from this API's stage only. */
export const allowApiInvoke = (
  scope: Construct,
  id: string,
  fn: ServiceFunction,
  restApi: ApiGatewayRestApi,
  sourcePath: string,
): LambdaPermission =>
  new LambdaPermission(scope, id, {
    statementId: 'AllowApiGatewayInvoke',
    action: 'lambda:InvokeFunction',
    functionName: fn.function.functionName,
    principal: 'apigateway.amazonaws.com',
    sourceArn: `${restApi.executionArn}/${sourcePath}`,
  });
