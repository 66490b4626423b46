import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engines } from '@hookrelay/local';

/**
 * Runs a section (bench/src/section-<name>.ts) in its own Node process against the shared
 * engines, and returns the JSON it wrote. Asynchronous on purpose: fauxqs lives in this
 * process's event loop and must keep answering while the child runs.
 */
export const runChild = (
  name: string,
  engines: Engines,
  env: Record<string, string> = {},
): Promise<unknown> => {
  const file = join(tmpdir(), `hookrelay-bench-${name}-${process.pid}.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `bench/src/section-${name}.ts`], {
      // The handlers' JSON logs go to stdout, as on Lambda; nobody reads them here.
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        ...env,
        BENCH_DYNAMODB_ENDPOINT: engines.dynamodbEndpoint,
        BENCH_SQS_ENDPOINT: engines.sqsEndpoint,
        BENCH_RESULT_FILE: file,
      },
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code !== 0) return reject(new Error(`section ${name} exited with ${code ?? signal}`));
      try {
        resolve(JSON.parse(readFileSync(file, 'utf8')));
      } catch (error) {
        reject(error);
      } finally {
        rmSync(file, { force: true });
      }
    });
  });
};
