import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  formatDeadLetters,
  peekStageDeadLetters,
  requeueLine,
  requeueStageDeadLetters,
  requeueStageOrderedDeadLetters,
  type StageRequeueOptions,
} from './dead-letter-commands.js';
import {
  connectInbound,
  formatInboundDeadLetters,
  peekInboundDeadLetters,
  requeueInboundDeadLetters,
} from './inbound-dead-letters.js';
import { followBus, listLocalQueues, peekLocalQueue, resolveQueueName } from './local-queues.js';
import { fetchOpenApi, postmanCollection, requestsOf } from './postman-collection.js';
import { seed, seedSettingsFromEnv } from './seed-command.js';
import {
  connectStage,
  type Env,
  envValue,
  type StageTarget,
  targetFromEnv,
  UsageError,
} from './stage-target.js';

/** Where the CLI reads and writes: the real process in `main.ts`, captured buffers in tests. */
export interface CliIo {
  readonly env: Env;
  readonly cwd: string;
  /** Standard output: only the command's result, so scripts can parse it. */
  out(text: string): void;
  /** Standard error: progress, warnings and errors. */
  err(text: string): void;
  /** Test seams: replace the target or the requeue's ports without touching the code path. */
  readonly overrides?: {
    readonly target?: StageTarget;
    readonly requeue?: StageRequeueOptions;
    /** Stops `bus-follow`, which otherwise runs until the process is interrupted. */
    readonly signal?: AbortSignal;
  };
}

const DEFAULT_COLLECTION_PATH = 'packages/ops-cli/dist/hookrelay.postman_collection.json';

const USAGE = `usage: ops <command> [options]

  dlq-peek     [--stage S] [--max N] [--json]   list DLQ messages without consuming them
  dlq-requeue  [--stage S] [--max N] [--batch N] move DLQ messages back to the delivery queue
               --queue ordered                   the ordered line's DLQ, back into each key's line
               --queue inbound                   the inbound FIFO queue's DLQ instead
  queue-peek   [--queue Q] [--json]              a local queue's messages, none consumed (no Q: every queue)
  bus-follow                                     what the local bus routes, as it routes it (Ctrl-C stops)
  seed         [--stage S]                        create test-tenant, acme, globex (idempotent)
  collection   [--out FILE]                       Postman collection from the API's OpenAPI document

environment: STAGE (default local), LOCAL_STAGE, DYNAMODB_PORT, SQS_PORT, DYNAMODB_ENDPOINT,
SQS_ENDPOINT, AWS_REGION, API_URL, ADMIN_API_KEY, RECEIVER_URL, BEARER_TOKEN (docs/operations.md)
`;

const integer = (raw: string | undefined, name: string, fallback: number, max: number): number => {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new UsageError(`${name} must be a whole number from 1 to ${max}, not "${raw}".`);
  }
  return value;
};

/** Where a command tried to connect, and which variables move it, for an error that names both. */
interface Tried {
  readonly urls: readonly string[];
  readonly settings: string;
}

const triedOf = (target: StageTarget | undefined): Tried | undefined =>
  target?.kind === 'emulators'
    ? {
        urls: [target.sqsEndpoint, target.dynamodbEndpoint],
        settings: 'SQS_PORT and DYNAMODB_PORT (or SQS_ENDPOINT and DYNAMODB_ENDPOINT)',
      }
    : undefined;

const unreachable = (error: unknown): boolean => {
  const codes = [
    (error as { code?: string }).code,
    (error as { cause?: { code?: string } }).cause?.code,
    (error as { cause?: { cause?: { code?: string } } }).cause?.cause?.code,
  ];
  return (
    codes.some((c) => c === 'ECONNREFUSED' || c === 'ENOTFOUND' || c === 'EHOSTUNREACH') ||
    (error instanceof TypeError && error.message === 'fetch failed')
  );
};

const describeError = (error: unknown, tried?: Tried): string => {
  if (error instanceof UsageError) return error.message;
  if (tried && unreachable(error)) {
    return `Nothing answers on ${tried.urls.join(' / ')}: is \`make dev\` running? Set ${tried.settings} to where it listens (docs/local.md).`;
  }
  const name = (error as { name?: string }).name;
  const message = error instanceof Error ? error.message : String(error);
  return name && name !== 'Error' ? `${name}: ${message}` : message;
};

