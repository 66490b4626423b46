import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { make } from './ops-support.js';

/*
 * `make plan` and `make apply` against a stand-in `terraform` on PATH that records each call
 * (the stack folder and the arguments) and, for `plan -out=FILE`, writes FILE. Everything
 * before Terraform is real: the deploy target checks, the bundles, the synth of both stacks.
 */
let work: string;
let out: string;
let log: string;
let bin: string;

const STUB = `#!/bin/bash
dir=.
args=()
for a in "$@"; do
  case "$a" in
    -chdir=*) dir="\${a#-chdir=}" ;;
    *) args+=("$a") ;;
  esac
done
echo "$(basename "$dir") \${args[*]}" >> "$TF_STUB_LOG"
case "\${args[0]}" in
  plan) for a in "\${args[@]}"; do case "$a" in -out=*) echo "plan of $dir" > "$dir/\${a#-out=}" ;; esac; done ;;
  show) echo "Plan: 3 to add, 0 to change, 0 to destroy." ;;
esac
`;

/** Everything a production plan needs; each test leaves out what it is about. */
const prodEnv = (): Record<string, string> => ({
  PATH: `${bin}:${process.env.PATH ?? ''}`,
  TF_STUB_LOG: log,
  INFRA_OUT: out,
  STAGE: 'prod',
  AWS_REGION: 'eu-west-1',
  AWS_DEFAULT_REGION: '',
  TF_STATE_BUCKET: 'acme-tfstate-eu-west-1',
  TF_STATE_REGION: '',
  TF_STATE_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/state',
  TF_VAR_alarm_email: 'oncall@example.com',
  DEPLOY_RECEIVER: '',
  AUTO_APPROVE: '',
});
const calls = (): string[] =>
  existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : [];
const stackDir = (lifecycle: 'stateful' | 'stateless') => join(out, 'stacks', `hookrelay-${lifecycle}-prod`);
const planOf = (lifecycle: 'stateful' | 'stateless') => join(stackDir(lifecycle), 'hookrelay.tfplan');

interface SynthesizedStack {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, unknown>;
}

/** What the "done when" asks of `make synth STAGE=prod`, on the real synthesized JSON. */
const expectProductionReady = (stack: SynthesizedStack) => {
  expect(stack.data?.aws_ssm_parameter).toBeUndefined();
  const functions = Object.values(stack.resource.aws_lambda_function ?? {});
  // Every function but the reference receiver, which prod does not deploy.
  expect(functions).toHaveLength(7);
  for (const fn of functions) {
    const variables = (fn.environment as { variables: Record<string, string> }).variables;
    expect(Object.keys(variables)).not.toEqual(expect.arrayContaining(['ADMIN_API_KEY']));
    expect(Object.keys(variables)).not.toEqual(expect.arrayContaining(['CURSOR_SECRET']));
    expect(Number(fn.reserved_concurrent_executions)).toBeGreaterThan(0);
  }
  // The tenant API (an HTTP API, the default front door) and the public ingest API (REST).
  const apiStages = [
    ...Object.values(stack.resource.aws_api_gateway_stage ?? {}),
    ...Object.values(stack.resource.aws_apigatewayv2_stage ?? {}),
  ];
  expect(apiStages).toHaveLength(2);
  expect(Object.keys(stack.resource.aws_apigatewayv2_stage ?? {})).toHaveLength(1);
  for (const stage of apiStages) {
    expect(stage.access_log_settings).toBeDefined();
  }
  for (const role of Object.values(stack.resource.aws_iam_role ?? {})) {
    expect(String(role.name)).toMatch(/^hookrelay-[a-z-]+-prod-eu-west-1$/);
  }
};

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'hookrelay-infra-targets-'));
  out = join(work, 'cdktf.out');
  log = join(work, 'terraform-calls.log');
  bin = join(work, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'terraform'), STUB);
  chmodSync(join(bin, 'terraform'), 0o755);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('make plan STAGE=prod refuses an incomplete stage before Terraform runs', () => {
  it.each([
    ['TF_STATE_BUCKET', 'TF_STATE_BUCKET is not set: the S3 bucket that keeps Terraform state'],
    ['AWS_REGION', 'Stage prod needs AWS_REGION (the region the stage lives in, e.g. eu-west-1)'],
    ['TF_VAR_alarm_email', 'Stage prod needs TF_VAR_alarm_email (who is told when a production alarm fires)'],
  ])('without %s', async (missing, message) => {
    rmSync(log, { force: true });
    const run = await make(['plan'], { ...prodEnv(), [missing]: '' });
    expect(run.code).not.toBe(0);
    expect(run.err).toContain(message);
    expect(calls()).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });
});

