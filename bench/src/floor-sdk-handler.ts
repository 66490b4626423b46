import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FUNCTION_ACCESS, PARAMETERS, type ServiceName } from '@hookrelay/definitions/access';

/**
 * The SDK floor of each function: a bare Middy + Powertools Logger handler (the floor) that
 * also builds, at module scope, the same AWS SDK clients the function's handler.ts builds, reads
 * the same SSM parameters at init through Powertools' SSM provider (one `GetParameter` each, as
 * the function does on AWS), and, where the function traces, builds the same Powertools Tracer
 * and wraps its clients with it. Its init is what no handler of ours can go below; the
 * function's own init above it is what our code adds (configuration, stores, validators, routes).
 */
type SdkClient = 'dynamodb' | 'sqs' | 's3' | 'ssm' | 'eventbridge';

/** What each function builds at init, read off services/<function>/src/handler.ts. */
export const FUNCTION_SDK_CLIENTS: Readonly<Record<string, readonly SdkClient[]>> = {
  // DynamoDB (documents, idempotency), SQS (both lanes, inbound), S3 (archive), SSM (secrets).
  api: ['dynamodb', 'sqs', 's3', 'ssm'],
  authorizer: ['dynamodb', 'ssm'],
  worker: ['dynamodb', 'sqs'],
  sweeper: ['dynamodb', 'sqs'],
  'dlq-processor': ['dynamodb', 'sqs'],
  receiver: ['dynamodb', 'ssm'],
  ingest: ['dynamodb', 'sqs', 's3'],
  'inbound-processor': ['dynamodb', 'sqs', 's3', 'eventbridge'],
};

interface ClientSource {
  /** Packages imported, and the workspace package whose node_modules holds them. */
  readonly packages: readonly { readonly name: string; readonly from: string }[];
  readonly imports: string;
  readonly build: string;
}

const CLIENTS: Readonly<Record<SdkClient, ClientSource>> = {
  dynamodb: {
    packages: [
      { name: '@aws-sdk/client-dynamodb', from: 'packages/dynamodb' },
      { name: '@aws-sdk/lib-dynamodb', from: 'packages/dynamodb' },
    ],
    imports:
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
    build: 'DynamoDBDocumentClient.from(new DynamoDBClient({}))',
  },
  sqs: {
    packages: [{ name: '@aws-sdk/client-sqs', from: 'packages/sqs' }],
    imports: "import { SQSClient } from '@aws-sdk/client-sqs';",
    build: 'new SQSClient({})',
  },
  s3: {
    packages: [{ name: '@aws-sdk/client-s3', from: 'packages/inbound-adapters' }],
    imports: "import { S3Client } from '@aws-sdk/client-s3';",
    build: 'new S3Client({})',
  },
  ssm: {
    packages: [{ name: '@aws-lambda-powertools/parameters', from: 'packages/config' }],
    imports: "import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';",
    build: 'new SSMProvider()',
  },
  eventbridge: {
    packages: [{ name: '@aws-sdk/client-eventbridge', from: 'packages/inbound-adapters' }],
    imports: "import { EventBridgeClient } from '@aws-sdk/client-eventbridge';",
    build: 'new EventBridgeClient({})',
  },
};

const FLOOR_PACKAGES = [
  { name: '@aws-lambda-powertools/logger', from: 'bench' },
  { name: '@middy/core', from: 'bench' },
];
const TRACER_PACKAGES = [{ name: '@aws-lambda-powertools/tracer', from: 'services/worker' }];

/** Whether a function's handler builds a Powertools Tracer (and so pays for the X-Ray SDK at init). */
const tracesItself = (root: string, service: string): boolean =>
  /new Tracer\(/.test(readFileSync(join(root, 'services', service, 'src/handler.ts'), 'utf8'));

/** The `node_modules` folder (in pnpm's store) that holds a package a workspace package depends on. */
const nodeModulesOf = (root: string, pkg: { name: string; from: string }): string => {
  const link = join(root, pkg.from, 'node_modules', pkg.name);
  if (!existsSync(link)) throw new Error(`${pkg.name} is not installed in ${pkg.from}: run make setup`);
  const dir = realpathSync(link);
  return pkg.name.startsWith('@') ? dirname(dirname(dir)) : dirname(dir);
};

/**
 * Writes the SDK floor handler of `service` under `dir` and returns its path and the folders
 * its imports resolve from (for esbuild's `nodePaths`).
 *
 * @example
 * writeSdkFloor(process.cwd(), '.bench/floor-bundle/src', 'worker') // { entry, nodePaths }
 */
export const writeSdkFloor = (
  root: string,
  dir: string,
  service: string,
): { entry: string; nodePaths: string[] } => {
  const clients = FUNCTION_SDK_CLIENTS[service];
  if (!clients) throw new Error(`no SDK floor for ${service}: add it to FUNCTION_SDK_CLIENTS`);
  const sources = clients.map((client) => CLIENTS[client]);
  const traced = tracesItself(root, service);
  const parameters = (FUNCTION_ACCESS[service as ServiceName]?.parameters ?? []).map((id) => PARAMETERS[id]);
  // An SDK client the tracer wraps, as the traced functions wrap theirs.
  const built = sources
    .filter((s) => s !== CLIENTS.ssm)
    .map((s) => (traced ? `tracer.captureAWSv3Client(${s.build})` : s.build));
  const text = [
    "import { Logger } from '@aws-lambda-powertools/logger';",
    "import middy from '@middy/core';",
    ...(traced
      ? [
          "import { Tracer } from '@aws-lambda-powertools/tracer';",
          "import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';",
        ]
      : []),
    ...sources.map((s) => s.imports),
    '',
    "const logger = new Logger({ serviceName: 'floor-sdk' });",
    ...(traced ? ["const tracer = new Tracer({ serviceName: 'floor-sdk' });"] : []),
    `export const clients = [${built.join(', ')}];`,
    ...(sources.includes(CLIENTS.ssm)
      ? [
          'const ssm = new SSMProvider();',
          // Each secret the function reads at init, read the same way (nothing if none is named).
          ...parameters.map(
            (variable) =>
              `if (process.env.${variable}) await ssm.get(process.env.${variable}, { decrypt: true, maxAge: 300 });`,
          ),
        ]
      : []),
    '',
    'export const handler = middy(async (event: unknown) => {',
    "  logger.info('event', { event, clients: clients.length });",
    "  return { statusCode: 200, body: '{}' };",
    `})${traced ? '.use(captureLambdaHandler(tracer))' : ''};`,
    '',
  ].join('\n');
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, `${service}.ts`);
  writeFileSync(entry, text);
  const nodePaths = [
    ...new Set(
      [...FLOOR_PACKAGES, ...(traced ? TRACER_PACKAGES : []), ...sources.flatMap((s) => s.packages)].map(
        (p) => nodeModulesOf(root, p),
      ),
    ),
  ];
  return { entry, nodePaths };
};
