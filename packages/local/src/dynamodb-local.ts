import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

const canConnect = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Waits until something accepts connections on the port, or fails after `timeoutMs`. */
export const waitForPort = async (port: number, timeoutMs: number, child?: ChildProcess): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null)
      throw new Error(`process exited with ${child.exitCode} before listening`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
};

/**
 * Starts the official DynamoDB Local jar (from the `amplify-dynamodb-simulator` npm
 * package's emulator/ folder, which `make setup` unpacks into DYNAMODB_LOCAL_DIR) with the
 * machine's java, in memory or with its files under `dataDir`.
 */
export const startDynamoDbLocal = async (options: {
  port: number;
  dataDir?: string;
  jarDir?: string;
  onLog?: (line: string) => void;
}): Promise<DynamoDbLocal> => {
  const jarDir = options.jarDir ?? process.env.DYNAMODB_LOCAL_DIR ?? '';
  if (!existsSync(join(jarDir, 'DynamoDBLocal.jar'))) {
    throw new Error(`DynamoDBLocal.jar not found in "${jarDir}" (set DYNAMODB_LOCAL_DIR or run make setup)`);
  }
  if (await canConnect(options.port))
    throw new Error(`port ${options.port} is already in use (DYNAMODB_PORT)`);
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawn(
    'java',
    [
      '-Xmx512m',
      '-Djava.library.path=./DynamoDBLocal_lib',
      '-jar',
      'DynamoDBLocal.jar',
      '-sharedDb',
      ...storage,
      '-port',
      String(options.port),
    ],
    { cwd: jarDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = (data: Buffer) => {
    for (const line of data.toString().split('\n')) if (line.trim()) options.onLog?.(line);
  };
  child.stdout?.on('data', log);
  child.stderr?.on('data', log);
  await waitForPort(options.port, 30_000, child);
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    port: options.port,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
};
