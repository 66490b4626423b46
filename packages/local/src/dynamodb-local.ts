import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface DynamoDbLocal {
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
const waitForPort = async (port: number, timeoutMs: number, child?: ChildProcess): Promise<void> => {
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
 * Where a machine keeps libeatmydata (Debian and Ubuntu: `apt-get install eatmydata`), which
 * turns fsync into a no-op for the process it is preloaded into.
 */
const EAT_MY_DATA = [
  '/usr/lib/x86_64-linux-gnu/libeatmydata.so',
  '/usr/lib/aarch64-linux-gnu/libeatmydata.so',
  '/usr/lib64/libeatmydata.so',
  '/usr/lib/libeatmydata.so',
  '/usr/local/lib/libeatmydata.so',
];

/**
 * How DynamoDB Local's files are written. DynamoDB Local keeps a table in SQLite with its
 * defaults (rollback journal, synchronous=FULL): every write waits for several fsyncs, about
 * 200 writes a second on this kind of machine, and that, not CPU, caps the local platform.
 * Without the fsyncs (`process`) a write still reaches the kernel before DynamoDB Local
 * answers, so it survives the platform being killed, even with SIGKILL; only a machine that
 * loses power can lose the last seconds. `LOCAL_FSYNC=1` keeps every fsync (`disk`).
 */
export const localDurability = (
  env: Record<string, string | undefined> = process.env,
  exists: (file: string) => boolean = existsSync,
): { mode: 'process' | 'disk'; preload?: string } => {
  if (env.LOCAL_FSYNC === '1') return { mode: 'disk' };
  const preload = EAT_MY_DATA.find((file) => exists(file));
  return preload ? { mode: 'process', preload } : { mode: 'disk' };
};

/**
 * DynamoDB Local has no option for the address it listens on, and listens on every interface.
 * This single-file Java program starts the same server from the same arguments on 127.0.0.1;
 * it needs the JDK's compiler (the `jdk.compiler` module), which a JRE alone lacks.
 */
const LOOPBACK_LAUNCHER = fileURLToPath(new URL('./dynamodb-local-loopback.java', import.meta.url));
let compiler: boolean | undefined;
const javaCompiles = (): boolean => {
  compiler ??= /^jdk\.compiler@/m.test(
    spawnSync('java', ['--list-modules'], { encoding: 'utf8' }).stdout ?? '',
  );
  return compiler;
};

/** The java arguments that run DynamoDB Local: on loopback when the JDK can, else the jar as shipped. */
const dynamoDbLocalLaunch = (
  canCompile: boolean = javaCompiles(),
): { readonly args: readonly string[]; readonly loopback: boolean } =>
  canCompile
    ? {
        args: [
          '-Djava.net.preferIPv4Stack=true',
          '-Ddynamodb.local.host=127.0.0.1',
          '-cp',
          'DynamoDBLocal.jar:DynamoDBLocal_lib/*',
          LOOPBACK_LAUNCHER,
        ],
        loopback: true,
      }
    : { args: ['-jar', 'DynamoDBLocal.jar'], loopback: false };

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
  const durability = localDurability();
  const launch = dynamoDbLocalLaunch();
  if (!launch.loopback) {
    options.onLog?.(
      'no Java compiler (jdk.compiler): DynamoDB Local listens on every interface, not only 127.0.0.1',
    );
  }
  const preload = options.dataDir && durability.preload ? { LD_PRELOAD: durability.preload } : {};
  const child = spawn(
    'java',
    [
      // The client compiler only: C2's compilations take a core of two for the first minutes
      // of every start, and DynamoDB Local answers about 1.4x more writes a second without
      // them (PutItem at 16 in flight, 12,000 of them); the serial collector likewise keeps
      // the second core for the platform.
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-Xmx512m',
      '-Djava.library.path=./DynamoDBLocal_lib',
      ...launch.args,
      '-sharedDb',
      ...storage,
      '-port',
      String(options.port),
    ],
    { cwd: jarDir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...preload } },
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
