import { writeFileSync } from 'node:fs';

/** Whether this is the quick run (`make bench BENCH_QUICK=1`). */
export const QUICK = ['1', 'true', 'yes'].includes((process.env.BENCH_QUICK ?? '').toLowerCase());

/** Progress goes to stderr: stdout belongs to the handlers' logs, which the meter counts. */
export const say = (message: string): void => {
  process.stderr.write(`  ${message}\n`);
};

/**
 * Entry point of a section run in its own process: runs `main`, writes its JSON result to
 * BENCH_RESULT_FILE and exits (handlers keep sockets and timers open).
 */
export const runSection = (main: () => Promise<unknown>): void => {
  const file = process.env.BENCH_RESULT_FILE;
  if (!file) throw new Error('BENCH_RESULT_FILE is not set');
  main().then(
    (result) => {
      writeFileSync(file, JSON.stringify(result, null, 2));
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
};
