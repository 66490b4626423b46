import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from '@jest/globals';
import { type TerraformStack, Testing } from 'cdktn';
import { SERVICES } from '../../src/function-access.js';
import type { BundleDirs } from '../../src/lambda-bundles.js';
import { APP_CONTEXT, apiRoutes, buildPlatform } from '../../src/platform.js';
import {
  type ApiGatewayKind,
  type DeliveryLanes,
  type InboundArchiveMode,
  type MonitoringKind,
  stageSettings,
} from '../../src/stage.js';

/** A synthesized stack: the JSON text (for the cdktn matchers) and its parsed form. */
export interface Synthesized {
  readonly text: string;
  readonly json: TerraformJson;
}

export interface TerraformJson {
  readonly terraform: {
    readonly backend: { readonly s3: Record<string, unknown> };
    readonly required_version: string;
  };
  readonly provider: { readonly aws: readonly Record<string, unknown>[] };
  readonly resource: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
  readonly variable?: Readonly<Record<string, Record<string, unknown>>>;
  readonly output?: Readonly<Record<string, Record<string, unknown>>>;
}

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * Placeholder bundles, one tiny `handler.mjs` per service with fixed content and mode, so the
 * tests never need `pnpm run build` and the asset hashes are the same on every machine.
 */
export const placeholderBundles = (): BundleDirs => {
  const root = mkdtempSync(join(tmpdir(), 'hookrelay-bundles-'));
  temporary.push(root);
  const dirs: Partial<Record<(typeof SERVICES)[number], string>> = {};
  for (const service of SERVICES) {
    const dir = join(root, service);
    mkdirSync(dir);
    const file = join(dir, 'handler.mjs');
    writeFileSync(file, `export const handler = async () => ({ service: '${service}' });\n`);
    chmodSync(file, 0o644);
    dirs[service] = dir;
  }
  return dirs as BundleDirs;
};

export const synthesize = (stack: TerraformStack): Synthesized => {
  // With validations: the same checks `app.synth()` runs (e.g. Terraform version targets).
  const text = Testing.synth(stack, true);
  return { text, json: JSON.parse(text) as TerraformJson };
};

export const REGION = 'eu-west-1';
export const STATE_BUCKET = 'hookrelay-state-test';

/** Both stacks of a stage, built exactly as `main.ts` builds them, not yet synthesized. */
export interface TestPlatformOptions {
  readonly deployReceiver?: boolean;
  /** The tenant API's front door; the stage's setting (http) when absent. */
  readonly apiGateway?: ApiGatewayKind;
  /** Alarms and dashboard; the stage's setting when absent. */
  readonly monitoring?: MonitoringKind;
  /** The delivery lanes; the stage's setting when absent. */
  readonly deliveryLanes?: DeliveryLanes;
  readonly inboundArchive?: InboundArchiveMode;
}

export const buildTestPlatform = (
  stage = 'dev',
  bundles: BundleDirs = placeholderBundles(),
  options: TestPlatformOptions = {},
) => {
  // Testing.app would leave an empty output folder of its own in the temp directory.
  const outdir = mkdtempSync(join(tmpdir(), 'hookrelay-synth-'));
  temporary.push(outdir);
  const app = Testing.app({ outdir, context: { ...APP_CONTEXT } });
  return buildPlatform(app, {
    stage,
    region: REGION,
    stateBucket: STATE_BUCKET,
    bundles,
    routes: apiRoutes(),
    deployReceiver: options.deployReceiver ?? stageSettings(stage).deployReceiver,
    apiGateway: options.apiGateway ?? stageSettings(stage).apiGateway,
    monitoring: options.monitoring ?? stageSettings(stage).monitoring,
    deliveryLanes: options.deliveryLanes ?? stageSettings(stage).deliveryLanes,
    inboundArchive: options.inboundArchive ?? stageSettings(stage).inboundArchive,
  });
};

/** Both stacks of a stage, built exactly as `main.ts` builds them, on placeholder bundles. */
export const synthPlatform = (
  stage = 'dev',
  bundles: BundleDirs = placeholderBundles(),
  options: TestPlatformOptions = {},
) => {
  const { stateful, stateless } = buildTestPlatform(stage, bundles, options);
  return { stateful: synthesize(stateful), stateless: synthesize(stateless) };
};

/** Every resource of a type, keyed by its Terraform name. */
export const resources = (
  stack: Synthesized,
  type: string,
): Readonly<Record<string, Record<string, unknown>>> => stack.json.resource[type] ?? {};

export const resourceList = (stack: Synthesized, type: string): Record<string, unknown>[] =>
  Object.values(resources(stack, type));

/** The one resource of a type whose properties include `match`. */
export const findResource = (
  stack: Synthesized,
  type: string,
  match: Record<string, unknown>,
): Record<string, unknown> => {
  const found = resourceList(stack, type).filter((r) =>
    Object.entries(match).every(([key, value]) => JSON.stringify(r[key]) === JSON.stringify(value)),
  );
  if (found.length !== 1) {
    throw new Error(`Expected one ${type} with ${JSON.stringify(match)}, found ${found.length}.`);
  }
  return found[0] as Record<string, unknown>;
};

/**
 * cdktn's `toHaveResourceWithProperties` (deep, partial), with jest's diff when it fails.
 * `Testing.setupJest()` needs a global `expect`, which ESM test files importing from
 * `@jest/globals` should not rely on, so the matcher is called through its static form.
 */
export const expectResource = (
  stack: Synthesized,
  construct: { readonly tfResourceType: string },
  properties: Record<string, unknown> = {},
): void => {
  if (!Testing.toHaveResourceWithProperties(stack.text, construct.tfResourceType, properties)) {
    expect(resourceList(stack, construct.tfResourceType)).toContainEqual(expect.objectContaining(properties));
  }
  expect(Testing.toHaveResourceWithProperties(stack.text, construct.tfResourceType, properties)).toBe(true);
};

export const expectDataSource = (
  stack: Synthesized,
  construct: { readonly tfResourceType: string },
  properties: Record<string, unknown> = {},
): void => {
  expect(Testing.toHaveDataSourceWithProperties(stack.text, construct.tfResourceType, properties)).toBe(true);
};

/** Terraform's `${...}` references inside a value, for "refers to X" assertions. */
export const text = (value: unknown): string => JSON.stringify(value);
