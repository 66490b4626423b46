/*
 * One Lambda-like instance: a worker thread of its own (its own module state, sockets and
 * clients), loading one function's handler once and running one invocation at a time, as a
 * Lambda execution environment does. Started by `lambda-instances.ts`.
 */
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { ServiceName } from '@hookrelay/definitions/access';
import { asFunction } from './iam/principal.js';
import { type LambdaHandler, lambdaContext } from './lambda-context.js';

interface InstanceData {
  readonly module: string;
  readonly service: ServiceName;
  readonly functionName: string;
  readonly nice: number;
}

interface Invocation {
  readonly id: number;
  readonly event: unknown;
  readonly timeoutMs: number;
}

const { module, service, functionName, nice } = workerData as InstanceData;
const port = parentPort;
if (!port) throw new Error('a Lambda instance runs in a worker thread');
// This thread only (Linux gives each thread a nice value of its own), `nice` below the thread that
// started it: the platform's threads stay as they are.
if (nice !== 0) {
  try {
    setPriority(Math.min(19, getPriority() + nice));
  } catch {
    // not allowed here: the instance runs at the platform's priority
  }
}

// Init runs with the function's role too, as a Lambda instance's does.
const loaded = (await asFunction(service, () => import(module))) as {
  handler: LambdaHandler<unknown, unknown>;
};
port.on('message', (invocation: Invocation) => {
  asFunction(service, () =>
    loaded.handler(invocation.event, lambdaContext(functionName, invocation.timeoutMs)),
  ).then(
    (result) => port.postMessage({ id: invocation.id, result: result ?? null }),
    (error: unknown) =>
      port.postMessage({ id: invocation.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
port.postMessage({ ready: true });
