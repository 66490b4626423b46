import { DynamodbTable } from '@cdktn/provider-aws/lib/dynamodb-table';
import { SqsQueue } from '@cdktn/provider-aws/lib/sqs-queue';
import { SqsQueueRedriveAllowPolicy } from '@cdktn/provider-aws/lib/sqs-queue-redrive-allow-policy';
import {
  lanes,
  type QueueDefinition,
  queueList,
  queueNameOf,
  resourceName,
  stageQueueList,
  type TableDefinition,
  tableList,
  WORKER_TIMEOUT_SECONDS,
} from '@hookrelay/definitions';
import { TerraformOutput } from 'cdktn';
import type { Construct } from 'constructs';
import { HookrelayStack, type HookrelayStackProps } from './hookrelay-stack.js';
import { InboundResources, keptWhere } from './inbound-resources.js';

/** The fewest receives before SQS gives up on a message: fewer would dead-letter on a blip. */
export const MIN_MAX_RECEIVE_COUNT = 5;

/** The tables a stage has: the reference receiver's own only where the receiver is deployed. */
export const deployedTables = (deployReceiver: boolean): readonly TableDefinition[] =>
  tableList.filter((table) => table.id !== 'receiver' || deployReceiver);

export interface StatefulStackProps extends HookrelayStackProps {
  /** Whether the reference receiver is part of the stage (its state table is then created). */
  readonly deployReceiver: boolean;
}

/**
 * What outlives a deploy: the DynamoDB tables and the SQS queues. Both are generated from
 * `@hookrelay/definitions`, the module the local platform creates its tables and queues from,
 * so a key, an index or a redrive policy cannot differ between `make dev` and AWS.
 */
export class StatefulStack extends HookrelayStack {
  readonly tables = new Map<TableDefinition['id'], DynamodbTable>();
  readonly queues = new Map<QueueDefinition['id'], SqsQueue>();
  readonly inbound: InboundResources;

  constructor(scope: Construct, props: StatefulStackProps) {
    super(scope, 'stateful', props);
    for (const table of deployedTables(props.deployReceiver)) this.tables.set(table.id, this.table(table));
    // With one delivery lane, no slow queue: its messages are the main queue's.
    for (const queue of stageQueueList(this.settings.deliveryLanes))
      this.queues.set(queue.id, this.queue(queue));
    this.redriveAllowPolicies();
    this.inbound = new InboundResources(this, 'inbound', {
      stage: this.stage,
      region: this.region,
      preventDestroy: this.settings.deletionProtection,
      recordRetentionDays: this.settings.dataRetentionDays,
      encryption: this.settings.archiveEncryption,
    });
  }

