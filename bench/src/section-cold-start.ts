import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { INBOUND_ENV, inboundEnvironment, stageEnvironment } from '@hookrelay/definitions';
import { PARAMETERS } from '@hookrelay/definitions/access';
import { proxyEvent } from '@hookrelay/local';
import { build, type Options } from 'tsup';
import { coldStartFiles, lambdaBundle } from '../../tsup.lambda.js';
import { writeSdkFloor } from './floor-sdk-handler.js';
import { invoicePaid } from './payload.js';
import { QUICK, runSection, say } from './section.js';
import { median } from './stats.js';

/**
 * Cold start: each Lambda bundle's size, and its module init time (importing the bundle:
 * configuration, clients, validators) in fresh Node processes, against a bare Middy +
 * Powertools Logger handler bundled the same way (the floor) and against its SDK floor: the
 * floor plus the AWS SDK clients that function builds (floor-sdk-handler.ts). Timed with the
 * NODE_OPTIONS the functions get on AWS (--enable-source-maps) and without.
 */

const ROOT = process.cwd();
const RUNS = QUICK ? 10 : 20;
const FLOOR_DIR = join(ROOT, '.bench/floor-bundle');

/** Every chunk of the bundle whose entry is `file`: the code deployed. */
const bundleFiles = (file: string): string[] =>
  readdirSync(dirname(file))
    .filter((f) => f.endsWith('.mjs'))
    .map((f) => join(dirname(file), f));

/**
 * A certificate for 127.0.0.1, made with the machine's `openssl`, that the handlers trust through
 * `NODE_EXTRA_CA_CERTS` (as Lambda's Node runtime sets it, to its own CA bundle).
 */
const loopbackCertificate = (dir: string): { cert: string; key: string; file: string } => {
  mkdirSync(dir, { recursive: true });
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { cwd: dir, stdio: 'pipe' },
  );
  const file = join(dir, 'cert.pem');
  return { cert: readFileSync(file, 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8'), file };
};

/**
 * A stand-in for SSM Parameter Store on loopback: answers `GetParameter` (the JSON protocol the
 * SDK speaks) with a SecureString of the name asked for, so a function's and its floor's init
 * both make the one call a cold start makes on AWS. Over https, as SSM is: an http endpoint
 * would have the SDK `import('node:http')` for the call, and with it Node's bundled undici
 * (20–35 ms of every init that reads a secret, function and floor alike), which on AWS it never
 * loads; over https both pay the TLS handshake instead, as they do on AWS.
 */
const startParameterStore = async (): Promise<{
  url: string;
  caFile: string;
  close: () => Promise<void>;
}> => {
  const tls = loopbackCertificate(join(FLOOR_DIR, 'tls'));
  const server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { Name } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { Name?: string };
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({
          Parameter: {
            Name,
            Type: 'SecureString',
            Value: `bench-secret-${Name}-0123456789abcdef`,
            Version: 1,
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    caFile: tls.file,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};

let parameterStoreUrl = '';
let parameterStoreCa = '';

/** What the handlers read at import: table names, queue URLs, secrets, as a cloud stage has them. */
const handlerEnv = (): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'us-east-1',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  STAGE: 'bench',
  ...stageEnvironment('bench', (name) => `https://sqs.us-east-1.amazonaws.com/000000000000/${name}`),
  ...inboundEnvironment(
    'bench',
    (name) => `https://sqs.us-east-1.amazonaws.com/000000000000/${name}`,
    'hookrelay-inbound-archive-bench',
  ),
  [INBOUND_ENV.ingestBaseUrl]: 'https://ingest.example.com/bench',
  // As a cloud stage: the parameters' names, read at init through SSM (the stand-in above).
  [PARAMETERS.cursorSecret]: '/hookrelay/bench/cursor-secret',
  [PARAMETERS.adminApiKey]: '/hookrelay/bench/admin-api-key',
  AWS_ENDPOINT_URL_SSM: parameterStoreUrl,
  NODE_EXTRA_CA_CERTS: parameterStoreCa,
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench-secret',
  AWS_SESSION_TOKEN: 'bench-token',
  RETENTION_DAYS: '30',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  HTTPS_ONLY: 'true',
  DESTINATION_ALLOWLIST: '',
  DELIVERY_TIMEOUT_MS: '10000',
});

const initMs = (file: string, nodeOptions: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const url = JSON.stringify(pathToFileURL(file).href);
    const code = `const t = performance.now(); await import(${url}); process.stdout.write(String(performance.now() - t)); process.exit(0);`;
    execFile(
      process.execPath,
      ['--input-type=module', '-e', code],
      { env: { ...handlerEnv(), NODE_OPTIONS: nodeOptions }, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`importing ${file} failed: ${stderr || error.message}`));
        resolve(Number(stdout));
      },
    );
  });

