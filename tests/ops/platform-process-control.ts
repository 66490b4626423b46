import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, REPO_ROOT } from './ops-support.js';

export interface RunningPlatform {
  readonly apiUrl: string;
  readonly receiverUrl: string;
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  readonly child: ChildProcess;
}

/**
 * Starts `platform-process.ts` on fresh ports over `dataDir` and waits for its READY line.
 * `detached` makes it the leader of its own process group (DynamoDB Local's java runs in it
 * too), so that `signalGroup(child, 'SIGKILL')` is `kill -9` of a running `make dev`.
 */
export const startPlatformProcess = async (options: {
  dataDir: string;
  adminKey: string;
  detached?: boolean;
  /** The queues' visibility timeout in seconds (a stage's 180 s when absent). */
  visibilitySeconds?: number;
  /** More of the platform's environment (RETRY_SCHEDULE, say). */
  env?: Record<string, string>;
}): Promise<RunningPlatform> => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/ops/platform-process.ts'], {
    cwd: REPO_ROOT,
    detached: options.detached ?? false,
    env: {
      ...process.env,
      TEST_DATA_DIR: options.dataDir,
      TEST_DYNAMODB_PORT: String(await freePort()),
      TEST_SQS_PORT: String(await freePort()),
      ADMIN_API_KEY: options.adminKey,
      ...(options.visibilitySeconds ? { TEST_VISIBILITY_SECONDS: String(options.visibilitySeconds) } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`platform did not start: ${stderr}`)), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`platform exited with ${code}: ${stderr}`));
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const ready = buffered.split('\n').find((line) => line.startsWith('READY '));
      if (!ready) return;
      clearTimeout(timer);
      resolve({ ...(JSON.parse(ready.slice('READY '.length)) as Omit<RunningPlatform, 'child'>), child });
    });
  });
};

/** Signals the process (its whole group when it was started detached) and waits for it to exit. */
export const signalPlatform = (child: ChildProcess, signal: NodeJS.Signals, group = false): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
    child.once('exit', () => resolve());
    try {
      if (group) process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch {
      resolve();
    }
  });

/**
 * The platforms a kill test starts, one after the other on one data folder, each the leader of
 * its process group (so a kill is `kill -9` of a running `make dev`): `start` starts the next,
 * `kill` signals one, `stopAll` (in `afterAll`) kills what is left and removes the folder.
 */
export const killablePlatforms = (
  name: string,
  options: { readonly visibilitySeconds: number; readonly env?: Record<string, string> },
) => {
  const dataDir = mkdtempSync(join(tmpdir(), `hookrelay-${name}-`));
  const adminKey = `hr_admin_${randomBytes(16).toString('hex')}`;
  const children: ChildProcess[] = [];
  return {
    adminKey,
    start: async (): Promise<RunningPlatform> => {
      const running = await startPlatformProcess({ dataDir, adminKey, detached: true, ...options });
      children.push(running.child);
      return running;
    },
    kill: (child: ChildProcess, signal: NodeJS.Signals) => signalPlatform(child, signal, true),
    stopAll: async () => {
      for (const child of children) await signalPlatform(child, 'SIGKILL', true);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
