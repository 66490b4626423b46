import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
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
