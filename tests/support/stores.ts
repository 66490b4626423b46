import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV } from '@hookrelay/definitions';
import { DestinationGuard, NodeHttpSender, parseAllowlist } from '@hookrelay/delivery';
import type { WorkerDeps } from '@hookrelay/delivery/attempt';
import {
  CursorCodec,
  createDocumentClient,
  DynamoDbEventStore,
  DynamoDbSecretStore,
  DynamoDbWebhookStore,
} from '@hookrelay/dynamodb';
import { SqsDeliveryQueue } from '@hookrelay/sqs';
import type { TestPlatform } from './platform.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * The platform's real stores and queue, built as the handlers build theirs, for tests that
 * drive the worker's code or a store directly (with a clock of their own, or a fault).
 */
export const localStores = (platform: TestPlatform, options: { sweepGraceMs?: number } = {}) => {
  // Through the platform's IAM fronts, as the functions reach the engines: code run inside
  // `asFunction` is checked against that function's grants.
  const db = createDocumentClient({
    endpoint: platform.env.AWS_ENDPOINT_URL_DYNAMODB,
    region: 'us-east-1',
    credentials,
  });
  const sqs = new SQSClient({
    endpoint: platform.env.AWS_ENDPOINT_URL_SQS,
    region: 'us-east-1',
    credentials,
  });
  const table = platform.env[ENV.dataTable] ?? '';
  return {
    db,
    sqs,
    events: new DynamoDbEventStore(db, table, {
      cursors: new CursorCodec('test'),
      retentionDays: 30,
      sweepGraceMs: options.sweepGraceMs ?? 120_000,
    }),
    webhooks: new DynamoDbWebhookStore(db, table),
    secrets: new DynamoDbSecretStore(db, platform.env[ENV.secretsTable] ?? ''),
    queue: new SqsDeliveryQueue(
      sqs,
      platform.env[ENV.deliveryQueueUrl] ?? '',
      platform.env[ENV.dlqUrl] ?? '',
    ),
    close: () => sqs.destroy(),
  };
};

/** Everything the worker's `processDelivery` needs, on the platform, sending to loopback only. */
export const localWorkerDeps = (
  stores: ReturnType<typeof localStores>,
  overrides: Partial<WorkerDeps> & Pick<WorkerDeps, 'clock' | 'schedule'>,
): WorkerDeps => ({
  events: stores.events,
  webhooks: stores.webhooks,
  secrets: stores.secrets,
  queue: stores.queue,
  sender: new NodeHttpSender({
    guard: new DestinationGuard(parseAllowlist('127.0.0.0/8')),
    timeoutMs: 5_000,
    httpsOnly: false,
  }),
  ...overrides,
});
