import { AsyncLocalStorage } from 'node:async_hooks';
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { sqsBilledRequests } from './pricing.js';

/**
 * Counts what the real code asks of AWS: a middleware on every smithy client (DynamoDB and
 * SQS clients the Lambda handlers build for themselves) that asks DynamoDB for
 * `ReturnConsumedCapacity: TOTAL` and records each call's command, capacity units and billed
 * SQS requests, attributed to the function that made it (AsyncLocalStorage). Handler
 * invocations are timed by wrapping the handlers the local platform parts call.
 */

const ROOT = new URL('../../', import.meta.url).pathname;

/** Where the handlers resolve their SDK clients from; all must share one smithy `Client`. */
const RESOLVERS = [
  'bench',
  'packages/local',
  'packages/dynamodb',
  'services/api',
  'services/worker',
  'services/sweeper',
  'services/dlq-processor',
] as const;

interface SmithyClientClass {
  readonly prototype: { send: (...args: unknown[]) => Promise<unknown> };
}

/** Resolves `@smithy/core/client` through every SDK client package the services use; fails if they differ. */
export const resolveSmithyClient = (): { Client: SmithyClientClass; file: string; via: string[] } => {
  const files = new Set<string>();
  const via: string[] = [];
  for (const dir of RESOLVERS) {
    const require = createRequire(join(ROOT, dir, 'package.json'));
    for (const pkg of ['@aws-sdk/client-dynamodb', '@aws-sdk/client-sqs']) {
      let sdk: string;
      try {
        sdk = realpathSync(require.resolve(pkg));
      } catch {
        continue; // that package does not depend on this client
      }
      const file = realpathSync(createRequire(sdk).resolve('@smithy/core/client'));
      files.add(file);
      via.push(`${dir} → ${pkg}`);
    }
  }
  if (files.size !== 1) {
    throw new Error(
      `the services' SDK clients resolve to ${files.size} smithy Client classes: ${[...files]}`,
    );
  }
  const [file] = [...files] as [string];
  const { Client } = createRequire(import.meta.url)(file) as { Client: SmithyClientClass };
  return { Client, file, via };
};

const scope = new AsyncLocalStorage<string>();

/** Runs `work` as function `fn`: every SDK call it makes is attributed to `fn`. */
export const inFunction = <T>(fn: string, work: () => T): T => scope.run(fn, work);

export const currentFunction = (): string | undefined => scope.getStore();

export interface CallStats {
  calls: number;
  rru: number;
  wru: number;
  sqsRequests: number;
  /** Calls that failed (e.g. a condition check); their write is still billed, estimated at 1 WRU. */
  failed: number;
  /** Reads DynamoDB Local reported as 0 units (an empty Query), raised to the billed minimum. */
  raisedToMinimum: number;
  /** Capacity-returning calls that came back without ConsumedCapacity. */
  missingCapacity: number;
  /** Receives that returned nothing: idle polling, a fixed cost rather than a per-event one. */
  emptyReceives: number;
}

const CAPACITY_COMMANDS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
]);
const READ_COMMANDS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

class Meter {
  recording = false;
  readonly calls = new Map<string, CallStats>();
  readonly durations = new Map<string, number[]>();
  readonly logBytes = new Map<string, number>();
  /** What the handlers wrote, kept while recording so its compressed size can be weighed. */
  readonly logText = new Map<string, string[]>();

  reset(): void {
    this.calls.clear();
    this.durations.clear();
    this.logBytes.clear();
    this.logText.clear();
  }

  stats(fn: string, service: string, command: string): CallStats {
    const key = `${fn}|${service}:${command}`;
    let s = this.calls.get(key);
    if (!s) {
      s = {
        calls: 0,
        rru: 0,
        wru: 0,
        sqsRequests: 0,
        failed: 0,
        raisedToMinimum: 0,
        missingCapacity: 0,
        emptyReceives: 0,
      };
      this.calls.set(key, s);
    }
    return s;
  }

  invocation(fn: string, ms: number): void {
    const list = this.durations.get(fn) ?? [];
    list.push(ms);
    this.durations.set(fn, list);
  }
}

export const meter = new Meter();

const bytes = (text: unknown): number => (typeof text === 'string' ? Buffer.byteLength(text) : 0);

const recordDynamoDb = (s: CallStats, command: string, input: Record<string, unknown>, output: unknown) => {
  const reported = (output as { ConsumedCapacity?: Capacity | Capacity[] } | undefined)?.ConsumedCapacity;
  const read = READ_COMMANDS.has(command);
  if (!CAPACITY_COMMANDS.has(command)) return;
  if (reported === undefined) {
    s.missingCapacity++;
    return;
  }
  let units = 0;
  for (const c of [reported].flat()) {
    units += c.CapacityUnits ?? (c.ReadCapacityUnits ?? 0) + (c.WriteCapacityUnits ?? 0);
  }
  if (read && units === 0) {
    units = input.ConsistentRead === true ? 1 : 0.5;
    s.raisedToMinimum++;
  }
  if (read) s.rru += units;
  else s.wru += units;
};

