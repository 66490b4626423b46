import { CloudwatchEventArchive } from '@cdktn/provider-aws/lib/cloudwatch-event-archive';
import { DynamodbTable } from '@cdktn/provider-aws/lib/dynamodb-table';
import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { S3Bucket } from '@cdktn/provider-aws/lib/s3-bucket';
import { SqsQueue } from '@cdktn/provider-aws/lib/sqs-queue';
import { SqsQueueRedriveAllowPolicy } from '@cdktn/provider-aws/lib/sqs-queue-redrive-allow-policy';
import {
  ORDERED_MAX_RECEIVE_COUNT,
  queues,
  resourceName,
  tableList,
  WORKER_TIMEOUT_SECONDS,
} from '@hookrelay/definitions';
import { describe, expect, it } from '@jest/globals';
import { Testing } from 'cdktn';
import {
  expectResource,
  findResource,
  REGION,
  resourceList,
  STATE_BUCKET,
  synthPlatform,
  text,
} from './support/synth.js';

const { stateful, stateless } = synthPlatform('dev');

describe('stateful stack: DynamoDB tables', () => {
  it('has exactly one table per definition, named hookrelay-{base}-{stage}', () => {
    const names = resourceList(stateful, DynamodbTable.tfResourceType).map((t) => t.name);
    expect(names.sort()).toEqual(tableList.map((t) => `hookrelay-${t.baseName}-dev`).sort());
    const prodNames = resourceList(synthPlatform('prod').stateful, DynamodbTable.tfResourceType).map(
      (t) => t.name,
    );
    expect(prodNames.sort()).toEqual([
      'hookrelay-api-keys-prod',
      'hookrelay-endpoint-credentials-prod',
      'hookrelay-idempotency-prod',
      'hookrelay-inbound-prod',
      'hookrelay-platform-data-prod',
      'hookrelay-webhook-secrets-prod',
    ]);
  });

  it('creates the receiver’s state table only where the receiver is deployed', () => {
    const names = (stack: typeof stateful) =>
      resourceList(stack, DynamodbTable.tfResourceType).map((t) => String(t.name));
    expect(names(stateful)).toContain('hookrelay-receiver-state-dev');
    expect(names(synthPlatform('prod').stateful)).not.toContain('hookrelay-receiver-state-prod');
    expect(names(synthPlatform('dev', undefined, { deployReceiver: false }).stateful)).not.toContain(
      'hookrelay-receiver-state-dev',
    );
    expect(names(synthPlatform('staging', undefined, { deployReceiver: true }).stateful)).toContain(
      'hookrelay-receiver-state-staging',
    );
  });

  it.each(tableList.map((t) => [t.baseName, t] as const))(
    '%s: on-demand, PITR, KMS encryption',
    (_, table) => {
      expectResource(stateful, DynamodbTable, {
        name: resourceName(table.baseName, 'dev'),
        billing_mode: 'PAY_PER_REQUEST',
        hash_key: table.partitionKey,
        point_in_time_recovery: { enabled: true },
        server_side_encryption: { enabled: true },
        deletion_protection_enabled: false,
      });
    },
  );

  it('turns TTL on where the definition names a TTL attribute, and only there', () => {
    for (const table of tableList) {
      const synthesized = findResource(stateful, DynamodbTable.tfResourceType, {
        name: resourceName(table.baseName, 'dev'),
      });
      if (table.ttlAttribute) {
        expect(synthesized.ttl).toEqual({ attribute_name: table.ttlAttribute, enabled: true });
      } else {
        expect(synthesized.ttl).toBeUndefined();
      }
    }
    expectResource(stateful, DynamodbTable, {
      name: 'hookrelay-platform-data-dev',
      ttl: { attribute_name: 'expires_at' },
    });
    expectResource(stateful, DynamodbTable, {
      name: 'hookrelay-idempotency-dev',
      ttl: { attribute_name: 'expiration' },
    });
  });

  it('declares the indexes the data layer queries', () => {
    const data = findResource(stateful, DynamodbTable.tfResourceType, {
      name: 'hookrelay-platform-data-dev',
    });
    const indexes = (data.global_secondary_index as { name: string }[]).map((i) => i.name).sort();
    expect(indexes).toEqual(['events-by-status', 'sweep']);
    expectResource(stateful, DynamodbTable, {
      name: 'hookrelay-api-keys-dev',
      global_secondary_index: [
        {
          name: 'keys-by-tenant',
          hash_key: 'tenant_id',
          range_key: 'created_at',
          projection_type: 'INCLUDE',
          non_key_attributes: ['key_id', 'hint'],
        },
      ],
    });
  });

  it('protects production tables from deletion', () => {
    const prod = synthPlatform('prod').stateful;
    for (const table of resourceList(prod, DynamodbTable.tfResourceType)) {
      expect(table.deletion_protection_enabled).toBe(true);
      expect(String(table.name)).toMatch(/-prod$/);
    }
  });
});

