export {
  type AwsLocation,
  bucketArn,
  inboundBusArn,
  inboundQueueArn,
  indexArn,
  queueArn,
  tableArn,
} from '@hookrelay/definitions/access';

import type { AwsLocation } from '@hookrelay/definitions/access';

/*
 * The stateless stack finds the stateful resources by the names the definitions give them
 * rather than through Terraform remote state: the two stacks then share no state at all, and
 * the functions can be planned, replaced or destroyed without reading the tables' state.
 */

/** The URL SQS gives a queue of that name (what `GetQueueUrl` answers). */
export const queueUrl = (aws: AwsLocation, queueName: string): string =>
  `https://sqs.${aws.region}.${aws.dnsSuffix}/${aws.accountId}/${queueName}`;

/**
 * The ARN of an SSM parameter given its path (`/hookrelay/prod/admin-api-key`, which may be a
 * Terraform expression): the path's leading slash is the one after `parameter`.
 */
export const parameterArn = (aws: AwsLocation, path: string): string =>
  `arn:${aws.partition}:ssm:${aws.region}:${aws.accountId}:parameter${path}`;
