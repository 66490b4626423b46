import { DynamodbTable } from '@cdktn/provider-aws/lib/dynamodb-table';
import { SqsQueue } from '@cdktn/provider-aws/lib/sqs-queue';
import { queueNameOf, queues, resourceName, stageQueueList, type tableList } from '@hookrelay/definitions';
import { createTableInput } from '@hookrelay/local';
import { describe, expect, it } from '@jest/globals';
import { stageSettings } from '../src/stage.js';
import { deployedTables } from '../src/stateful-stack.js';
import { findResource, synthPlatform } from './support/synth.js';

/*
 * The local platform creates its tables with `createTableInput` and its queues from `queues`;
 * infra/ must describe the very same tables and queues. Both sides are put in one neutral
 * shape and compared whole, so any difference (a key, an attribute type, an index, a
 * projection, a TTL attribute, a queue setting) fails here.
 */

interface TableShape {
  name: string | undefined;
  billing: string | undefined;
  keys: { attribute: string; type: string }[];
  attributes: { name: string; type: string }[];
  indexes: {
    name: string;
    keys: { attribute: string; type: string }[];
    projection: string;
    nonKeyAttributes: string[];
  }[];
  ttl: string | undefined;
}

const byName = <T extends { name: string }>(items: T[]): T[] =>
  [...items].sort((a, b) => a.name.localeCompare(b.name));
const byAttribute = <T extends { attribute: string }>(items: T[]): T[] =>
  [...items].sort((a, b) => a.attribute.localeCompare(b.attribute));

const localShape = (table: (typeof tableList)[number], stage: string): TableShape => {
  const input = createTableInput(table, stage);
  return {
    name: input.TableName,
    billing: input.BillingMode,
    keys: byAttribute(
      (input.KeySchema ?? []).map((k) => ({ attribute: k.AttributeName ?? '', type: k.KeyType ?? '' })),
    ),
    attributes: byName(
      (input.AttributeDefinitions ?? []).map((a) => ({
        name: a.AttributeName ?? '',
        type: a.AttributeType ?? '',
      })),
    ),
    indexes: byName(
      (input.GlobalSecondaryIndexes ?? []).map((index) => ({
        name: index.IndexName ?? '',
        keys: byAttribute(
          (index.KeySchema ?? []).map((k) => ({ attribute: k.AttributeName ?? '', type: k.KeyType ?? '' })),
        ),
        projection: index.Projection?.ProjectionType ?? '',
        nonKeyAttributes: [...(index.Projection?.NonKeyAttributes ?? [])],
      })),
    ),
    // The local platform turns TTL on right after CreateTable, from the same definition.
    ttl: table.ttlAttribute,
  };
};

interface SynthesizedIndex {
  name: string;
  hash_key: string;
  range_key?: string;
  projection_type: string;
  non_key_attributes?: string[];
}

const keySchema = (hash: unknown, range: unknown) =>
  byAttribute([
    { attribute: String(hash), type: 'HASH' },
    ...(range === undefined ? [] : [{ attribute: String(range), type: 'RANGE' }]),
  ]);

const synthesizedShape = (resource: Record<string, unknown>): TableShape => {
  const ttl = resource.ttl as { attribute_name: string; enabled: boolean } | undefined;
  return {
    name: String(resource.name),
    billing: String(resource.billing_mode),
    keys: keySchema(resource.hash_key, resource.range_key),
    attributes: byName(resource.attribute as { name: string; type: string }[]),
    indexes: byName(
      ((resource.global_secondary_index ?? []) as SynthesizedIndex[]).map((index) => ({
        name: index.name,
        keys: keySchema(index.hash_key, index.range_key),
        projection: index.projection_type,
        nonKeyAttributes: [...(index.non_key_attributes ?? [])],
      })),
    ),
    ttl: ttl?.enabled ? ttl.attribute_name : undefined,
  };
};

describe.each(['dev', 'prod'])('stage %s: infra/ and the local platform agree', (stage) => {
  const { stateful } = synthPlatform(stage);

  // The receiver's state table exists only where the receiver is deployed (not in prod).
  it.each(deployedTables(stageSettings(stage).deployReceiver).map((t) => [t.baseName, t] as const))(
    'table %s',
    (_, table) => {
      const synthesized = findResource(stateful, DynamodbTable.tfResourceType, {
        name: resourceName(table.baseName, stage),
      });
      expect(synthesizedShape(synthesized)).toEqual(localShape(table, stage));
    },
  );

  // The queues the stage has: with one delivery lane (dev), no slow queue.
  it.each(stageQueueList(stageSettings(stage).deliveryLanes).map((q) => [q.baseName, q] as const))(
    'queue %s',
    (_, queue) => {
      const synthesized = findResource(stateful, SqsQueue.tfResourceType, {
        name: queueNameOf(queue, stage),
      });
      expect({
        visibility: synthesized.visibility_timeout_seconds,
        retention: synthesized.message_retention_seconds,
        wait: synthesized.receive_wait_time_seconds,
        fifo: synthesized.fifo_queue ?? false,
      }).toEqual({
        visibility: queue.visibilityTimeoutSeconds,
        retention: queue.messageRetentionSeconds,
        wait: queue.receiveWaitTimeSeconds,
        fifo: queue.fifo ?? false,
      });
      const redrive = synthesized.redrive_policy
        ? (JSON.parse(String(synthesized.redrive_policy)) as {
            deadLetterTargetArn: string;
            maxReceiveCount: number;
          })
        : undefined;
      if (queue.redrive) {
        expect(redrive?.maxReceiveCount).toBe(queue.redrive.maxReceiveCount);
        expect(redrive?.deadLetterTargetArn).toBe(
          `\${aws_sqs_queue.queue-${queue.redrive.deadLetterQueue}.arn}`,
        );
        expect(queues[queue.redrive.deadLetterQueue]).toBeDefined();
      } else {
        expect(redrive).toBeUndefined();
      }
    },
  );
});