describe('stateful stack: SQS queues', () => {
  const deliveries = findResource(stateful, SqsQueue.tfResourceType, {
    name: 'hookrelay-webhook-deliveries-dev',
  });
  const dlq = findResource(stateful, SqsQueue.tfResourceType, {
    name: 'hookrelay-webhook-deliveries-dlq-dev',
  });
  // Production runs both delivery lanes; dev runs the main lane alone.
  const prod = synthPlatform('prod').stateful;
  const prodQueue = (name: string) => findResource(prod, SqsQueue.tfResourceType, { name });

  it('names the queues hookrelay-{base}-{stage}', () => {
    const prodNames = resourceList(prod, SqsQueue.tfResourceType).map((q) => q.name);
    expect(prodNames.sort()).toEqual([
      'hookrelay-inbound-events-dlq-prod',
      'hookrelay-inbound-generic-events-prod',
      'hookrelay-inbound-github-events-prod',
      'hookrelay-inbound-hmac-events-prod',
      'hookrelay-inbound-shopify-events-prod',
      'hookrelay-inbound-slack-events-prod',
      'hookrelay-inbound-standard-webhooks-events-prod',
      'hookrelay-inbound-stripe-events-prod',
      'hookrelay-inbound-webhooks-dlq-prod.fifo',
      'hookrelay-inbound-webhooks-prod.fifo',
      'hookrelay-webhook-deliveries-dlq-prod',
      'hookrelay-webhook-deliveries-ordered-dlq-prod.fifo',
      'hookrelay-webhook-deliveries-ordered-prod.fifo',
      'hookrelay-webhook-deliveries-prod',
      'hookrelay-webhook-deliveries-slow-prod',
    ]);
  });

  it('creates the two delivery lanes (one in dev) and their DLQ, the ordered line and its DLQ, encrypted', () => {
    // The inbound queues are inbound-stacks.test.ts's.
    const outbound = (stack: typeof stateful) =>
      resourceList(stack, SqsQueue.tfResourceType).filter(
        (q) => !String(q.name).startsWith('hookrelay-inbound-'),
      );
    expect(outbound(prod)).toHaveLength(5);
    expect(
      outbound(stateful)
        .map((q) => String(q.name))
        .sort(),
    ).toEqual([
      'hookrelay-webhook-deliveries-dev',
      'hookrelay-webhook-deliveries-dlq-dev',
      'hookrelay-webhook-deliveries-ordered-dev.fifo',
      'hookrelay-webhook-deliveries-ordered-dlq-dev.fifo',
    ]);
    for (const queue of [...outbound(prod), ...outbound(stateful)])
      expect(queue.sqs_managed_sse_enabled).toBe(true);
    // A development stage asked for both lanes gets the slow queue too.
    expect(outbound(synthPlatform('dev', undefined, { deliveryLanes: 2 }).stateful)).toHaveLength(5);
  });

  it('makes the ordered line a FIFO queue redriving to a FIFO DLQ only after ORDERED_MAX_RECEIVE_COUNT receives', () => {
    const ordered = findResource(stateful, SqsQueue.tfResourceType, {
      name: 'hookrelay-webhook-deliveries-ordered-dev.fifo',
    });
    const orderedDlq = findResource(stateful, SqsQueue.tfResourceType, {
      name: 'hookrelay-webhook-deliveries-ordered-dlq-dev.fifo',
    });
    expect(ordered).toMatchObject({
      fifo_queue: true,
      content_based_deduplication: false,
      deduplication_scope: 'messageGroup',
      fifo_throughput_limit: 'perMessageGroupId',
    });
    expect(orderedDlq).toMatchObject({ fifo_queue: true });
    expect(JSON.parse(String(ordered.redrive_policy))).toEqual({
      deadLetterTargetArn: `\${aws_sqs_queue.queue-orderedDlq.arn}`,
      maxReceiveCount: ORDERED_MAX_RECEIVE_COUNT,
    });
    expect(Number(ordered.visibility_timeout_seconds)).toBeGreaterThanOrEqual(6 * WORKER_TIMEOUT_SECONDS);
  });

  it('gives the slow lane the main lane’s visibility, retention and redrive', () => {
    const slow = prodQueue('hookrelay-webhook-deliveries-slow-prod');
    for (const key of [
      'visibility_timeout_seconds',
      'message_retention_seconds',
      'redrive_policy',
    ] as const) {
      expect(slow[key]).toEqual(prodQueue('hookrelay-webhook-deliveries-prod')[key]);
    }
  });

  it('keeps dead letters longer than the source queue keeps messages', () => {
    expect(Number(dlq.message_retention_seconds)).toBeGreaterThan(
      Number(deliveries.message_retention_seconds),
    );
    expect(dlq.message_retention_seconds).toBe(14 * 24 * 3600);
  });

  it('gives the worker six times its timeout before a message reappears', () => {
    expect(Number(deliveries.visibility_timeout_seconds)).toBeGreaterThanOrEqual(6 * WORKER_TIMEOUT_SECONDS);
  });

  it('redrives to the DLQ with the definition’s maxReceiveCount (at least 5)', () => {
    const policy = JSON.parse(String(deliveries.redrive_policy)) as {
      deadLetterTargetArn: string;
      maxReceiveCount: number;
    };
    expect(policy.maxReceiveCount).toBe(queues.deliveries.redrive?.maxReceiveCount);
    expect(policy.maxReceiveCount).toBeGreaterThanOrEqual(5);
    expect(policy.deadLetterTargetArn).toBe(`\${aws_sqs_queue.queue-dlq.arn}`);
    expect(dlq.redrive_policy).toBeUndefined();
  });

  it('lets only the delivery lanes redrive into the DLQ, and only the ordered line into its own', () => {
    expectResource(stateful, SqsQueueRedriveAllowPolicy, { queue_url: `\${aws_sqs_queue.queue-dlq.url}` });
    const sources = (stack: typeof stateful) =>
      resourceList(stack, SqsQueueRedriveAllowPolicy.tfResourceType).map(
        (allow) => JSON.parse(String(allow.redrive_allow_policy)) as unknown,
      );
    expect(sources(prod)).toEqual([
      {
        redrivePermission: 'byQueue',
        sourceQueueArns: [`\${aws_sqs_queue.queue-deliveries.arn}`, `\${aws_sqs_queue.queue-slow.arn}`],
      },
      { redrivePermission: 'byQueue', sourceQueueArns: [`\${aws_sqs_queue.queue-ordered.arn}`] },
    ]);
    // One lane: no slow queue to name.
    expect(sources(stateful)).toEqual([
      { redrivePermission: 'byQueue', sourceQueueArns: [`\${aws_sqs_queue.queue-deliveries.arn}`] },
      { redrivePermission: 'byQueue', sourceQueueArns: [`\${aws_sqs_queue.queue-ordered.arn}`] },
    ]);
  });
});