type Values = ReturnType<typeof parseCommandLine>['values'];

/** One command's run: its options, its output, and where it tried to connect (for errors). */
interface Run {
  readonly values: Values;
  readonly io: CliIo;
  tried?: Tried;
}

const parseCommandLine = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      stage: { type: 'string' },
      max: { type: 'string' },
      batch: { type: 'string' },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      queue: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });

/** `dlq-peek` and `dlq-requeue`, on the delivery queue's, the ordered line's or the inbound DLQ. */
const deadLetterCommand = async (command: 'dlq-peek' | 'dlq-requeue', run: Run): Promise<number> => {
  const { values, io } = run;
  const target = io.overrides?.target ?? targetFromEnv(io.env, values.stage);
  run.tried = triedOf(target);
  const max = integer(values.max ?? envValue(io.env, 'MAX'), 'MAX', 100, 100_000);
  const batchSize = integer(values.batch ?? envValue(io.env, 'BATCH'), 'BATCH', 10, 10);
  const queue = values.queue ?? envValue(io.env, 'QUEUE') ?? 'deliveries';
  if (queue === 'inbound') {
    const inbound = await connectInbound(target);
    const wait = target.kind === 'emulators' ? 0 : 1;
    try {
      if (command === 'dlq-peek') {
        const listing = await peekInboundDeadLetters(inbound, max, wait);
        io.out(values.json ? `${JSON.stringify(listing, null, 2)}\n` : formatInboundDeadLetters(listing));
        return 0;
      }
      const result = await requeueInboundDeadLetters(
        inbound,
        { max, batchSize, waitSeconds: wait },
        (id, error) => io.err(`kept ${id} in ${inbound.dlqName}: ${describeError(error)}\n`),
      );
      io.out(`${requeueLine(result)}\n`);
      return result.failed > 0 ? 1 : 0;
    } finally {
      inbound.close();
    }
  }
  if (queue !== 'deliveries' && queue !== 'ordered')
    throw new UsageError(`QUEUE must be "deliveries", "ordered" or "inbound", not "${queue}".`);
  const stage = await connectStage(target, queue);
  try {
    if (command === 'dlq-peek') {
      const listing = await peekStageDeadLetters(stage, max);
      io.out(values.json ? `${JSON.stringify(listing, null, 2)}\n` : formatDeadLetters(listing));
    } else {
      const options = {
        batchSize,
        maxMessages: max,
        onFailure: ({ message_id, error }: { message_id: string; error: unknown }) =>
          io.err(`kept ${message_id} in ${stage.dlqName}: ${describeError(error)}\n`),
      };
      const result =
        queue === 'ordered'
          ? await requeueStageOrderedDeadLetters(stage, options)
          : await requeueStageDeadLetters(stage, { ...io.overrides?.requeue, ...options });
      io.out(`${requeueLine(result)}\n`);
      if (result.failed > 0) return 1;
    }
  } finally {
    stage.close();
  }
  return 0;
};