/**
 * The api's first request after its import: a `POST /v1/events` as a tenant sends it, through
 * validation, its route group (loaded on that request), the use-case, the stores and the SDK
 * up to the connection, which is refused (the endpoint is a closed loopback port: no AWS here).
 * What it times is the code a cold request loads and compiles beyond the init.
 */
const firstRequestMs = (file: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const url = JSON.stringify(pathToFileURL(file).href);
    const event = proxyEvent({
      method: 'POST',
      resource: '/v1/events',
      path: '/v1/events',
      headers: [['content-type', 'application/json']],
      body: JSON.stringify(invoicePaid(1)),
      authorizer: { tenant_id: 'acme', scopes: 'tenant', plan: 'free', key_id: 'key_cold' },
      requestId: 'cold-1',
    });
    const code = [
      `const { handler } = await import(${url});`,
      `const event = ${JSON.stringify(event)};`,
      "const context = { awsRequestId: 'cold-1', functionName: 'bench', getRemainingTimeInMillis: () => 29000 };",
      'const t = performance.now();',
      'const response = await handler(event, context);',
      'process.stdout.write(JSON.stringify({ ms: performance.now() - t, status: response.statusCode }));',
      'process.exit(0);',
    ].join('\n');
    const env = {
      ...handlerEnv(),
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_ACCESS_KEY_ID: 'AKIDBENCH',
      AWS_SECRET_ACCESS_KEY: 'bench-secret',
      AWS_SESSION_TOKEN: 'bench-token',
      // https, as on AWS: an http endpoint would have the SDK load node:http, which AWS never does.
      AWS_ENDPOINT_URL: 'https://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
    };
    execFile(
      process.execPath,
      ['--input-type=module', '-e', code],
      { env, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`a first request to ${file} failed: ${stderr || error.message}`));
        const { ms, status } = JSON.parse(stdout) as { ms: number; status: number };
        // The store's call is refused: a 500 is this run's answer. Anything else did not get that far.
        if (status !== 500)
          return reject(new Error(`a first request to ${file} answered ${status}, not 500`));
        resolve(ms);
      },
    );
  });

/** Bundles a floor handler exactly as tsup.lambda.ts bundles our functions, into .bench/. */
const buildFloor = async (entry: string, dir: string, nodePaths: readonly string[] = []): Promise<string> => {
  const options = lambdaBundle({
    entry: { handler: entry },
    outDir: join(FLOOR_DIR, dir),
    silent: true,
    ...(nodePaths.length > 0
      ? {
          esbuildOptions: (esbuild) => {
            esbuild.nodePaths = [...nodePaths];
          },
        }
      : {}),
  }) as Options;
  await build({ ...options, config: false });
  return join(FLOOR_DIR, dir, 'handler.mjs');
};

/** The target: a function's init at most this many times its SDK floor's. */
export const SDK_FLOOR_TARGET_RATIO = 1.2;

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
const ms = (value: number) => Math.round(value * 10) / 10;