describe('stateful stack: nothing that holds data is destroyed in prod', () => {
  const held = [DynamodbTable, SqsQueue, S3Bucket, CloudwatchEventArchive] as const;

  it.each(held.map((type) => [type.tfResourceType, type] as const))(
    'prod: every %s refuses to be destroyed or replaced (prevent_destroy)',
    (_, type) => {
      const prod = synthPlatform('prod').stateful;
      const list = resourceList(prod, type.tfResourceType);
      expect(list.length).toBeGreaterThan(0);
      for (const resource of list) expect(resource.lifecycle).toEqual({ prevent_destroy: true });
    },
  );

  it('dev: can be torn down', () => {
    for (const type of held) {
      for (const resource of resourceList(stateful, type.tfResourceType)) {
        expect(resource.lifecycle).toBeUndefined();
      }
    }
  });
});

describe('both stacks: state, provider and tags', () => {
  it.each([
    ['stateful', stateful],
    ['stateless', stateless],
  ] as const)('%s keeps its state in S3 per stage, with a lock file', (lifecycle, stack) => {
    expect(stack.json.terraform.backend.s3).toEqual({
      bucket: STATE_BUCKET,
      key: `hookrelay/dev/${REGION}/${lifecycle}.tfstate`,
      region: REGION,
      encrypt: true,
      use_lockfile: true,
    });
    expect(stack.json.terraform.required_version).toBe('>= 1.10.0');
  });

  it.each([
    ['stateful', stateful],
    ['stateless', stateless],
  ] as const)('%s tags every resource with Environment and Service through default_tags', (_, stack) => {
    expect(
      Testing.toHaveProviderWithProperties(stack.text, AwsProvider.tfResourceType, {
        region: REGION,
        default_tags: [{ tags: { Environment: 'dev', Service: 'hookrelay' } }],
      }),
    ).toBe(true);
    // Nothing overrides the defaults resource by resource.
    for (const byName of Object.values(stack.json.resource)) {
      for (const resource of Object.values(byName)) expect(resource.tags).toBeUndefined();
    }
  });

  it('uses the stage for the tags and the state key of another stage', () => {
    const prod = synthPlatform('prod');
    expect(text(prod.stateless.json.provider.aws)).toContain('"Environment":"prod"');
    expect(prod.stateful.json.terraform.backend.s3.key).toBe(`hookrelay/prod/${REGION}/stateful.tfstate`);
  });

  it('refuses the local stage and malformed stage names', () => {
    expect(() => synthPlatform('local')).toThrow(/embedded platform/);
    expect(() => synthPlatform('Dev_1')).toThrow(/not a stage name/);
  });
});
