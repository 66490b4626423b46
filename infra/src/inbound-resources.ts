import { CloudwatchEventArchive } from '@cdktn/provider-aws/lib/cloudwatch-event-archive';
import { CloudwatchEventBus } from '@cdktn/provider-aws/lib/cloudwatch-event-bus';
import { CloudwatchEventRule } from '@cdktn/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktn/provider-aws/lib/cloudwatch-event-target';
import { DataAwsCallerIdentity } from '@cdktn/provider-aws/lib/data-aws-caller-identity';
import { KmsAlias } from '@cdktn/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktn/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktn/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktn/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketPolicy } from '@cdktn/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktn/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktn/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { SqsQueue } from '@cdktn/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktn/provider-aws/lib/sqs-queue-policy';
import {
  fifoQueueName,
  type InboundQueueDefinition,
  inboundBucket,
  inboundBus,
  inboundQueueList,
  inboundQueues,
  resourceName,
} from '@hookrelay/definitions';
import { TerraformOutput } from 'cdktn';
import { Construct } from 'constructs';

const DAY_SECONDS = 86_400;

/** The queue the bus rules' targets dead-letter to: `hookrelay-inbound-events-dlq-<stage>`. */
export const INBOUND_EVENTS_DLQ_BASE_NAME = 'inbound-events-dlq';

/**
 * How long after its record expires a request's body may still be read: a replay (or a requeue
 * from the inbound DLQ) made on the record's last day queues a message that can wait out the
 * FIFO queue's retention and then, failing, the DLQ's, and the processor reads the body when it
 * finally runs.
 */
export const ARCHIVE_REPLAY_WINDOW_DAYS = Math.ceil(
  (inboundQueues.fifo.messageRetentionSeconds + inboundQueues.fifoDlq.messageRetentionSeconds) / DAY_SECONDS,
);

/**
 * Days an archived body is kept before S3 deletes it: as long as its request record (the
 * stage's `dataRetentionDays`, the TTL the ingestion function gives the record through
 * RETENTION_DAYS) and the replay window, not longer.
 */
export const archiveExpiryDays = (recordRetentionDays: number): number =>
  recordRetentionDays + ARCHIVE_REPLAY_WINDOW_DAYS;

/**
 * Terraform's `prevent_destroy` when `protect`: a plan that would destroy or replace the
 * resource fails, whatever else it does.
 */
export const keptWhere = (protect: boolean) => (protect ? { lifecycle: { preventDestroy: true } } : {});

/** The alias of the archive's KMS key, by which the functions' grants find it (`kms:ResourceAliases`). */
export const archiveKeyAlias = (stage: string): string => `alias/${resourceName('inbound-archive', stage)}`;

/**
 * Bucket names are global: the account id keeps each account's archive its own, and the region
 * the archive of the same stage in a second region.
 */
export const archiveBucketName = (stage: string, accountId: string, region: string): string =>
  `${resourceName(inboundBucket.baseName, stage)}-${accountId}-${region}`;

/**
 * The inbound path's stateful half: the archive bucket (public access blocked, encrypted,
 * expiring with the request records plus the replay window), the FIFO queue and its DLQ, and the EventBridge
 * bus with its archive, one rule per provider and that rule's SQS queue as target.
 */
export class InboundResources extends Construct {
  readonly bucket: S3Bucket;
  /** The archive's KMS key, where the stage encrypts it with SSE-KMS. */
  readonly key: KmsKey | undefined;
  readonly queues = new Map<InboundQueueDefinition['id'], SqsQueue>();
  readonly bus: CloudwatchEventBus;
  /** Where the provider rules' targets dead-letter what they could not deliver. */
  readonly eventsDeadLetterQueue: SqsQueue;