describe('make plan, then make apply', () => {
  it('plan synthesizes both stacks and saves one plan per stack, with its text beside it', async () => {
    rmSync(log, { force: true });
    const run = await make(['plan'], prodEnv());
    expect(run.err).toContain('Review them, then: make apply STAGE=prod');
    expect(run.code).toBe(0);
    expect(calls()).toEqual([
      'hookrelay-stateful-prod init -input=false -reconfigure',
      'hookrelay-stateful-prod plan -input=false -out=hookrelay.tfplan',
      'hookrelay-stateful-prod show -no-color hookrelay.tfplan',
      'hookrelay-stateless-prod init -input=false -reconfigure',
      'hookrelay-stateless-prod plan -input=false -out=hookrelay.tfplan',
      'hookrelay-stateless-prod show -no-color hookrelay.tfplan',
    ]);
    for (const lifecycle of ['stateful', 'stateless'] as const) {
      expect(readFileSync(planOf(lifecycle), 'utf8')).toContain(`hookrelay-${lifecycle}-prod`);
      expect(readFileSync(`${planOf(lifecycle)}.txt`, 'utf8')).toContain('Plan: 3 to add');
    }
    // The synthesized stack is prod's: no receiver, state under the stage and region.
    const stateless = readFileSync(join(stackDir('stateless'), 'cdk.tf.json'), 'utf8');
    expect(stateless).not.toContain('hookrelay-receiver-prod');
    expect(stateless).toContain('hookrelay/prod/eu-west-1/stateless.tfstate');
    expect(stateless).toContain('"kms_key_id": "arn:aws:kms:eu-west-1:111122223333:key/state"');
    expectProductionReady(JSON.parse(stateless) as SynthesizedStack);
    expect(readFileSync(join(stackDir('stateful'), 'cdk.tf.json'), 'utf8')).toContain(
      '"name": "hookrelay-platform-data-prod"',
    );
  });

  it('apply without AUTO_APPROVE asks first, and applies nothing unless told yes', async () => {
    for (const answer of ['', 'no\n', 'y\n']) {
      rmSync(log, { force: true });
      const run = await make(['apply'], prodEnv(), answer);
      expect(run.code).not.toBe(0);
      expect(run.err).toContain('Apply the saved plans of stage prod');
      expect(run.err).toContain('Not applied.');
      expect(calls()).toEqual([]);
      expect(existsSync(planOf('stateful'))).toBe(true);
    }
  });

  it('apply AUTO_APPROVE=1 applies the saved plans, stateful first, without synthesizing or planning again', async () => {
    rmSync(log, { force: true });
    const synthesizedAt = statSync(join(stackDir('stateless'), 'cdk.tf.json')).mtimeMs;
    const run = await make(['apply'], { ...prodEnv(), AUTO_APPROVE: '1' });
    expect(run.err).not.toContain('Apply the saved plans');
    expect(run.code).toBe(0);
    expect(calls()).toEqual([
      'hookrelay-stateful-prod apply -input=false hookrelay.tfplan',
      'hookrelay-stateless-prod apply -input=false hookrelay.tfplan',
    ]);
    expect(statSync(join(stackDir('stateless'), 'cdk.tf.json')).mtimeMs).toBe(synthesizedAt);
    // A plan is applied once.
    expect(existsSync(planOf('stateful'))).toBe(false);
    expect(existsSync(planOf('stateless'))).toBe(false);
  });

  it('apply with no saved plan refuses, even with AUTO_APPROVE=1: it never plans afresh', async () => {
    rmSync(log, { force: true });
    const run = await make(['apply'], { ...prodEnv(), AUTO_APPROVE: '1' });
    expect(run.code).toBe(2);
    expect(run.err).toContain(
      'No saved plan for hookrelay-stateful-prod: run make plan STAGE=prod, review it, then make apply STAGE=prod.',
    );
    expect(calls()).toEqual([]);
  });

  it('apply answered yes applies the plans a new make plan saved', async () => {
    expect((await make(['plan'], prodEnv())).code).toBe(0);
    rmSync(log, { force: true });
    const run = await make(['apply'], prodEnv(), 'yes\n');
    expect(run.code).toBe(0);
    expect(calls()).toEqual([
      'hookrelay-stateful-prod apply -input=false hookrelay.tfplan',
      'hookrelay-stateless-prod apply -input=false hookrelay.tfplan',
    ]);
  });
});
