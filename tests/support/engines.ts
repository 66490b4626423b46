import { createServer } from 'node:net';
import { startDynamoDbLocal } from '@hookrelay/local';
import { startFauxqs } from 'fauxqs';

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

/** One DynamoDB Local and one fauxqs for a whole test run. */
export const startEngines = async () => {
  const ddb = await startDynamoDbLocal({ port: await freePort() });
  const sqs = await startFauxqs({ port: 0, logger: false });
  return {
    dynamodbEndpoint: ddb.endpoint,
    sqsEndpoint: sqs.address,
    stop: async () => {
      await sqs.stop();
      await ddb.stop();
    },
  };
};
