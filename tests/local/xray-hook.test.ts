import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

const ROOT = join(import.meta.dirname, '../..');
const run = promisify(execFile);

/**
 * Loads the worker's handler in a fresh Node process, with the environment the local platform
 * gives its handlers (or that environment without one variable), and says whether the X-Ray
 * SDK started following the process's promises (cls-hooked keeps its namespaces on `process`).
 */
const xrayNamespaceAfterLoad = async (without?: string): Promise<boolean> => {
  const code = `
    import { platformEnv } from '@hookrelay/local';
    const env = platformEnv({ adminKey: 'hr_admin_x' }, { dynamodb: 'http://127.0.0.1:1', sqs: 'http://127.0.0.1:1' }, {});
    ${without ? `delete env[${JSON.stringify(without)}];` : ''}
    Object.assign(process.env, env);
    await import('@hookrelay/worker/handler');
    process.stdout.write(JSON.stringify(Boolean(process.namespaces?.AWSXRay)));
  `;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: join(ROOT, 'tests'),
    env: { PATH: process.env.PATH ?? '' },
    timeout: 60_000,
  });
  return JSON.parse(stdout) as boolean;
};

describe('the local platform does not pay for tracing it does not do', () => {
  it('loads the traced handlers without the X-Ray SDK hooking every promise', async () => {
    expect(await xrayNamespaceAfterLoad('AWS_XRAY_MANUAL_MODE')).toBe(true);
    expect(await xrayNamespaceAfterLoad()).toBe(false);
  }, 120_000);
});
