import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { ServiceName } from '@hookrelay/definitions/access';

interface LambdaInstancesOptions {
  readonly service: ServiceName;
  /**
   * The module exporting `handler`: the function's package export (`@hookrelay/worker/handler`,
   * TypeScript, loaded through tsx), or a file URL of its built Lambda bundle (plain JavaScript,
   * what AWS runs, and much less for each new instance to load).
   */
  readonly module: string;
  /** The most instances that may run at once: the concurrency the function's mappings allow. */
  readonly maximum: number;
  readonly timeoutMs: number;
  /**
   * The instances' threads' nice value (`INSTANCE_NICE` by default; 0 keeps the platform's).
   */
  readonly nice?: number;
  /** Told how long each invocation ran (ms), as Lambda bills it, whether it succeeded or not. */
  readonly onInvoked?: (durationMs: number) => void;
  readonly onLog?: (entry: Record<string, unknown>) => void;
}

export interface LambdaInstances {
  /** Invokes the function in an idle instance, starting one when none is idle. */
  invoke<E, R>(event: E): Promise<R>;
  stats(): { readonly instances: number; readonly busy: number; readonly started: number };
  /**
   * The instances' event loops, summed: milliseconds active and idle so far, of those alive now
   * and those that ended (`performance.eventLoopUtilization()` of each thread).
   */
  eventLoop(): EventLoopTime;
  stop(): Promise<void>;
}

/** Milliseconds an event loop (or several, summed) spent running and waiting. */
export interface EventLoopTime {
  readonly active: number;
  readonly idle: number;
}

interface Instance {
  readonly thread: Worker;
  readonly ready: Promise<void>;
  pending?: { id: number; resolve: (value: unknown) => void; reject: (error: Error) => void };
  /** Why the instance was ended, when it was. */
  ended?: string;
}

/**
 * Instances run at a lower scheduling priority than the platform's own threads. On AWS a
 * function's instances never take CPU from SQS, DynamoDB or IAM; here the emulated services run
 * in the platform's main thread (fauxqs, the IAM fronts, the gateway, the mappings' pollers),
 * which every AWS call of every instance crosses, and the kernel shares the cores per runnable
 * thread: with 80 instances runnable at once, that one thread got a sliver of a core and every
 * instance waited on it (docs/benchmarks.md, section 3b). Lowered, the instances take what the
 * services leave, as they would on AWS.
 */
export const INSTANCE_NICE = 10;