  /**
   * Only the queues that redrive to a DLQ may use it (the delivery lanes share one); a
   * separate resource because the DLQ exists before its sources.
   */
  private redriveAllowPolicies(): void {
    const sources = new Map<QueueDefinition['id'], string[]>();
    for (const queue of stageQueueList(this.settings.deliveryLanes)) {
      const source = this.queues.get(queue.id);
      if (!queue.redrive || !source) continue;
      sources.set(queue.redrive.deadLetterQueue, [
        ...(sources.get(queue.redrive.deadLetterQueue) ?? []),
        source.arn,
      ]);
    }
    for (const [id, sourceQueueArns] of sources) {
      const deadLetter = this.queues.get(id);
      if (!deadLetter) continue;
      new SqsQueueRedriveAllowPolicy(this, `queue-${id}-redrive-allow`, {
        queueUrl: deadLetter.url,
        redriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns }),
      });
    }
  }

  /** `prevent_destroy` where the stage protects its data (`deletionProtection`). */
  private kept() {
    return keptWhere(this.settings.deletionProtection);
  }

  private table(table: TableDefinition): DynamodbTable {
    const name = resourceName(table.baseName, this.stage);
    const resource = new DynamodbTable(this, `table-${table.id}`, {
      name,
      // On-demand, as the local platform creates them: traffic is bursty and per tenant, and
      // there is no capacity to tune or to run out of at 3 a.m.
      billingMode: 'PAY_PER_REQUEST',
      hashKey: table.partitionKey,
      ...(table.sortKey ? { rangeKey: table.sortKey } : {}),
      attribute: Object.entries(table.attributes).map(([attributeName, type]) => ({
        name: attributeName,
        type,
      })),
      ...(table.indexes.length > 0
        ? {
            globalSecondaryIndex: table.indexes.map((index) => ({
              name: index.name,
              hashKey: index.partitionKey,
              ...(index.sortKey ? { rangeKey: index.sortKey } : {}),
              ...(typeof index.projection === 'string'
                ? { projectionType: index.projection }
                : { projectionType: 'INCLUDE', nonKeyAttributes: [...index.projection] }),
            })),
          }
        : {}),
      ...(table.ttlAttribute ? { ttl: { attributeName: table.ttlAttribute, enabled: true } } : {}),
      // Restore to any second of the last 35 days: the answer to a bad deploy or a bad script.
      pointInTimeRecovery: { enabled: true },
      // KMS encryption with the AWS managed key (aws/dynamodb): encrypted at rest with an
      // auditable key, and no key policy the functions' roles would need grants on.
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: this.settings.deletionProtection,
      ...this.kept(),
    });
    new TerraformOutput(this, `${table.id}-table-name`, { value: resource.name });
    return resource;
  }

  private queue(queue: QueueDefinition): SqsQueue {
    const redrive = queue.redrive;
    let redrivePolicy: string | undefined;
    if (redrive) {
      const deadLetter = this.queues.get(redrive.deadLetterQueue);
      const target = queueList.find((q) => q.id === redrive.deadLetterQueue);
      if (!deadLetter || !target) {
        throw new Error(`${queue.baseName} redrives to ${redrive.deadLetterQueue}, which must come first.`);
      }
      if (redrive.maxReceiveCount < MIN_MAX_RECEIVE_COUNT) {
        throw new Error(`${queue.baseName}: maxReceiveCount must be at least ${MIN_MAX_RECEIVE_COUNT}.`);
      }
      // A dead letter keeps its original enqueue time, so a DLQ that kept messages no longer
      // than the source would drop the oldest ones as soon as they arrive.
      if (target.messageRetentionSeconds <= queue.messageRetentionSeconds) {
        throw new Error(`${target.baseName} must keep messages longer than ${queue.baseName}.`);
      }
      redrivePolicy = JSON.stringify({
        deadLetterTargetArn: deadLetter.arn,
        maxReceiveCount: redrive.maxReceiveCount,
      });
    }
    const consumedByWorker = Object.values(lanes).some((lane) => lane.queue === queue.id);
    if (consumedByWorker && queue.visibilityTimeoutSeconds < 6 * WORKER_TIMEOUT_SECONDS) {
      // AWS's advice for Lambda event sources: six times the function timeout, so that a
      // batch retried by the poller is not visible again while the first try still runs.
      throw new Error(`${queue.baseName}: visibility timeout must be at least 6x the worker timeout.`);
    }

    const resource = new SqsQueue(this, `queue-${queue.id}`, {
      name: queueNameOf(queue, this.stage),
      // A FIFO queue: producers give every message its deduplication id. High throughput mode
      // (deduplication and the throughput limit per message group) lifts the queue-wide 300
      // calls a second: a delivery's message always has the same group, so deduplicating
      // within the group is the same as across the queue.
      ...(queue.fifo
        ? {
            fifoQueue: true,
            contentBasedDeduplication: false,
            deduplicationScope: 'messageGroup',
            fifoThroughputLimit: 'perMessageGroupId',
          }
        : {}),
      visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
      messageRetentionSeconds: queue.messageRetentionSeconds,
      receiveWaitTimeSeconds: queue.receiveWaitTimeSeconds,
      // SSE with SQS-owned keys: encrypted at rest, and producers need no KMS permissions.
      sqsManagedSseEnabled: true,
      ...(redrivePolicy ? { redrivePolicy } : {}),
      ...this.kept(),
    });

    new TerraformOutput(this, `${queue.id}-queue-url`, { value: resource.url });
    return resource;
  }
}
