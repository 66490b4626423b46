import { GetQueueUrlCommand, QueueDoesNotExist, SQSClient } from '@aws-sdk/client-sqs';
import { queues, resourceName, tables } from '@hookrelay/definitions';
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

/** The clients and resource names of one stage, opened once per command. */
export interface StageConnection {
  readonly target: StageTarget;
  readonly sqs: SQSClient;
  readonly db: ReturnType<typeof createDocumentClient>;
  readonly dataTable: string;
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

/**
 * Opens the stage: tables named by `@hookrelay/definitions`, queue URLs from GetQueueUrl.
 * fauxqs answers URLs on a `sqs.<region>.localhost` host that may not resolve here, so on the
 * emulators the URL's path is kept and its origin replaced by the endpoint we connect to.
 */
export const connectStage = async (target: StageTarget): Promise<StageConnection> => {
  const sqs = new SQSClient(clientConfig(target, (t) => t.sqsEndpoint));
  const db = createDocumentClient(clientConfig(target, (t) => t.dynamodbEndpoint));
  const close = () => {
    sqs.destroy();
    db.destroy();
  };
  const urlOf = async (name: string): Promise<string> => {
    try {
      const out = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
      const url = out.QueueUrl ?? '';
      return target.kind === 'emulators'
        ? new URL(new URL(url).pathname, target.sqsEndpoint).toString()
        : url;
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
  try {
    const dlqName = resourceName(queues.dlq.baseName, target.stage);
    const deliveryQueueName = resourceName(queues.deliveries.baseName, target.stage);
    const [dlqUrl, deliveryQueueUrl] = [await urlOf(dlqName), await urlOf(deliveryQueueName)];
    return {
      target,
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