runSection(async () => {
  const services = readdirSync(join(ROOT, 'services')).filter((s) =>
    existsSync(join(ROOT, 'services', s, 'dist/handler.mjs')),
  );
  if (services.length === 0) throw new Error('no bundles in services/*/dist: run make build first');
  const parameterStore = await startParameterStore();
  parameterStoreUrl = parameterStore.url;
  parameterStoreCa = parameterStore.caFile;
  say('cold start: bundling the floor handlers');
  const floor = await buildFloor(join(ROOT, 'bench/src/floor-handler.ts'), 'bare');
  const sdkFloors: Record<string, string> = {};
  for (const service of services) {
    const { entry, nodePaths } = writeSdkFloor(ROOT, join(FLOOR_DIR, 'src'), service);
    sdkFloors[service] = await buildFloor(entry, `sdk-${service}`, nodePaths);
  }
  const bundles: Record<string, string> = {
    ...Object.fromEntries(services.map((s) => [s, join(ROOT, 'services', s, 'dist/handler.mjs')])),
    floor,
    ...Object.fromEntries(Object.entries(sdkFloors).map(([s, file]) => [`floor_sdk_${s}`, file])),
  };
  const variants = { with_source_maps: '--enable-source-maps', without_source_maps: '' } as const;
  const samples: Record<string, Record<string, number[]>> = {};
  say(`cold start: ${RUNS} fresh processes per bundle and variant`);
  for (let run = 0; run < RUNS; run++) {
    for (const [variant, options] of Object.entries(variants)) {
      for (const [name, file] of Object.entries(bundles)) {
        const value = await initMs(file, options);
        samples[name] ??= {};
        const list = samples[name][variant] ?? [];
        list.push(value);
        samples[name][variant] = list;
      }
    }
  }
  const apiBundle = bundles.api;
  const firstRequest: number[] = [];
  if (apiBundle) {
    say(`cold start: ${RUNS} first requests to the api`);
    for (let run = 0; run < RUNS; run++) firstRequest.push(await firstRequestMs(apiBundle));
  }
  const med = (name: string, variant: string) => median(samples[name]?.[variant] ?? []);
  const floorInit = med('floor', 'with_source_maps');
  const floorInitBare = med('floor', 'without_source_maps');
  const size = (files: Iterable<string>) => [...files].reduce((sum, f) => sum + statSync(f).size, 0);
  // Each file compressed on its own, as the deployment zip does.
  const gzipSize = (files: Iterable<string>) =>
    [...files].reduce((sum, f) => sum + gzipSync(readFileSync(f)).length, 0);
  const result: Record<string, unknown> = {};
  for (const [name, file] of Object.entries(bundles)) {
    if (name.startsWith('floor')) continue;
    const init = med(name, 'with_source_maps');
    const sdkFloorInit = med(`floor_sdk_${name}`, 'with_source_maps');
    const ratioToSdkFloor = Math.round((init / sdkFloorInit) * 100) / 100;
    result[name] = {
      bundle_kb: kb(size(bundleFiles(file))),
      gzip_kb: kb(gzipSize(bundleFiles(file))),
      init_kb: kb(size(coldStartFiles(file))),
      init_ms: ms(init),
      floor_init_ms: ms(floorInit),
      ratio: Math.round((init / floorInit) * 100) / 100,
      sdk_floor_init_ms: ms(sdkFloorInit),
      sdk_floor_init_kb: kb(size(coldStartFiles(sdkFloors[name] ?? file))),
      ratio_to_sdk_floor: ratioToSdkFloor,
      sdk_floor_target_met: ratioToSdkFloor <= SDK_FLOOR_TARGET_RATIO,
      init_ms_without_source_maps: ms(med(name, 'without_source_maps')),
      floor_init_ms_without_source_maps: ms(floorInitBare),
      ...(name === 'api' && firstRequest.length > 0 ? { first_request_ms: ms(median(firstRequest)) } : {}),
    };
  }
  await parameterStore.close();
  return {
    runs: RUNS,
    node: process.version,
    // Functions and floors alike read their SSM parameters at init from a loopback stand-in
    // over https (as on AWS: no node:http), and the traced functions' floors build the same
    // Powertools Tracer.
    secrets: 'ssm-at-init',
    floor: {
      bundle_kb: kb(size(bundleFiles(floor))),
      init_kb: kb(size(coldStartFiles(floor))),
      init_ms: ms(floorInit),
      init_ms_without_source_maps: ms(floorInitBare),
    },
    sdk_floor_target_ratio: SDK_FLOOR_TARGET_RATIO,
    services: result,
  };
});
