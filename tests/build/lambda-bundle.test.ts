import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { build, type Options } from 'tsup';
import { coldStartFiles, lambdaBundle } from '../../tsup.lambda.js';

const ROOT = join(import.meta.dirname, '../..');
const run = promisify(execFile);

/**
 * What a traced function does at init (services/worker/src/handler.ts), bundled as every Lambda
 * is; with an ES import of node:http, as Middy and the delivery sender have.
 */
const ENTRY = `
import { STATUS_CODES } from 'node:http';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { SQSClient } from '@aws-sdk/client-sqs';

export const okText = STATUS_CODES[200];

const tracer = new Tracer({ serviceName: 'bundle-test' });
export const sqs = tracer.captureAWSv3Client(new SQSClient({}));
export const captureV2 = () => tracer.provider.captureAWS({});
`;

describe('the Lambda bundle of a traced function', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookrelay-bundle-'));
  const out = join(dir, 'out');
  const bundle = join(out, 'handler.mjs');
  /** Every file of the bundle: the entry and all its chunks. */
  let text = '';
  /** The files a cold start reads: the entry and the chunks it imports. */
  let coldStart = '';

  beforeAll(async () => {
    writeFileSync(join(dir, 'entry.ts'), ENTRY);
    const options = lambdaBundle({
      entry: { handler: join(dir, 'entry.ts') },
      outDir: join(dir, 'out'),
      silent: true,
      // The packages the worker depends on, as its own imports resolve them.
      esbuildOptions: (esbuild) => {
        esbuild.nodePaths = [join(ROOT, 'services/worker/node_modules')];
      },
    }) as Options;
    await build({ ...options, config: false });
    const files = readdirSync(out).filter((f) => f.endsWith('.mjs'));
    text = files.map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
    coldStart = [...coldStartFiles(bundle)].map((f) => readFileSync(f, 'utf8')).join('\n');
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("carries X-Ray's SDK v3 capture, not its SDK v2 patcher and semver", () => {
    expect(text).toContain('AWS SDK v2 is not in this bundle');
    expect(text).not.toMatch(/Invalid comparator|Invalid Version/);
  });

  it("leaves the SDK's credential chain and nested clients out of what a cold start reads", () => {
    // Reached only through the SDK's import(): the SSO and STS clients, credential_process.
    for (const name of ['SSOOIDCClient', 'STSClient', 'credential_process']) {
      expect(text).toContain(name);
      expect(coldStart).not.toContain(name);
    }
    // What Lambda's own credentials need is there.
    expect(coldStart).toContain('AWS_SESSION_TOKEN');
  });

  it('traces its v3 clients in Lambda, says why when asked to patch SDK v2; no undici, no assert at init', async () => {
    const code = [
      `const { sqs, captureV2, okText } = await import(${JSON.stringify(pathToFileURL(bundle).href)});`,
      'let v2 = "";',
      'try { captureV2(); } catch (error) { v2 = error.message; }',
      'const undici = process.moduleLoadList.some((m) => m.includes("undici"));',
      'const assert = process.moduleLoadList.includes("NativeModule assert");',
      'process.stdout.write(JSON.stringify({ middleware: sqs.middlewareStack.identify(), v2, okText, undici, assert }));',
    ].join('\n');
    const env = {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'us-east-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_LAMBDA_FUNCTION_NAME: 'bundle-test',
      AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    };
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], {
      env,
      timeout: 30_000,
    });
    const seen = JSON.parse(stdout) as {
      middleware: string[];
      v2: string;
      okText: string;
      undici: boolean;
      assert: boolean;
    };
    expect(seen.middleware.some((m) => /XRay/i.test(m))).toBe(true);
    expect(seen.v2).toMatch(/AWS SDK v2 is not in this bundle/);
    // node:http works, read through require: its ES namespace would have loaded Node's undici.
    expect(seen.okText).toBe('OK');
    expect(seen.undici).toBe(false);
    // cls-hooked's checks pass without Node's assert loaded.
    expect(seen.assert).toBe(false);
  });
});

describe("the api's Lambda bundle", () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookrelay-api-bundle-'));
  /** Every file of the bundle: the entry and all its chunks. */
  let text = '';
  /** The files a cold start reads: the entry and the chunks it imports. */
  let coldStart = '';

  beforeAll(async () => {
    const options = lambdaBundle({
      entry: { handler: join(ROOT, 'services/api/src/handler.ts') },
      outDir: dir,
      silent: true,
      esbuildOptions: (esbuild) => {
        esbuild.nodePaths = [join(ROOT, 'services/api/node_modules')];
      },
    }) as Options;
    await build({ ...options, config: false });
    const files = readdirSync(dir).filter((f) => f.endsWith('.mjs'));
    text = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    coldStart = [...coldStartFiles(join(dir, 'handler.mjs'))].map((f) => readFileSync(f, 'utf8')).join('\n');
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves its stores and the delivery sender out of what a cold start reads, for the first call to load', () => {
    // The webhook store's updates, the key and event stores' conditions, the sender's OAuth grant.
    for (const used of [
      'SET lane = :slow',
      'SET slow_seen_at = :now',
      'client_credentials',
      'attribute_not_exists(pk)',
    ]) {
      expect(text).toContain(used);
      expect(coldStart).not.toContain(used);
    }
    // What a cold start does build is there: the SDK clients, the SSM read of its secret.
    for (const built of ['DynamoDBClient', 'SQSClient', 'S3Client', 'GetParameter']) {
      expect(coldStart).toContain(built);
    }
  });
});
