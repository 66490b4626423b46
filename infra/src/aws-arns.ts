import { type QueueDefinition, resourceName, type TableDefinition } from '@hookrelay/definitions';

/**
 * Where the stateless stack runs. The account and partition are Terraform references
 * (`data.aws_caller_identity`, `data.aws_partition`), resolved at plan time, so synth needs
 * no credentials.
 */
export interface AwsLocation {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly dnsSuffix: string;
}

/*
 * The stateless stack finds the stateful resources by the names the definitions give them
 * rather than through Terraform remote state: the two stacks then share no state at all, and
 * the functions can be planned, replaced or destroyed without reading the tables' state.
 */

export const tableArn = (aws: AwsLocation, table: TableDefinition, stage: string): string =>
  `arn:${aws.partition}:dynamodb:${aws.region}:${aws.accountId}:table/${resourceName(table.baseName, stage)}`;

export const indexArn = (aws: AwsLocation, table: TableDefinition, index: string, stage: string): string => {
  if (!table.indexes.some((i) => i.name === index)) {
    throw new Error(`Table ${table.baseName} has no index ${index}.`);
  }
  return `${tableArn(aws, table, stage)}/index/${index}`;
};

export const queueArn = (aws: AwsLocation, queue: QueueDefinition, stage: string): string =>
  `arn:${aws.partition}:sqs:${aws.region}:${aws.accountId}:${resourceName(queue.baseName, stage)}`;

/** The URL SQS gives a queue of that name (what `GetQueueUrl` answers). */
export const queueUrl = (aws: AwsLocation, queueName: string): string =>
  `https://sqs.${aws.region}.${aws.dnsSuffix}/${aws.accountId}/${queueName}`;

/**
 * The ARN of an SSM parameter given its path (`/hookrelay/prod/admin-api-key`, which may be a
 * Terraform expression): the path's leading slash is the one after `parameter`.
 */
export const parameterArn = (aws: AwsLocation, path: string): string =>
  `arn:${aws.partition}:ssm:${aws.region}:${aws.accountId}:parameter${path}`;
