import { describe, expect, it } from '@jest/globals';
import { deployTargetFromEnv } from '../src/deploy-target.js';
import { stateKey } from '../src/hookrelay-stack.js';

const prodEnv = {
  STAGE: 'prod',
  AWS_REGION: 'eu-west-1',
  TF_STATE_BUCKET: 'acme-tfstate',
  TF_STATE_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd',
  TF_VAR_alarm_email: 'oncall@example.com',
};

describe('deployTargetFromEnv', () => {
  it('takes a production stage’s region and state bucket from the environment, without the receiver', () => {
    expect(deployTargetFromEnv(prodEnv)).toEqual({
      stage: 'prod',
      region: 'eu-west-1',
      stateBucket: 'acme-tfstate',
      stateKmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd',
      deployReceiver: false,
      apiGateway: 'http',
      monitoring: 'full',
      deliveryLanes: 2,
      inboundArchive: 'ingest',
    });
  });

  it('refuses prod without a region, a state bucket, the state’s KMS key or an alarm recipient, naming each', () => {
    const { STAGE } = prodEnv;
    expect(() => deployTargetFromEnv({ STAGE })).toThrow(
      'Stage prod needs AWS_REGION (the region the stage lives in, e.g. eu-west-1), TF_STATE_BUCKET (the S3 bucket that keeps Terraform state), TF_STATE_KMS_KEY_ID (the KMS key the state bucket encrypts with: make state-bucket prints it), TF_VAR_alarm_email (who is told when a production alarm fires).',
    );
    expect(() => deployTargetFromEnv({ ...prodEnv, TF_STATE_KMS_KEY_ID: '' })).toThrow(
      /needs TF_STATE_KMS_KEY_ID/,
    );
    expect(() => deployTargetFromEnv({ ...prodEnv, AWS_REGION: ' ' })).toThrow(/needs AWS_REGION/);
    expect(() => deployTargetFromEnv({ ...prodEnv, TF_STATE_BUCKET: '' })).toThrow(/needs TF_STATE_BUCKET/);
    expect(() => deployTargetFromEnv({ ...prodEnv, TF_VAR_alarm_email: '' })).toThrow(
      /needs TF_VAR_alarm_email/,
    );
  });

  it('refuses any other non-dev stage without a region or a state bucket, but not for want of an alarm email', () => {
    expect(() => deployTargetFromEnv({ STAGE: 'staging', AWS_REGION: 'eu-west-1' })).toThrow(
      /^Stage staging needs TF_STATE_BUCKET/,
    );
    expect(deployTargetFromEnv({ STAGE: 'staging', AWS_REGION: 'eu-west-1', TF_STATE_BUCKET: 'b' })).toEqual({
      stage: 'staging',
      region: 'eu-west-1',
      stateBucket: 'b',
      deployReceiver: true,
      apiGateway: 'http',
      monitoring: 'lean',
      deliveryLanes: 1,
      inboundArchive: 'ingest',
    });
  });

  it('lets dev synthesize with defaults (plan still insists on a bucket: infra.mk)', () => {
    expect(deployTargetFromEnv({})).toEqual({
      stage: 'dev',
      region: 'us-east-1',
      stateBucket: 'hookrelay-terraform-state',
      deployReceiver: true,
      apiGateway: 'http',
      monitoring: 'lean',
      deliveryLanes: 1,
      inboundArchive: 'ingest',
    });
    expect(
      deployTargetFromEnv({ AWS_DEFAULT_REGION: 'eu-central-1', TF_STATE_REGION: 'eu-west-1' }),
    ).toMatchObject({
      region: 'eu-central-1',
      stateRegion: 'eu-west-1',
    });
  });

  it('deploys the receiver where the stage asks for it, DEPLOY_RECEIVER overriding the stage’s default', () => {
    const staging = { STAGE: 'staging', AWS_REGION: 'eu-west-1', TF_STATE_BUCKET: 'b' };
    expect(deployTargetFromEnv({ ...staging, DEPLOY_RECEIVER: '0' }).deployReceiver).toBe(false);
    expect(deployTargetFromEnv({ ...staging, DEPLOY_RECEIVER: '1' }).deployReceiver).toBe(true);
    expect(deployTargetFromEnv({ ...prodEnv, DEPLOY_RECEIVER: '0' }).deployReceiver).toBe(false);
    expect(deployTargetFromEnv({ STAGE: 'dev', DEPLOY_RECEIVER: '0' }).deployReceiver).toBe(false);
    expect(() => deployTargetFromEnv({ DEPLOY_RECEIVER: 'maybe' })).toThrow('DEPLOY_RECEIVER must be 1 or 0');
  });

  it('refuses the reference receiver in prod: it is public and reads every tenant’s signing secrets', () => {
    for (const value of ['1', 'true', 'yes']) {
      expect(() => deployTargetFromEnv({ ...prodEnv, DEPLOY_RECEIVER: value })).toThrow(
        'DEPLOY_RECEIVER=1 is refused for stage prod: the reference receiver is a public test target that reads every tenant’s signing secrets. Deploy it on another stage (docs/deploy.md).',
      );
    }
  });

  it('watches production in full and development lean unless MONITORING says', () => {
    expect(deployTargetFromEnv(prodEnv).monitoring).toBe('full');
    expect(deployTargetFromEnv({ STAGE: 'dev' }).monitoring).toBe('lean');
    expect(deployTargetFromEnv({ STAGE: 'dev', MONITORING: 'FULL' }).monitoring).toBe('full');
    expect(() => deployTargetFromEnv({ MONITORING: 'some' })).toThrow('MONITORING must be full or lean');
  });

  it('runs two delivery lanes in production and one elsewhere unless DELIVERY_LANES says', () => {
    expect(deployTargetFromEnv(prodEnv).deliveryLanes).toBe(2);
    expect(deployTargetFromEnv({ STAGE: 'dev' }).deliveryLanes).toBe(1);
    expect(deployTargetFromEnv({ STAGE: 'dev', DELIVERY_LANES: '2' }).deliveryLanes).toBe(2);
    expect(deployTargetFromEnv({ ...prodEnv, DELIVERY_LANES: '1' }).deliveryLanes).toBe(1);
    expect(() => deployTargetFromEnv({ DELIVERY_LANES: '3' })).toThrow(
      'DELIVERY_LANES must be 1 or 2, not "3"',
    );
  });

  it('archives inbound bodies at ingest on every stage unless INBOUND_ARCHIVE asks for batches', () => {
    expect(deployTargetFromEnv(prodEnv).inboundArchive).toBe('ingest');
    expect(deployTargetFromEnv({ STAGE: 'dev' }).inboundArchive).toBe('ingest');
    expect(deployTargetFromEnv({ ...prodEnv, INBOUND_ARCHIVE: 'Batch' }).inboundArchive).toBe('batch');
    expect(() => deployTargetFromEnv({ INBOUND_ARCHIVE: 'later' })).toThrow(
      'INBOUND_ARCHIVE must be ingest or batch, not "later"',
    );
  });

  it('puts the tenant API behind an HTTP API unless API_GATEWAY asks for the REST API', () => {
    expect(deployTargetFromEnv(prodEnv).apiGateway).toBe('http');
    expect(deployTargetFromEnv({ ...prodEnv, API_GATEWAY: 'rest' }).apiGateway).toBe('rest');
    expect(deployTargetFromEnv({ STAGE: 'dev', API_GATEWAY: 'HTTP' }).apiGateway).toBe('http');
    expect(() => deployTargetFromEnv({ API_GATEWAY: 'graphql' })).toThrow('API_GATEWAY must be http or rest');
  });

  it('refuses the local stage and malformed names', () => {
    expect(() => deployTargetFromEnv({ STAGE: 'local' })).toThrow(/embedded platform/);
    expect(() => deployTargetFromEnv({ STAGE: 'Prod' })).toThrow(/not a stage name/);
  });
});

describe('state key', () => {
  it('holds the stage, the region and the lifecycle: one stage in two regions keeps two states', () => {
    expect(stateKey('prod', 'eu-west-1', 'stateless')).toBe('hookrelay/prod/eu-west-1/stateless.tfstate');
    expect(stateKey('prod', 'us-east-1', 'stateless')).not.toBe(stateKey('prod', 'eu-west-1', 'stateless'));
  });
});
