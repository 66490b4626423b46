import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';

/** The cold-start floor: a bare Middy handler with a Powertools Logger, bundled like our Lambdas. */
const logger = new Logger({ serviceName: 'floor' });

export const handler = middy(async (event: unknown) => {
  logger.info('event', { event });
  return { statusCode: 200, body: '{}' };
});