const sqsPayload = (command: string, input: Record<string, unknown>, output: unknown): number => {
  if (command === 'SendMessage') return bytes(input.MessageBody);
  if (command === 'SendMessageBatch')
    return ((input.Entries as { MessageBody?: string }[] | undefined) ?? []).reduce(
      (t, e) => t + bytes(e.MessageBody),
      0,
    );
  if (command === 'ReceiveMessage')
    return ((output as { Messages?: { Body?: string }[] } | undefined)?.Messages ?? []).reduce(
      (t, m) => t + bytes(m.Body),
      0,
    );
  return 0;
};

type Next = (args: { input: unknown }) => Promise<{ output: unknown }>;

const meterMiddleware =
  (next: Next, context: { clientName?: string; commandName?: string }) =>
  async (args: { input: unknown }) => {
    if (!meter.recording) return next(args);
    const service =
      context.clientName === 'DynamoDBClient'
        ? 'dynamodb'
        : context.clientName === 'SQSClient'
          ? 'sqs'
          : String(context.clientName);
    const command = String(context.commandName ?? 'unknown').replace(/Command$/, '');
    const input = (args.input ?? {}) as Record<string, unknown>;
    if (
      service === 'dynamodb' &&
      CAPACITY_COMMANDS.has(command) &&
      input.ReturnConsumedCapacity === undefined
    ) {
      input.ReturnConsumedCapacity = 'TOTAL';
    }
    const fn = scope.getStore() ?? 'unattributed';
    try {
      const result = await next(args);
      const s = meter.stats(fn, service, command);
      s.calls++;
      if (service === 'dynamodb') recordDynamoDb(s, command, input, result.output);
      const empty =
        command === 'ReceiveMessage' &&
        !(result.output as { Messages?: unknown[] } | undefined)?.Messages?.length;
      if (empty) s.emptyReceives++;
      else if (service === 'sqs')
        s.sqsRequests += sqsBilledRequests(sqsPayload(command, input, result.output));
      return result;
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      // A long poll cut short by stopping the poller is not a request anyone is billed for.
      if (name !== 'AbortError') {
        const s = meter.stats(fn, service, command);
        s.calls++;
        s.failed++;
        if (service === 'dynamodb' && !READ_COMMANDS.has(command)) s.wru += 1;
        if (service === 'sqs') s.sqsRequests += 1;
      }
      throw error;
    }
  };

let installed: ReturnType<typeof resolveSmithyClient> | undefined;

/**
 * Patches `send` on the shared smithy `Client` prototype so that every client, on its first
 * call, gets the metering middleware on its own middleware stack (once per stack: a document
 * client shares its stack with the client it wraps).
 */
export const installMeter = (): ReturnType<typeof resolveSmithyClient> => {
  if (installed) return installed;
  const resolved = resolveSmithyClient();
  const proto = resolved.Client.prototype;
  const original = proto.send;
  const done = new WeakSet<object>();
  proto.send = function patchedSend(this: { middlewareStack: { add: (...a: unknown[]) => void } }, ...args) {
    const stack = this.middlewareStack;
    if (!done.has(stack)) {
      done.add(stack);
      stack.add(meterMiddleware, { step: 'initialize', name: 'hookrelayBenchMeter', priority: 'high' });
    }
    return original.apply(this, args);
  };
  installed = resolved;
  return resolved;
};

/** Wraps a Lambda handler: its SDK calls are attributed to `fn`, its duration recorded. */
export const timed =
  <E, C, R>(fn: string, handler: (event: E, context: C) => Promise<R>) =>
  (event: E, context: C): Promise<R> =>
    scope.run(fn, async () => {
      const started = performance.now();
      try {
        return await handler(event, context);
      } finally {
        if (meter.recording) meter.invocation(fn, performance.now() - started);
      }
    });

/**
 * Handlers log JSON lines to stdout as they would to CloudWatch. Inside a function's scope
 * the bytes are counted (while recording) and not printed; the bench's own output passes.
 */
export const captureHandlerLogs = (): void => {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const fn = scope.getStore();
    if (fn === undefined) return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    if (meter.recording) {
      meter.logBytes.set(fn, (meter.logBytes.get(fn) ?? 0) + Buffer.byteLength(chunk));
      const text = meter.logText.get(fn) ?? [];
      text.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      meter.logText.set(fn, text);
    }
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
};
