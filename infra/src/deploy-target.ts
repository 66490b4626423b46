import {
  API_GATEWAY_KINDS,
  type ApiGatewayKind,
  DELIVERY_LANE_COUNTS,
  type DeliveryLanes,
  INBOUND_ARCHIVE_MODES,
  type InboundArchiveMode,
  MONITORING_KINDS,
  type MonitoringKind,
  stageSettings,
} from './stage.js';

/** Where and how one stage is deployed: everything the synth needs besides the code. */
export interface DeployTarget {
  readonly stage: string;
  /** The region every resource of the stage lives in; also part of the state key. */
  readonly region: string;
  /** The S3 bucket that keeps Terraform state (created once per account, see docs/deploy.md). */
  readonly stateBucket: string;
  /** The state bucket's region, when it is not the stage's region. */
  readonly stateRegion?: string;
  /** The KMS key Terraform encrypts the state with (the state bucket's key, docs/deploy.md). */
  readonly stateKmsKeyId?: string;
  /** Whether the reference receiver is deployed (the stage's setting unless DEPLOY_RECEIVER says). */
  readonly deployReceiver: boolean;
  /** The tenant API's front door (the stage's setting unless API_GATEWAY says). */
  readonly apiGateway: ApiGatewayKind;
  /** Alarms and dashboard (the stage's setting unless MONITORING says). */
  readonly monitoring: MonitoringKind;
  /** The delivery lanes, 1 or 2 (the stage's setting unless DELIVERY_LANES says). */
  readonly deliveryLanes: DeliveryLanes;
  /** When inbound bodies are archived (the stage's setting unless INBOUND_ARCHIVE says). */
  readonly inboundArchive: InboundArchiveMode;
}

/** The stage `make synth` and the infra targets use when none is given. */
export const DEFAULT_STAGE = 'dev';
/** The stage with production's guard rails: no reference receiver, a KMS key for its state. */
const PRODUCTION = 'prod';
/** Only the default development stage may leave region and bucket out (synth only: plan insists). */
const DEV_REGION = 'us-east-1';
const DEV_STATE_BUCKET = 'hookrelay-terraform-state';

const value = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
};

const flag = (env: NodeJS.ProcessEnv, name: string): boolean | undefined => {
  const raw = value(env, name)?.toLowerCase();
  if (raw === undefined) return undefined;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new Error(`${name} must be 1 or 0, not "${raw}".`);
};

const apiGatewayKind = (env: NodeJS.ProcessEnv): ApiGatewayKind | undefined => {
  const raw = value(env, 'API_GATEWAY')?.toLowerCase();
  if (raw === undefined) return undefined;
  const kind = API_GATEWAY_KINDS.find((k) => k === raw);
  if (!kind) throw new Error(`API_GATEWAY must be ${API_GATEWAY_KINDS.join(' or ')}, not "${raw}".`);
  return kind;
};

const monitoringKind = (env: NodeJS.ProcessEnv): MonitoringKind | undefined => {
  const raw = value(env, 'MONITORING')?.toLowerCase();
  if (raw === undefined) return undefined;
  const kind = MONITORING_KINDS.find((k) => k === raw);
  if (!kind) throw new Error(`MONITORING must be ${MONITORING_KINDS.join(' or ')}, not "${raw}".`);
  return kind;
};

const deliveryLanes = (env: NodeJS.ProcessEnv): DeliveryLanes | undefined => {
  const raw = value(env, 'DELIVERY_LANES');
  if (raw === undefined) return undefined;
  const count = DELIVERY_LANE_COUNTS.find((n) => String(n) === raw);
  if (!count) throw new Error(`DELIVERY_LANES must be ${DELIVERY_LANE_COUNTS.join(' or ')}, not "${raw}".`);
  return count;
};