const entry = new URL(
  `./lambda-instance-entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);
/** The same entry as plain JavaScript, built by `make build` (`packages/local/tsup.config.ts`). */
const builtEntry = new URL('../dist/lambda-instance-entry.mjs', import.meta.url);

/**
 * How an instance starts: a function's built bundle (plain JavaScript, a file URL) behind the
 * built entry, with no TypeScript loader, as a Lambda runtime loads it; the function's sources
 * (and the entry's, when it is not built) through tsx, as the process loads them.
 */
const threadOf = (module: string): { entry: URL; execArgv: string[] } =>
  /^file:.*\.m?js$/.test(module) && existsSync(builtEntry)
    ? { entry: builtEntry, execArgv: [] }
    : { entry, execArgv: ['--import', 'tsx'] };

/**
 * A function's Lambda execution environments, locally: each invocation runs in an instance of
 * its own, a worker thread that loaded the handler once, with its own module state (clients,
 * caches, held counters), one invocation at a time; an idle instance is reused and a new one
 * started on demand, up to `maximum`, as Lambda scales a function behind its event source
 * mappings. What one instance keeps in memory the others never see, as on AWS.
 */
export const startLambdaInstances = (options: LambdaInstancesOptions): LambdaInstances => {
  const idle: Instance[] = [];
  const all = new Set<Instance>();
  const waiting: ((instance: Instance) => void)[] = [];
  let busy = 0;
  let started = 0;
  let nextId = 0;
  let stopped = false;
  const how = threadOf(options.module);
  // What the instances that ended spent, so that the sum does not shrink when one ends.
  const ended = { active: 0, idle: 0 };
  const loopOf = (thread: Worker): EventLoopTime => {
    try {
      const { active, idle } = thread.performance.eventLoopUtilization();
      return { active, idle };
    } catch {
      return { active: 0, idle: 0 };
    }
  };
  const lastLoop = new Map<Worker, EventLoopTime>();

  const start = (): Instance => {
    started += 1;
    const thread = new Worker(how.entry, {
      workerData: {
        module: options.module,
        service: options.service,
        functionName: options.service,
        nice: options.nice ?? INSTANCE_NICE,
      },
      execArgv: how.execArgv,
      env: { ...process.env },
      // The thread's name as the kernel shows it (`fn:worker`): where its CPU time is counted.
      name: `fn:${options.service}`,
    });
    const instance: Instance = {
      thread,
      ready: new Promise<void>((resolve, reject) => {
        const onReady = (message: { ready?: boolean }) => {
          if (!message.ready) return;
          thread.off('message', onReady);
          resolve();
        };
        thread.on('message', onReady);
        thread.once('error', reject);
        // Ended before its init was done (stopped, or killed): whoever waits for it fails.
        thread.once('exit', () => reject(new Error(`${options.service} instance exited during init`)));
      }),
    };
    // Awaited by the invocation it was started for; never an unhandled rejection otherwise.
    instance.ready.catch(() => undefined);
    thread.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
      const pending = instance.pending;
      if (message.id === undefined || !pending || pending.id !== message.id) return;
      instance.pending = undefined;
      if (message.error !== undefined) pending.reject(new Error(message.error));
      else pending.resolve(message.result);
    });
    thread.on('error', (error) => {
      options.onLog?.({
        level: 'ERROR',
        message: `${options.service} instance failed`,
        error: String(error),
      });
      instance.pending?.reject(error);
      instance.pending = undefined;
      all.delete(instance);
    });
    // An instance that ends (killed at its timeout, or crashed) takes its invocation with it.
    thread.on('exit', () => {
      const last = lastLoop.get(thread);
      if (last) {
        ended.active += last.active;
        ended.idle += last.idle;
        lastLoop.delete(thread);
      }
      instance.pending?.reject(new Error(instance.ended ?? `${options.service} instance exited`));
      instance.pending = undefined;
      all.delete(instance);
    });
    all.add(instance);
    return instance;
  };

  const acquire = (): Promise<Instance> => {
    let free = idle.pop();
    // An idle instance that ended meanwhile is gone.
    while (free && !all.has(free)) free = idle.pop();
    if (free) return Promise.resolve(free);
    if (all.size < options.maximum) return Promise.resolve(start());
    return new Promise((resolve) => waiting.push(resolve));
  };

  const release = (instance: Instance) => {
    const alive = all.has(instance);
    const next = waiting.shift();
    if (!next) {
      if (alive) idle.push(instance);
      return;
    }
    // An instance that ended (timed out, crashed) is replaced by a new one for who waits.
    if (alive) next(instance);
    else if (!stopped) next(start());
  };

  return {
    invoke: async <E, R>(event: E): Promise<R> => {
      if (stopped) throw new Error(`${options.service} is stopped`);
      const instance = await acquire();
      busy += 1;
      try {
        await instance.ready;
        return await new Promise<R>((resolve, reject) => {
          const id = nextId++;
          // As Lambda does, an invocation still running at the function's timeout ends with its
          // instance: whatever it held is given up, and a new instance serves the next one.
          const timer = setTimeout(() => {
            instance.ended = `Task timed out after ${(options.timeoutMs / 1000).toFixed(2)} seconds`;
            void instance.thread.terminate();
          }, options.timeoutMs);
          const began = performance.now();
          const settle =
            <T>(then: (value: T) => void) =>
            (value: T) => {
              clearTimeout(timer);
              options.onInvoked?.(performance.now() - began);
              then(value);
            };
          instance.pending = {
            id,
            resolve: settle(resolve as (value: unknown) => void),
            reject: settle(reject),
          };
          instance.thread.postMessage({ id, event, timeoutMs: options.timeoutMs });
        });
      } finally {
        busy -= 1;
        release(instance);
      }
    },
    stats: () => ({ instances: all.size, busy, started }),
    eventLoop: () => {
      let active = ended.active;
      let idle = ended.idle;
      for (const { thread } of all) {
        const now = loopOf(thread);
        lastLoop.set(thread, now);
        active += now.active;
        idle += now.idle;
      }
      return { active, idle };
    },
    stop: async () => {
      stopped = true;
      const threads = [...all].map((i) => i.thread);
      all.clear();
      idle.length = 0;
      await Promise.all(threads.map((t) => t.terminate()));
    },
  };
};