/** `queue-peek` and `bus-follow`: the local engine's queues and bus, nothing consumed. */
const localQueueCommand = async (command: 'queue-peek' | 'bus-follow', run: Run): Promise<number> => {
  const { values, io } = run;
  const target = io.overrides?.target ?? targetFromEnv(io.env, values.stage);
  if (target.kind !== 'emulators') {
    throw new UsageError(`${command} reads the local engine (make dev); stage "${target.stage}" is on AWS.`);
  }
  const local = target;
  run.tried = { urls: [local.sqsEndpoint], settings: 'SQS_PORT (or SQS_ENDPOINT)' };
  if (command === 'bus-follow') {
    io.err(
      `following what the bus of stage "${local.stage}" routes, from ${local.sqsEndpoint} (Ctrl-C stops)\n`,
    );
    await followBus(
      local.sqsEndpoint,
      local.stage,
      ({ queue, message }) => {
        let detail: unknown = message.body;
        try {
          detail = JSON.parse(message.body);
        } catch {
          // shown as the raw body
        }
        io.out(
          `${JSON.stringify({ queue, message_id: message.messageId, sent_at: message.sentTimestamp ? new Date(message.sentTimestamp).toISOString() : undefined, event: detail })}\n`,
        );
      },
      io.overrides?.signal ? { signal: io.overrides.signal } : {},
    );
    return 0;
  }
  const queues = await listLocalQueues(local.sqsEndpoint);
  const wanted = values.queue ?? envValue(io.env, 'QUEUE');
  if (!wanted) {
    const ofStage = queues.filter((q) => q.name.includes(`-${local.stage}`));
    io.out(
      values.json
        ? `${JSON.stringify(ofStage, null, 2)}\n`
        : `${ofStage.map((q) => `${q.name.padEnd(50)} ready ${q.approximateMessageCount}  in flight ${q.approximateInflightCount}  delayed ${q.approximateDelayedCount}`).join('\n')}\n`,
    );
    return 0;
  }
  const name = (() => {
    try {
      return resolveQueueName(
        queues.map((q) => q.name),
        local.stage,
        wanted,
      );
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  })();
  const messages = await peekLocalQueue(local.sqsEndpoint, name);
  const shown = messages.slice(0, integer(values.max ?? envValue(io.env, 'MAX'), 'MAX', 100, 100_000));
  io.out(
    values.json
      ? `${JSON.stringify({ queue: name, count: messages.length, messages: shown }, null, 2)}\n`
      : `${shown.map((m) => `${m.state.padEnd(9)} ${m.messageId}  ${m.body}`).join('\n')}${shown.length ? '\n' : ''}${messages.length} message${messages.length === 1 ? '' : 's'} in ${name} (none consumed)\n`,
  );
  return 0;
};

const seedCommand = async (run: Run): Promise<number> => {
  const { values, io } = run;
  const stageName = values.stage?.trim() || envValue(io.env, 'STAGE') || 'local';
  run.tried = {
    urls: [envValue(io.env, 'API_URL') ?? `http://127.0.0.1:${envValue(io.env, 'API_PORT') ?? '3000'}`],
    settings: 'API_URL (or API_PORT)',
  };
  const report = await seed(seedSettingsFromEnv(io.env, stageName, io.cwd));
  io.out(`${JSON.stringify(report, null, 2)}\n`);
  return 0;
};

const collectionCommand = async (run: Run): Promise<number> => {
  const { values, io } = run;
  const apiUrl = envValue(io.env, 'API_URL') ?? `http://127.0.0.1:${envValue(io.env, 'API_PORT') ?? '3000'}`;
  run.tried = { urls: [apiUrl], settings: 'API_URL (or API_PORT)' };
  const file = resolve(io.cwd, values.out ?? envValue(io.env, 'COLLECTION') ?? DEFAULT_COLLECTION_PATH);
  const collection = await postmanCollection(await fetchOpenApi(apiUrl), {
    baseUrl: apiUrl,
    bearerToken: envValue(io.env, 'BEARER_TOKEN') ?? '',
  });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(collection, null, 2)}\n`);
  io.out(`${file}\n`);
  io.err(`${requestsOf(collection).length} requests from ${apiUrl}/v1/openapi.json\n`);
  return 0;
};

/**
 * The operations CLI behind `make dlq-peek`, `make dlq-requeue`, `make seed` and
 * `make collection`. Returns the exit code; tests call it with captured output and the
 * same code path runs under make.
 *
 * @example
 * await runCli(['dlq-requeue', '--max', '100', '--batch', '10'], { env: process.env, cwd, out, err })
 * // out: {"requeued": 3, "failed": 0}
 */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  let run: Run | undefined;
  try {
    const { positionals, values } = parseCommandLine(argv);
    const [command, ...rest] = positionals;
    if (values.help || !command) {
      (values.help ? io.out : io.err)(USAGE);
      return values.help ? 0 : 2;
    }
    if (rest.length > 0) throw new UsageError(`Unexpected argument "${rest[0]}".\n\n${USAGE}`);
    run = { values, io };
    switch (command) {
      case 'dlq-peek':
      case 'dlq-requeue':
        return await deadLetterCommand(command, run);
      case 'queue-peek':
      case 'bus-follow':
        return await localQueueCommand(command, run);
      case 'seed':
        return await seedCommand(run);
      case 'collection':
        return await collectionCommand(run);
      default:
        throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
    }
  } catch (error) {
    io.err(`${describeError(error, run?.tried)}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
};