const inboundArchive = (env: NodeJS.ProcessEnv): InboundArchiveMode | undefined => {
  const raw = value(env, 'INBOUND_ARCHIVE')?.toLowerCase();
  if (raw === undefined) return undefined;
  const mode = INBOUND_ARCHIVE_MODES.find((m) => m === raw);
  if (!mode) throw new Error(`INBOUND_ARCHIVE must be ${INBOUND_ARCHIVE_MODES.join(' or ')}, not "${raw}".`);
  return mode;
};

/**
 * The deploy target from the synth's environment (what `make synth|plan|apply` pass through):
 * STAGE, AWS_REGION, TF_STATE_BUCKET, TF_STATE_REGION, TF_STATE_KMS_KEY_ID, DEPLOY_RECEIVER, API_GATEWAY, MONITORING,
 * DELIVERY_LANES, INBOUND_ARCHIVE and, for prod,
 * TF_VAR_alarm_email. A stage other than dev refuses to guess its region or state bucket, and
 * prod refuses to exist without a KMS key for its state or someone to tell about its alarms;
 * the error names every missing setting at once. Prod also refuses the reference receiver.
 *
 * @example
 * deployTargetFromEnv({ STAGE: 'prod', AWS_REGION: 'eu-west-1', TF_STATE_BUCKET: 'b', TF_STATE_KMS_KEY_ID: 'arn:...', TF_VAR_alarm_email: 'a@b.c' })
 */
export const deployTargetFromEnv = (env: NodeJS.ProcessEnv): DeployTarget => {
  const stage = value(env, 'STAGE') ?? DEFAULT_STAGE;
  const settings = stageSettings(stage);
  const isDev = stage === DEFAULT_STAGE;
  const region = value(env, 'AWS_REGION') ?? value(env, 'AWS_DEFAULT_REGION');
  const stateBucket = value(env, 'TF_STATE_BUCKET');
  const stateRegion = value(env, 'TF_STATE_REGION');
  const stateKmsKeyId = value(env, 'TF_STATE_KMS_KEY_ID');

  const missing: string[] = [];
  if (!region && !isDev) missing.push('AWS_REGION (the region the stage lives in, e.g. eu-west-1)');
  if (!stateBucket && !isDev) missing.push('TF_STATE_BUCKET (the S3 bucket that keeps Terraform state)');
  // Production state is encrypted with the state bucket's own key, never with S3-managed keys
  // (the bucket's policy refuses them; make state-bucket creates both).
  if (stage === PRODUCTION && !stateKmsKeyId) {
    missing.push(
      'TF_STATE_KMS_KEY_ID (the KMS key the state bucket encrypts with: make state-bucket prints it)',
    );
  }
  if (stage === PRODUCTION && !value(env, 'TF_VAR_alarm_email')) {
    missing.push('TF_VAR_alarm_email (who is told when a production alarm fires)');
  }
  if (missing.length > 0) {
    throw new Error(
      `Stage ${stage} needs ${missing.join(', ')}. See docs/deploy.md; only stage ${DEFAULT_STAGE} has defaults.`,
    );
  }
  const deployReceiver = flag(env, 'DEPLOY_RECEIVER') ?? settings.deployReceiver;
  if (deployReceiver && stage === PRODUCTION) {
    throw new Error(
      `DEPLOY_RECEIVER=1 is refused for stage ${PRODUCTION}: the reference receiver is a public test target that reads every tenant’s signing secrets. Deploy it on another stage (docs/deploy.md).`,
    );
  }
  return {
    stage,
    region: region ?? DEV_REGION,
    stateBucket: stateBucket ?? DEV_STATE_BUCKET,
    ...(stateRegion ? { stateRegion } : {}),
    ...(stateKmsKeyId ? { stateKmsKeyId } : {}),
    deployReceiver,
    apiGateway: apiGatewayKind(env) ?? settings.apiGateway,
    monitoring: monitoringKind(env) ?? settings.monitoring,
    deliveryLanes: deliveryLanes(env) ?? settings.deliveryLanes,
    inboundArchive: inboundArchive(env) ?? settings.inboundArchive,
  };
};
