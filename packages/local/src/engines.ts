import { createServer } from 'node:net';
import { startFauxqs } from 'fauxqs';
import { startDynamoDbLocal } from './dynamodb-local.js';

/** A TCP port free on loopback right now. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

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
