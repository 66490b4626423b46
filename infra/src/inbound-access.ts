import { fifoQueueName, inboundBus, inboundQueues, resourceName } from '@hookrelay/definitions';
import type { AwsLocation } from './aws-arns.js';
import type { PolicyStatement, ServiceName } from './function-access.js';
import { archiveBucketName } from './inbound-resources.js';

export const archiveArn = (aws: AwsLocation, stage: string): string =>
  `arn:${aws.partition}:s3:::${archiveBucketName(stage, aws.accountId)}`;

export const inboundQueueArn = (aws: AwsLocation, stage: string): string =>
  `arn:${aws.partition}:sqs:${aws.region}:${aws.accountId}:${fifoQueueName(inboundQueues.fifo, stage)}`;

export const inboundBusArn = (aws: AwsLocation, stage: string): string =>
  `arn:${aws.partition}:events:${aws.region}:${aws.accountId}:event-bus/${resourceName(inboundBus.baseName, stage)}`;

/**
 * The inbound path's grants beyond tables (those are in FUNCTION_ACCESS): the archive's
 * objects, the FIFO queue and the bus, each to the one function that calls it that way.
 */
export const inboundStatements = (
  service: ServiceName,
  aws: AwsLocation,
  stage: string,
): PolicyStatement[] => {
  const objects = [`${archiveArn(aws, stage)}/*`];
  const fifo = [inboundQueueArn(aws, stage)];
  switch (service) {
    // Archive, then enqueue on the source's group.
    case 'ingest':
      return [
        { Sid: 'InboundArchiveWrite', Effect: 'Allow', Action: ['s3:PutObject'], Resource: objects },
        { Sid: 'InboundQueueSend', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: fifo },
      ];
    // Read the body back, PutEvents; the event source mapping polls the FIFO queue with this role.
    case 'inbound-processor':
      return [
        { Sid: 'InboundArchiveRead', Effect: 'Allow', Action: ['s3:GetObject'], Resource: objects },
        {
          Sid: 'InboundQueueConsume',
          Effect: 'Allow',
          Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
          Resource: fifo,
        },
        {
          Sid: 'InboundBusPut',
          Effect: 'Allow',
          Action: ['events:PutEvents'],
          Resource: [inboundBusArn(aws, stage)],
        },
      ];
    // `GET /v1/inbound/{id}` reads the body; replay enqueues the request again.
    case 'api':
      return [
        { Sid: 'InboundArchiveRead', Effect: 'Allow', Action: ['s3:GetObject'], Resource: objects },
        { Sid: 'InboundQueueSend', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: fifo },
      ];
    default:
      return [];
  }
};
