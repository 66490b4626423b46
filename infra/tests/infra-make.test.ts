import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { SERVICES } from '../src/function-access.js';

const infraMk = readFileSync(new URL('../infra.mk', import.meta.url), 'utf8');
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `make <args>` in the repository, with no AWS and no Terraform: TERRAFORM and AWS fail if run. */
const make = (...args: string[]) =>
  spawnSync('make', ['--no-print-directory', ...args, 'TERRAFORM=false', 'AWS=false'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, TF_STATE_BUCKET: 'hookrelay-state-test' },
  });

describe('infra.mk', () => {
  it('rebuilds the bundle of every function the stacks deploy', () => {
    const list = /^INFRA_BUNDLES := \$\(foreach service,([^,]+),/m.exec(infraMk)?.[1];
    expect(list?.split(/\s+/).sort()).toEqual([...SERVICES].sort());
  });

  it('refuses to destroy prod before anything is built or run', () => {
    const run = make('destroy', 'STAGE=prod');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('make destroy refuses stage prod');
    expect(run.stdout).not.toContain('terraform');
  });

  it('still destroys other stages: stateless stack, then stateful', () => {
    const run = make('-n', 'destroy', 'STAGE=dev');
    expect(run.status).toBe(0);
    const destroys = run.stdout.split('\n').filter((line) => / destroy -input=false/.test(line));
    expect(destroys).toEqual([
      expect.stringContaining('hookrelay-stateless-dev destroy'),
      expect.stringContaining('hookrelay-stateful-dev destroy'),
    ]);
  });
});

describe('make state-bucket', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookrelay-fake-aws-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * A stand-in for the AWS CLI that records every call, one per line, and answers what the
   * target reads: the account, a new key's ARN; `existing` says whether the key and the bucket
   * are already there.
   */
  const fakeAws = (existing: boolean) => {
    const log = join(dir, `calls-${existing}.log`);
    const script = join(dir, `aws-${existing}`);
    writeFileSync(
      script,
      `#!/usr/bin/env bash
printf '%s\\n' "$(printf '%s' "$*" | tr '\\n' ' ')" >> '${log}'
case "$1 $2" in
  "sts get-caller-identity") echo 111122223333 ;;
  "kms describe-key") ${existing ? "echo 'arn:aws:kms:eu-west-1:111122223333:key/old'" : 'exit 254'} ;;
  "kms create-key") echo 'arn:aws:kms:eu-west-1:111122223333:key/new' ;;
  "s3api head-bucket") ${existing ? 'exit 0' : 'exit 254'} ;;
esac
`,
    );
    chmodSync(script, 0o755);
    const run = spawnSync('make', ['-s', '--no-print-directory', 'state-bucket', `AWS=${script}`], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, AWS_REGION: 'eu-west-1', TF_STATE_BUCKET: '' },
    });
    return { run, calls: readFileSync(log, 'utf8').trim().split('\n') };
  };

  it('creates the key and the bucket: rotated key, versioning, public access block, KMS by default, TLS only', () => {
    const { run, calls } = fakeAws(false);
    expect(run.status).toBe(0);
    const bucket = 'hookrelay-tfstate-111122223333-eu-west-1';
    const key = 'arn:aws:kms:eu-west-1:111122223333:key/new';
    expect(run.stdout).toBe(`export TF_STATE_BUCKET=${bucket}\nexport TF_STATE_KMS_KEY_ID=${key}\n`);
    const call = (prefix: string) => {
      const found = calls.filter((line) => line.startsWith(prefix));
      expect(found).toHaveLength(1);
      return found[0] ?? '';
    };
    expect(call('kms create-alias')).toContain(`--alias-name alias/hookrelay-tfstate --target-key-id ${key}`);
    expect(call('kms enable-key-rotation')).toContain(key);
    expect(call('s3api create-bucket')).toContain(
      `--bucket ${bucket} --create-bucket-configuration LocationConstraint=eu-west-1`,
    );
    expect(call('s3api put-bucket-versioning')).toContain('Status=Enabled');
    expect(call('s3api put-public-access-block')).toContain(
      'BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
    );
    const encryption = JSON.parse(call('s3api put-bucket-encryption').replace(/^.*configuration /, ''));
    expect(encryption).toEqual({
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key },
          BucketKeyEnabled: true,
        },
      ],
    });
    const policy = JSON.parse(call('s3api put-bucket-policy').replace(/^.*--policy /s, ''));
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('reuses a key and a bucket that exist, and applies their settings again', () => {
    const { run, calls } = fakeAws(true);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('export TF_STATE_KMS_KEY_ID=arn:aws:kms:eu-west-1:111122223333:key/old');
    expect(calls.some((line) => line.startsWith('kms create-key'))).toBe(false);
    expect(calls.some((line) => line.startsWith('s3api create-bucket'))).toBe(false);
    for (const step of [
      'put-bucket-versioning',
      'put-public-access-block',
      'put-bucket-encryption',
      'put-bucket-policy',
    ]) {
      expect(calls.some((line) => line.startsWith(`s3api ${step}`))).toBe(true);
    }
  });
});
