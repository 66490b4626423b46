import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startFauxqs } from 'fauxqs';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { relaxFauxqsSync } from './fauxqs-sync.js';
import type { PlatformOptions } from './platform-options.js';

/** Whether `port` can be listened on on loopback now. */
const listenable = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * A loopback port free now, drawn below the kernel's ephemeral range (32768 and up on Linux):
 * a port from inside it may be taken as the source port of any outgoing connection the moment
 * it is let go, and a platform restarted on the same ports would then find one in use.
 */
export const freePort = async (): Promise<number> => {
  for (let tries = 0; tries < 50; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await listenable(port)) return port;
  }
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
};

export interface Engines {
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  stop(): Promise<void>;
}

/**
 * DynamoDB Local (in memory) and fauxqs on free loopback ports, shared by everything that
 * starts platforms on its own stages: a test run, a benchmark run.
 */
export const startEngines = async (): Promise<Engines> => {
  const ddb = await startDynamoDbLocal({ port: await freePort() });
  const sqs = await startFauxqs({ port: 0, listenHost: '127.0.0.1', logger: false });
  return {
    dynamodbEndpoint: ddb.endpoint,
    sqsEndpoint: sqs.address,
    stop: async () => {
      await sqs.stop();
      await ddb.stop();
    },
  };
};

export interface PlatformEngines {
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  /** What fauxqs holds in flight on a queue, when this process runs it. */
  readonly orphaned?: (queueName: string) => string[];
}

/**
 * A platform's engines: the endpoints it was given, else DynamoDB Local and fauxqs started
 * here on its ports (keeping their data under `dataDir` when it has one). Each engine started
 * adds its stop to `stops`.
 */
export const startPlatformEngines = async (
  options: Pick<PlatformOptions, 'dynamodbEndpoint' | 'dynamodbPort' | 'sqsEndpoint' | 'sqsPort' | 'dataDir'>,
  log: (entry: Record<string, unknown>) => void,
  stops: (() => Promise<void>)[],
): Promise<PlatformEngines> => {
  let dynamodbEndpoint = options.dynamodbEndpoint;
  if (!dynamodbEndpoint) {
    const ddb = await startDynamoDbLocal({
      port: options.dynamodbPort ?? 8000,
      ...(options.dataDir ? { dataDir: join(options.dataDir, 'dynamodb') } : {}),
      onLog: (line) => log({ service: 'dynamodb-local', message: line }),
    });
    stops.push(() => ddb.stop());
    dynamodbEndpoint = ddb.endpoint;
  }
  if (options.sqsEndpoint) return { dynamodbEndpoint, sqsEndpoint: options.sqsEndpoint };
  const dataDir = options.dataDir ? join(options.dataDir, 'sqs') : undefined;
  if (dataDir) {
    await relaxFauxqsSync();
    mkdirSync(dataDir, { recursive: true });
  }
  const fauxqs = await startFauxqs({
    port: options.sqsPort ?? 4566,
    listenHost: '127.0.0.1',
    logger: false,
    ...(dataDir ? { dataDir } : {}),
  });
  stops.push(() => fauxqs.stop());
  return {
    dynamodbEndpoint,
    sqsEndpoint: fauxqs.address,
    orphaned: (name) => fauxqs.inspectQueue(name)?.messages.inflight.map((m) => m.receiptHandle) ?? [],
  };
};
