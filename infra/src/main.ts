import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'cdktn';
import { serviceBundleDirs } from './lambda-bundles.js';
import { APP_CONTEXT, buildPlatform } from './platform.js';

/*
 * Synthesizes one stage to infra/cdktf.out (stacks/hookrelay-stateful-<stage> and
 * stacks/hookrelay-stateless-<stage>). Needs no AWS credentials and no network.
 *
 *   STAGE=dev AWS_REGION=eu-west-1 TF_STATE_BUCKET=my-state node --import tsx infra/src/main.ts
 */
const infraDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(infraDir, '..');

const env = (name: string): string | undefined => {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
};

const stage = env('STAGE') ?? 'dev';
const region = env('AWS_REGION') ?? env('AWS_DEFAULT_REGION') ?? 'us-east-1';
// A placeholder keeps `make synth` working before the bucket exists; `make plan` insists on
// a real one (see infra/infra.mk).
const stateBucket = env('TF_STATE_BUCKET') ?? 'hookrelay-terraform-state';
const stateRegion = env('TF_STATE_REGION');

const app = new App({
  outdir: resolve(infraDir, 'cdktf.out'),
  context: { ...APP_CONTEXT },
});

try {
  buildPlatform(app, {
    stage,
    region,
    stateBucket,
    ...(stateRegion ? { stateRegion } : {}),
    bundles: serviceBundleDirs(repoRoot),
  });
  app.synth();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
console.error(`synthesized stage ${stage} (${region}) to ${resolve(infraDir, 'cdktf.out')}`);
