import { runCli } from './cli.js';

// Entry point of the make targets: `node --import tsx packages/ops-cli/src/main.ts <command>`.
const code = await runCli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
process.exitCode = code;