  constructor(
    scope: Construct,
    id: string,
    props: {
      readonly stage: string;
      readonly region: string;
      readonly preventDestroy: boolean;
      /** Days a request record lives (its TTL): the stage's `dataRetentionDays`. */
      readonly recordRetentionDays: number;
      /** The stage's `archiveEncryption`: SSE-S3, or SSE-KMS under a key of the archive's own. */
      readonly encryption: 's3' | 'kms';
    },
  ) {
    super(scope, id);
    const { stage } = props;
    const kept = keptWhere(props.preventDestroy);
    const identity = new DataAwsCallerIdentity(this, 'account');

    this.bucket = new S3Bucket(this, 'archive', {
      bucket: archiveBucketName(stage, identity.accountId, props.region),
      forceDestroy: !props.preventDestroy,
      ...kept,
    });
    new S3BucketPublicAccessBlock(this, 'archive-public-access', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    if (props.encryption === 'kms') {
      // Destroying the key would make every archived body unreadable: kept like the bucket.
      this.key = new KmsKey(this, 'archive-key', {
        description: `Inbound webhook bodies of ${stage} (${this.bucket.bucket})`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        ...kept,
      });
      new KmsAlias(this, 'archive-key-alias', {
        name: archiveKeyAlias(stage),
        targetKeyId: this.key.keyId,
      });
    }
    new S3BucketServerSideEncryptionConfigurationA(this, 'archive-encryption', {
      bucket: this.bucket.id,
      // The bucket key: S3 asks KMS for a data key per bucket and period, not per object.
      rule: [
        {
          applyServerSideEncryptionByDefault: this.key
            ? { sseAlgorithm: 'aws:kms', kmsMasterKeyId: this.key.arn }
            : { sseAlgorithm: 'AES256' },
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketLifecycleConfiguration(this, 'archive-lifecycle', {
      bucket: this.bucket.id,
      // No storage class transition: Glacier would make a body unreadable to GET /v1/inbound/{id}
      // and to replay, and saves nothing on bodies under 128 KB (most of them), which it bills
      // as 128 KB plus a fee per object.
      rule: [
        {
          id: 'expire-with-records',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ days: archiveExpiryDays(props.recordRetentionDays) }],
        },
      ],
    });
    // Nothing reaches the archive without TLS.
    new S3BucketPolicy(this, 'archive-tls-only', {
      bucket: this.bucket.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    });

    for (const queue of inboundQueueList) {
      const deadLetter = queue.redrive ? this.queues.get(queue.redrive.deadLetterQueue) : undefined;
      const resource = new SqsQueue(this, `queue-${queue.id}`, {
        name: fifoQueueName(queue, stage),
        fifoQueue: true,
        contentBasedDeduplication: queue.contentBasedDeduplication,
        visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
        messageRetentionSeconds: queue.messageRetentionSeconds,
        receiveWaitTimeSeconds: queue.receiveWaitTimeSeconds,
        sqsManagedSseEnabled: true,
        ...kept,
        // High-throughput FIFO: deduplication and the throughput quota per message group (per
        // source) rather than per queue, so many busy sources are not held to one queue's
        // 300 messages a second. Order within a source is unchanged.
        ...(queue.id === 'fifo'
          ? { deduplicationScope: 'messageGroup', fifoThroughputLimit: 'perMessageGroupId' }
          : {}),
        ...(queue.redrive && deadLetter
          ? {
              redrivePolicy: JSON.stringify({
                deadLetterTargetArn: deadLetter.arn,
                maxReceiveCount: queue.redrive.maxReceiveCount,
              }),
            }
          : {}),
      });
      this.queues.set(queue.id, resource);
      new TerraformOutput(this, `inbound-${queue.id}-url`, { value: resource.url });
    }

    this.bus = new CloudwatchEventBus(this, 'bus', { name: resourceName(inboundBus.baseName, stage) });
    new CloudwatchEventArchive(this, 'bus-archive', {
      name: resourceName(inboundBus.archive.baseName, stage),
      eventSourceArn: this.bus.arn,
      retentionDays: inboundBus.archive.retentionDays,
      description: 'Every inbound event, for EventBridge replay.',
      ...kept,
    });
    // What a rule could not put on its queue (the queue gone, its policy wrong, SQS down for
    // longer than the retries) lands here rather than being dropped.
    this.eventsDeadLetterQueue = new SqsQueue(this, 'events-dlq', {
      name: resourceName(INBOUND_EVENTS_DLQ_BASE_NAME, stage),
      messageRetentionSeconds: 14 * DAY_SECONDS,
      sqsManagedSseEnabled: true,
      ...kept,
    });
    const ruleArns: string[] = [];
    for (const rule of inboundBus.rules) {
      const target = new SqsQueue(this, `events-${rule.provider}`, {
        name: resourceName(rule.queueBaseName, stage),
        messageRetentionSeconds: inboundBus.targetRetentionSeconds,
        sqsManagedSseEnabled: true,
        ...kept,
      });
      const eventRule = new CloudwatchEventRule(this, `rule-${rule.provider}`, {
        name: resourceName(rule.baseName, stage),
        eventBusName: this.bus.name,
        description: `Inbound ${rule.provider} webhooks to their queue.`,
        eventPattern: JSON.stringify(rule.pattern),
      });
      ruleArns.push(eventRule.arn);
      new CloudwatchEventTarget(this, `target-${rule.provider}`, {
        rule: eventRule.name,
        eventBusName: this.bus.name,
        arn: target.arn,
        targetId: `${rule.provider}-queue`,
        // EventBridge's longest: retried with backoff for up to a day, then dead-lettered.
        retryPolicy: { maximumEventAgeInSeconds: DAY_SECONDS, maximumRetryAttempts: 185 },
        deadLetterConfig: { arn: this.eventsDeadLetterQueue.arn },
      });
      // Only this rule may send to its queue.
      new SqsQueuePolicy(this, `events-${rule.provider}-policy`, {
        queueUrl: target.url,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'EventBridgeRule',
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: target.arn,
              Condition: { ArnEquals: { 'aws:SourceArn': eventRule.arn } },
            },
          ],
        }),
      });
    }
    // Only the provider rules may dead-letter here.
    new SqsQueuePolicy(this, 'events-dlq-policy', {
      queueUrl: this.eventsDeadLetterQueue.url,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'EventBridgeRuleDeadLetters',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: this.eventsDeadLetterQueue.arn,
            Condition: { ArnEquals: { 'aws:SourceArn': ruleArns } },
          },
        ],
      }),
    });
    new TerraformOutput(this, 'inbound-events-dlq-url', { value: this.eventsDeadLetterQueue.url });
    new TerraformOutput(this, 'inbound-bucket', { value: this.bucket.bucket });
    new TerraformOutput(this, 'inbound-bus', { value: this.bus.name });
  }
}
