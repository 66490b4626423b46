import { GetQueueUrlCommand, QueueDoesNotExist, SQSClient } from '@aws-sdk/client-sqs';
import { queueNameOf, queues, resourceName, tables } from '@hookrelay/definitions';
import { createDocumentClient } from '@hookrelay/dynamodb';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where a command acts. `emulators` is a platform on DynamoDB Local and fauxqs (`make dev`,
 * or a test platform), reached with dummy credentials; `aws` is a deployed stage, reached
 * with the default credential chain, its queue URLs looked up by name.
 */
export type StageTarget =
  | {
      readonly kind: 'emulators';
      readonly stage: string;
      readonly dynamodbEndpoint: string;
      readonly sqsEndpoint: string;
    }
  | { readonly kind: 'aws'; readonly stage: string; readonly region?: string };

/** Treats an empty variable as unset: make passes `VAR=` through when it has no value. */
export const envValue = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value ? value : undefined;
};

const REGION = 'us-east-1';
const STAGE_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

/**
 * Reads the target from the environment (and `--stage`, which wins over STAGE):
 *
 * - `STAGE=local` (the default) is the running `make dev`: DynamoDB Local on
 *   127.0.0.1:${DYNAMODB_PORT:-8000} and fauxqs on 127.0.0.1:${SQS_PORT:-4566}, resources named
 *   for stage `${LOCAL_STAGE:-local}`. DYNAMODB_ENDPOINT / SQS_ENDPOINT replace the addresses.
 * - any other STAGE with both DYNAMODB_ENDPOINT and SQS_ENDPOINT set is that stage on those
 *   emulators (how tests point the CLI at a platform of their own);
 * - any other STAGE is that stage on AWS.
 *
 * @example
 * targetFromEnv({ STAGE: 'local', SQS_PORT: '4600' })
 * // { kind: 'emulators', stage: 'local', dynamodbEndpoint: 'http://127.0.0.1:8000', sqsEndpoint: 'http://127.0.0.1:4600' }
 */
export const targetFromEnv = (env: Env, stageFlag?: string): StageTarget => {
  const requested = stageFlag?.trim() || envValue(env, 'STAGE') || 'local';
  const dynamodbEndpoint = envValue(env, 'DYNAMODB_ENDPOINT');
  const sqsEndpoint = envValue(env, 'SQS_ENDPOINT');
  if (requested === 'local' || (dynamodbEndpoint && sqsEndpoint)) {
    const stage = requested === 'local' ? (envValue(env, 'LOCAL_STAGE') ?? 'local') : requested;
    if (!STAGE_NAME.test(stage)) throw new UsageError(`"${stage}" is not a stage name.`);
    return {
      kind: 'emulators',
      stage,
      dynamodbEndpoint:
        dynamodbEndpoint ?? `http://127.0.0.1:${port(envValue(env, 'DYNAMODB_PORT'), 8000, 'DYNAMODB_PORT')}`,
      sqsEndpoint: sqsEndpoint ?? `http://127.0.0.1:${port(envValue(env, 'SQS_PORT'), 4566, 'SQS_PORT')}`,
    };
  }
  if (!STAGE_NAME.test(requested)) throw new UsageError(`"${requested}" is not a stage name.`);
  const region = envValue(env, 'AWS_REGION') ?? envValue(env, 'AWS_DEFAULT_REGION');
  return { kind: 'aws', stage: requested, ...(region ? { region } : {}) };
};

/** A mistake in how the command was called; the CLI prints it without a stack trace. */
export class UsageError extends Error {}

const port = (raw: string | undefined, fallback: number, name: string): number => {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65_535) {
    throw new UsageError(`${name} must be a port number, not "${raw}".`);
  }
  return value;
};

/** Which DLQ a command works: the delivery queue's, or the ordered line's (FIFO). */
type DeadLetterLine = 'deliveries' | 'ordered';

/** The clients and resource names of one stage, opened once per command. */
export interface StageConnection {
  readonly target: StageTarget;
  /** Whose DLQ this connection works. */
  readonly line: DeadLetterLine;
  readonly sqs: SQSClient;
  readonly db: ReturnType<typeof createDocumentClient>;
  readonly dataTable: string;
  /** The queue the DLQ's messages go back to (the delivery queue, or the ordered line). */
  readonly deliveryQueueName: string;
  readonly dlqName: string;
  readonly deliveryQueueUrl: string;
  readonly dlqUrl: string;
  close(): void;
}

const clientConfig = (target: StageTarget, endpoint: (t: StageTarget & { kind: 'emulators' }) => string) =>
  target.kind === 'emulators'
    ? {
        endpoint: endpoint(target),
        region: REGION,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }
    : target.region
      ? { region: target.region }
      : {};

/** An SQS client for the stage: the emulator's endpoint with dummy credentials, or AWS's chain. */
export const sqsClientOf = (target: StageTarget): SQSClient =>
  new SQSClient(clientConfig(target, (t) => t.sqsEndpoint));

/**
 * A queue's URL by name (GetQueueUrl). fauxqs answers URLs on a `sqs.<region>.localhost` host
 * that may not resolve here, so on the emulators the URL's path is kept and its origin replaced
 * by the endpoint we connect to. A missing queue is a UsageError that says what to check.
 */
export const queueUrlOf = async (sqs: SQSClient, target: StageTarget, name: string): Promise<string> => {
  try {
    const out = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    const url = out.QueueUrl ?? '';
    return target.kind === 'emulators' ? new URL(new URL(url).pathname, target.sqsEndpoint).toString() : url;
  } catch (error) {
    if (error instanceof QueueDoesNotExist || (error as { name?: string }).name === 'QueueDoesNotExist') {
      throw new UsageError(
        `Queue ${name} does not exist: ${
          target.kind === 'emulators'
            ? `is the platform for stage "${target.stage}" running on ${target.sqsEndpoint}?`
            : `is stage "${target.stage}" deployed in this account and region?`
        }`,
      );
    }
    throw error;
  }
};

const linePair = {
  deliveries: { queue: queues.deliveries, dlq: queues.dlq },
  ordered: { queue: queues.ordered, dlq: queues.orderedDlq },
} as const;

/**
 * Opens the stage: tables named by `@hookrelay/definitions`, queue URLs from GetQueueUrl; the
 * DLQ of `line` and the queue its messages go back to.
 */
export const connectStage = async (
  target: StageTarget,
  line: DeadLetterLine = 'deliveries',
): Promise<StageConnection> => {
  const sqs = sqsClientOf(target);
  const db = createDocumentClient(clientConfig(target, (t) => t.dynamodbEndpoint));
  const close = () => {
    sqs.destroy();
    db.destroy();
  };
  try {
    const { queue, dlq } = linePair[line];
    const dlqName = queueNameOf(dlq, target.stage);
    const deliveryQueueName = queueNameOf(queue, target.stage);
    const dlqUrl = await queueUrlOf(sqs, target, dlqName);
    const deliveryQueueUrl = await queueUrlOf(sqs, target, deliveryQueueName);
    return {
      target,
      line,
      sqs,
      db,
      dataTable: resourceName(tables.data.baseName, target.stage),
      deliveryQueueName,
      dlqName,
      deliveryQueueUrl,
      dlqUrl,
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
};
