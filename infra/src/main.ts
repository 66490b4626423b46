import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'cdktn';
import { deployTargetFromEnv } from './deploy-target.js';
import { serviceBundleDirs } from './lambda-bundles.js';
import { APP_CONTEXT, buildPlatform } from './platform.js';

/*
 * Synthesizes one stage to infra/cdktf.out (stacks/hookrelay-stateful-<stage> and
 * stacks/hookrelay-stateless-<stage>). Needs no AWS credentials and no network.
 *
 *   STAGE=prod AWS_REGION=eu-west-1 TF_STATE_BUCKET=my-state TF_VAR_alarm_email=oncall@example.com \
 *     node --import tsx infra/src/main.ts
 */
const infraDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(infraDir, '..');

// INFRA_OUT (relative to the repository) lets a run synthesize elsewhere than infra/cdktf.out.
const outdir = process.env.INFRA_OUT
  ? resolve(repoRoot, process.env.INFRA_OUT)
  : resolve(infraDir, 'cdktf.out');

try {
  const target = deployTargetFromEnv(process.env);
  // --check: only validate the deploy target, before anything is built (make synth does it first).
  if (process.argv.includes('--check')) process.exit(0);
  const app = new App({ outdir, context: { ...APP_CONTEXT } });
  buildPlatform(app, { ...target, bundles: serviceBundleDirs(repoRoot) });
  app.synth();
  console.error(
    `synthesized stage ${target.stage} (${target.region}${target.deployReceiver ? ', with the reference receiver' : ''}) to ${outdir}`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
