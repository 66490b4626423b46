import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The SDK floor of each function: a bare Middy + Powertools Logger handler (the floor) that
 * also builds, at module scope, the same AWS SDK clients the function's handler.ts builds. Its
 * init is what no handler of ours can go below; the function's own init above it is what our
 * code adds (configuration, stores, validators, routes).
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
  const text = [
    "import { Logger } from '@aws-lambda-powertools/logger';",
    "import middy from '@middy/core';",
    ...sources.map((s) => s.imports),
    '',
    "const logger = new Logger({ serviceName: 'floor-sdk' });",
    `export const clients = [${sources.map((s) => s.build).join(', ')}];`,
    '',
    'export const handler = middy(async (event: unknown) => {',
    "  logger.info('event', { event, clients: clients.length });",
    "  return { statusCode: 200, body: '{}' };",
    '});',
    '',
  ].join('\n');
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, `${service}.ts`);
  writeFileSync(entry, text);
  const nodePaths = [
    ...new Set([...FLOOR_PACKAGES, ...sources.flatMap((s) => s.packages)].map((p) => nodeModulesOf(root, p))),
  ];
  return { entry, nodePaths };
};
