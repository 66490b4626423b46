import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  type DeliveryLanes,
  queueNameOf,
  resourceName,
  stageQueueList,
  type TableDefinition,
  tableList,
} from '@hookrelay/definitions';

/** CreateTable input from a shared table definition (on-demand, as infra/ declares it). */
export const createTableInput = (table: TableDefinition, stage: string): CreateTableCommandInput => ({
  TableName: resourceName(table.baseName, stage),
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: Object.entries(table.attributes).map(([AttributeName, AttributeType]) => ({
    AttributeName,
    AttributeType,
  })),
  KeySchema: [
    { AttributeName: table.partitionKey, KeyType: 'HASH' },
    ...(table.sortKey ? [{ AttributeName: table.sortKey, KeyType: 'RANGE' as const }] : []),
  ],
  ...(table.indexes.length > 0
    ? {
        GlobalSecondaryIndexes: table.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }] : []),
          ],
          Projection:
            typeof index.projection === 'string'
              ? { ProjectionType: index.projection }
              : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection] },
        })),
      }
    : {}),
});

/** Creates every table of the stage that does not exist yet (idempotent). */
export const createTables = async (ddb: DynamoDBClient, stage: string): Promise<void> => {
  for (const table of tableList) {
    const input = createTableInput(table, stage);
    try {
      await ddb.send(new CreateTableCommand(input));
      if (table.ttlAttribute) {
        await ddb.send(
          new UpdateTimeToLiveCommand({
            TableName: input.TableName,
            TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
          }),
        );
      }
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await ddb.send(new DescribeTableCommand({ TableName: input.TableName }));
  }
};

/** A queue to create: its name and attributes, and the dead-letter queue (by id) it redrives to. */
interface QueueSpec {
  readonly id: string;
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly redrive?: { readonly deadLetterQueue: string; readonly maxReceiveCount: number };
}

/**
 * Creates each queue in order (idempotent), a dead-letter queue before the queues that redrive
 * to it, and answers each one's URL by id. The emulator names queues sqs.<region>.localhost;
 * the same path on its own address avoids a DNS name that may not resolve here.
 */
export const createQueueSpecs = async (
  sqs: SQSClient,
  endpoint: string,
  specs: readonly QueueSpec[],
): Promise<Record<string, string>> => {
  const urls: Record<string, string> = {};
  const arns: Record<string, string> = {};
  const deadLetters = new Set(specs.flatMap((spec) => (spec.redrive ? [spec.redrive.deadLetterQueue] : [])));
  for (const { id, name, attributes, redrive } of specs) {
    const out = await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          ...attributes,
          ...(redrive
            ? {
                RedrivePolicy: JSON.stringify({
                  deadLetterTargetArn: arns[redrive.deadLetterQueue],
                  maxReceiveCount: redrive.maxReceiveCount,
                }),
              }
            : {}),
        },
      }),
    );
    urls[id] = new URL(new URL(out.QueueUrl ?? '').pathname, endpoint).toString();
    if (deadLetters.has(id)) {
      const attrs = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: urls[id], AttributeNames: ['QueueArn'] }),
      );
      arns[id] = attrs.Attributes?.QueueArn ?? '';
    }
  }
  return urls;
};

/**
 * Creates the stage's queues (DLQ first, then the source queue with its redrive policy); with
 * one delivery lane, no slow queue.
 * `visibilityTimeoutSeconds` overrides a queue's (a test that waits out a crash): the queue
 * is created with it, so that a restart on the same data asks for the same attributes.
 */
export const createQueues = (
  sqs: SQSClient,
  stage: string,
  endpoint: string,
  visibilityTimeoutSeconds: Partial<Record<string, number>> = {},
  deliveryLanes: DeliveryLanes = 2,
): Promise<Record<string, string>> =>
  createQueueSpecs(
    sqs,
    endpoint,
    stageQueueList(deliveryLanes).map((queue) => ({
      id: queue.id,
      name: queueNameOf(queue, stage),
      attributes: {
        VisibilityTimeout: String(visibilityTimeoutSeconds[queue.id] ?? queue.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(queue.messageRetentionSeconds),
        ReceiveMessageWaitTimeSeconds: String(queue.receiveWaitTimeSeconds),
        ...(queue.fifo ? { FifoQueue: 'true' } : {}),
      },
      ...(queue.redrive ? { redrive: queue.redrive } : {}),
    })),
  );
