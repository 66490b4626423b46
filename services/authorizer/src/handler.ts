import { Logger } from '@aws-lambda-powertools/logger';
import { optional, readConfig, required } from '@hookrelay/config';
import { ENV } from '@hookrelay/definitions';
import { createDocumentClient, DynamoDbKeyStore } from '@hookrelay/dynamodb';
import middy from '@middy/core';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { authorize } from './authorize.js';

const config = readConfig({ keysTable: required(ENV.keysTable), adminKey: optional('ADMIN_API_KEY', '') });
const logger = new Logger({ serviceName: 'authorizer' });
const keys = new DynamoDbKeyStore(createDocumentClient(), config.keysTable);

/** Allows every method of the stage, so API Gateway can cache the answer per key for 300 s. */
const stageWildcard = (methodArn: string): string => {
  const [arn = '', stage = '*'] = methodArn.split('/');
  return `${arn}/${stage}/*/*`;
};

const lambdaHandler = async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const principal = await authorize(
    { keys, ...(config.adminKey ? { adminKey: config.adminKey } : {}) },
    event.authorizationToken,
  );
  if (!principal) {
    logger.info('rejected key');
    // API Gateway turns exactly this message into a 401.
    throw new Error('Unauthorized');
  }
  return {
    principalId: principal.tenant_id,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: stageWildcard(event.methodArn) },
      ],
    },
    context: {
      tenant_id: principal.tenant_id,
      scopes: principal.scopes.join(' '),
      plan: principal.plan,
      key_id: principal.key_id,
    },
  };
};

export const handler = middy(lambdaHandler);
