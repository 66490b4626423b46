import { defineConfig } from 'tsup';
import { nodeBundle } from '../../tsup.lambda';

/**
 * The Lambda-like instance's entry as plain JavaScript (`dist/lambda-instance-entry.mjs`): an
 * instance that loads a function's built bundle then starts without a TypeScript loader, as a
 * Lambda runtime does (about 100 ms of CPU instead of 400, docs/benchmarks.md).
 */
export default defineConfig({
  ...nodeBundle,
  entry: { 'lambda-instance-entry': 'src/lambda-instance-entry.ts' },
});
