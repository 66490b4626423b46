import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { S3Backend, TerraformStack } from 'cdktn';
import type { Construct } from 'constructs';
import { type DeliveryLanes, SERVICE, type StageSettings, stageSettings } from './stage.js';

export interface HookrelayStackProps {
  readonly stage: string;
  /** The region every resource of the stage lives in. */
  readonly region: string;
  /** The S3 bucket that keeps Terraform state (created once per account, see docs/deploy.md). */
  readonly stateBucket: string;
  /** The state bucket's region, when it is not the stage's region. */
  readonly stateRegion?: string;
  /** The KMS key the state is encrypted with; without it, S3-managed keys (SSE-S3). */
  readonly stateKmsKeyId?: string;
  /** The delivery lanes (`DeployTarget.deliveryLanes`); the stage's setting when absent. */
  readonly deliveryLanes?: DeliveryLanes;
}

/** Which half of the platform a stack holds; also the last part of its state key. */
export type Lifecycle = 'stateful' | 'stateless';

/**
 * A stack of one stage: the AWS provider, with the `Environment` and `Service` tags on every
 * resource it creates, and state in S3 under a key of its own per stage and lifecycle.
 */
export class HookrelayStack extends TerraformStack {
  readonly stage: string;
  readonly region: string;
  /** The stage's settings, with what the deploy target overrides for both stacks. */
  readonly settings: StageSettings;

  constructor(scope: Construct, lifecycle: Lifecycle, props: HookrelayStackProps) {
    const settings = {
      ...stageSettings(props.stage),
      ...(props.deliveryLanes ? { deliveryLanes: props.deliveryLanes } : {}),
    };
    super(scope, stackName(lifecycle, props.stage));
    this.stage = props.stage;
    this.region = props.region;
    this.settings = settings;

    new AwsProvider(this, 'aws', {
      region: props.region,
      // default_tags rather than per-resource tags: nothing can be created untagged, and the
      // tags are not repeated (and cannot drift) resource by resource.
      defaultTags: [{ tags: { Environment: props.stage, Service: SERVICE } }],
    });

    new S3Backend(this, {
      bucket: props.stateBucket,
      // The region is part of the key: the same stage in two regions is two separate states.
      key: stateKey(props.stage, props.region, lifecycle),
      region: props.stateRegion ?? props.region,
      encrypt: true,
      ...(props.stateKmsKeyId ? { kmsKeyId: props.stateKmsKeyId } : {}),
      // S3-native locking (a .tflock object beside the state): no DynamoDB lock table to own.
      useLockfile: true,
    });

    // S3 lock files need Terraform 1.10 or later.
    this.addOverride('terraform.required_version', '>= 1.10.0');
  }
}

/** `hookrelay/prod/eu-west-1/stateful.tfstate`: where one stack of a stage keeps its state. */
export const stateKey = (stage: string, region: string, lifecycle: Lifecycle): string =>
  `${SERVICE}/${stage}/${region}/${lifecycle}.tfstate`;

/** `hookrelay-stateful-dev`: the folder under cdktf.out/stacks that Terraform runs in. */
export const stackName = (lifecycle: Lifecycle, stage: string): string => `${SERVICE}-${lifecycle}-${stage}`;
