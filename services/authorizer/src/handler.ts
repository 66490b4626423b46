import { Logger } from '@aws-lambda-powertools/logger';
import { readConfig, required } from '@hookrelay/config';
import { secretFromEnv } from '@hookrelay/config/secrets';
import { ENV } from '@hookrelay/definitions';
import { createDocumentClient, DynamoDbKeyStore, DynamoDbPortalSessionStore } from '@hookrelay/dynamodb';
import middy from '@middy/core';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { authorize } from './authorize.js';
import { type AuthorizerEvent, credentialsOf } from './authorizer-event.js';

const config = readConfig({ keysTable: required(ENV.keysTable) });
const logger = new Logger({ serviceName: 'authorizer' });
// On AWS, ADMIN_API_KEY_PARAMETER names the SSM parameter (read now, then through a 5-minute
// cache, so a rotated key takes over without a deploy); locally ADMIN_API_KEY is the value.
const adminKey = await secretFromEnv('ADMIN_API_KEY');
const db = createDocumentClient();
const keys = new DynamoDbKeyStore(db, config.keysTable);
const sessions = new DynamoDbPortalSessionStore(db, config.keysTable);
const now = () => new Date().toISOString();

/** Allows every method of the stage, so API Gateway can cache the answer per key for 300 s. */
const stageWildcard = (methodArn: string): string => {
  const [arn = '', stage = '*'] = methodArn.split('/');
  return `${arn}/${stage}/*/*`;
};

const lambdaHandler = async (event: AuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const { token, arn } = credentialsOf(event);
  const principal = await authorize(
    { keys, sessions, now, ...(adminKey ? { adminKey: await adminKey.value() } : {}) },
    token,
  );
  if (!principal) {
    logger.info('rejected key');
    // API Gateway (REST and HTTP API alike) turns exactly this message into a 401.
    throw new Error('Unauthorized');
  }
  return {
    principalId: principal.tenant_id,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: stageWildcard(arn) }],
    },
    context: {
      tenant_id: principal.tenant_id,
      scopes: principal.scopes.join(' '),
      plan: principal.plan,
      key_id: principal.key_id,
      ...(principal.capabilities ? { capabilities: principal.capabilities.join(' ') } : {}),
    },
  };
};

export const handler = middy(lambdaHandler);
