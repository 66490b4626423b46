/** The prefix of every name the platform gives a resource. */
export const SERVICE_PREFIX = 'hookrelay';

/**
 * The name of one of the platform's resources in a stage: tables, queues, functions, alarms.
 * Names such as table names are unique per account and region, so they carry the service and
 * the stage; a second stage or another service in the same account cannot collide with them.
 *
 * @example
 * resourceName('webhook-deliveries', 'prod') // 'hookrelay-webhook-deliveries-prod'
 */
export const resourceName = (baseName: string, stage: string): string =>
  `${SERVICE_PREFIX}-${baseName}-${stage}`;
