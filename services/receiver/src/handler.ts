import { Logger } from '@aws-lambda-powertools/logger';
import { readConfig, required } from '@hookrelay/config';
import { secretFromParameter } from '@hookrelay/config/secrets';
import { ENV } from '@hookrelay/definitions';
import { systemClock } from '@hookrelay/domain';
import { createDocumentClient, DynamoDbReceiverStateStore, DynamoDbSecretStore } from '@hookrelay/dynamodb';
import type { ReceiverDeps } from './receiver.js';
import { createReceiverHandler } from './receiver-handler.js';

const config = readConfig({
  secretsTable: required(ENV.secretsTable),
  receiverTable: required(ENV.receiverTable),
});
const logger = new Logger({ serviceName: 'receiver' });
const db = createDocumentClient();
const deps: ReceiverDeps = {
  secrets: new DynamoDbSecretStore(db, config.secretsTable),
  state: new DynamoDbReceiverStateStore(db, config.receiverTable),
  clock: systemClock,
};
// Only the SSM parameter counts, never a plain ADMIN_API_KEY: cloud stages name the parameter
// and so protect the control routes; the local platform (loopback only) leaves them open.
const controlKey = await secretFromParameter('ADMIN_API_KEY_PARAMETER');

export const handler = createReceiverHandler(deps, logger, controlKey ? { controlKey } : {});
