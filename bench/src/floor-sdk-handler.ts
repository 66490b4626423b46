import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';

/**
 * A second, diagnostic floor: the bare handler plus the two AWS SDK clients every one of our
 * functions builds at init, so the report can tell the SDK's share of init from our code's.
 */
const logger = new Logger({ serviceName: 'floor-sdk' });
const ddb = new DynamoDBClient({});
const sqs = new SQSClient({});

export const handler = middy(async (event: { id?: string }) => {
  const item = await ddb.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: event.id ?? '' } } }));
  await sqs.send(new SendMessageCommand({ QueueUrl: 'q', MessageBody: JSON.stringify(item.Item ?? {}) }));
  logger.info('event', { event });
  return { statusCode: 200, body: '{}' };
});
