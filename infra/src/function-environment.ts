import { ENV, INBOUND_ENV } from '@hookrelay/definitions';
import type { ServiceName } from './function-access.js';

/**
 * The environment variables each function's handler reads (its `readConfig` and secrets), by
 * name. A function is given exactly those of them the stage sets, and nothing else: a table
 * name or a parameter name it never reads stays out of its configuration. A test reads each
 * handler's source and checks that its line here names what it reads.
 */
export const FUNCTION_ENVIRONMENT: Readonly<Record<ServiceName, readonly string[]>> = {
  api: [
    ENV.keysTable,
    ENV.dataTable,
    ENV.secretsTable,
    ENV.credentialsTable,
    ENV.idempotencyTable,
    ENV.deliveryQueueUrl,
    ENV.slowQueueUrl,
    ENV.orderedQueueUrl,
    ENV.inboundTable,
    INBOUND_ENV.bucket,
    INBOUND_ENV.queueUrl,
    INBOUND_ENV.ingestBaseUrl,
    'RETENTION_DAYS',
    'SWEEP_GRACE_MS',
    'DELIVERY_TIMEOUT_MS',
    'HTTPS_ONLY',
    'DESTINATION_ALLOWLIST',
    'S3_FORCE_PATH_STYLE',
    'CURSOR_SECRET',
    'CURSOR_SECRET_PARAMETER',
    'CHALLENGE_RETRY_SCHEDULE',
  ],
  authorizer: [ENV.keysTable, 'ADMIN_API_KEY', 'ADMIN_API_KEY_PARAMETER'],
  worker: [
    ENV.dataTable,
    ENV.secretsTable,
    ENV.credentialsTable,
    ENV.deliveryQueueUrl,
    ENV.slowQueueUrl,
    ENV.deliveryLanes,
    ENV.orderedQueueUrl,
    ENV.dlqUrl,
    'RETENTION_DAYS',
    'SWEEP_GRACE_MS',
    'DELIVERY_TIMEOUT_MS',
    'HTTPS_ONLY',
    'DESTINATION_ALLOWLIST',
    'RETRY_SCHEDULE',
    'MAIN_LANE_BUDGET_MS',
    'SLOW_LANE_AFTER_MS',
    'SLOW_LANE_RECOVER_MS',
    'SLOW_LANE_ENDPOINT_CONCURRENCY',
    'CHALLENGE_RETRY_SCHEDULE',
  ],
  sweeper: [
    ENV.dataTable,
    ENV.deliveryQueueUrl,
    ENV.slowQueueUrl,
    ENV.deliveryLanes,
    'RETENTION_DAYS',
    'SWEEP_GRACE_MS',
  ],
  'dlq-processor': [ENV.dataTable, ENV.deliveryQueueUrl, ENV.dlqUrl, 'RETENTION_DAYS', 'SWEEP_GRACE_MS'],
  receiver: [ENV.secretsTable, ENV.receiverTable, 'ADMIN_API_KEY_PARAMETER'],
  ingest: [
    ENV.inboundTable,
    INBOUND_ENV.bucket,
    INBOUND_ENV.queueUrl,
    INBOUND_ENV.archive,
    'RETENTION_DAYS',
    'S3_FORCE_PATH_STYLE',
  ],
  'inbound-processor': [
    ENV.inboundTable,
    ENV.dataTable,
    ENV.deliveryQueueUrl,
    ENV.slowQueueUrl,
    ENV.orderedQueueUrl,
    INBOUND_ENV.bucket,
    INBOUND_ENV.busName,
    'RETENTION_DAYS',
    'SWEEP_GRACE_MS',
    'S3_FORCE_PATH_STYLE',
  ],
};

/** Read by Node and Powertools in every function, whatever its handler does. */
export const RUNTIME_ENVIRONMENT: Readonly<Record<string, string>> = {
  POWERTOOLS_LOG_LEVEL: 'INFO',
  // Stack traces point at the TypeScript source (the bundles ship their source maps).
  NODE_OPTIONS: '--enable-source-maps',
};

/** Variables that would hold a secret's value: a cloud stage passes the parameter's name instead. */
export const SECRET_VALUE_VARIABLES = ['ADMIN_API_KEY', 'CURSOR_SECRET'] as const;

/**
 * One function's environment: the runtime's variables and, of those it reads, the ones the
 * stage sets. A secret's value can never be among them.
 *
 * @example
 * environmentFor(['DATA_TABLE', 'SWEEP_GRACE_MS'], { DATA_TABLE: 'hookrelay-platform-data-dev', KEYS_TABLE: '...' })
 * // { POWERTOOLS_LOG_LEVEL: 'INFO', NODE_OPTIONS: '...', DATA_TABLE: 'hookrelay-platform-data-dev' }
 */
export const environmentFor = (
  reads: readonly string[],
  stageValues: Readonly<Record<string, string>>,
): Record<string, string> => {
  const environment: Record<string, string> = { ...RUNTIME_ENVIRONMENT };
  for (const name of reads) {
    if ((SECRET_VALUE_VARIABLES as readonly string[]).includes(name)) continue;
    const value = stageValues[name];
    if (value !== undefined) environment[name] = value;
  }
  return environment;
};
