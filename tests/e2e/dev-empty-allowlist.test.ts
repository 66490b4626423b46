import { spawn } from 'node:child_process';
import { freePort } from '@hookrelay/local';
import { describe, expect, it } from '@jest/globals';
import { client } from '../support/platform.js';

/*
 * `make dev` as production sets it: DESTINATION_ALLOWLIST empty, so loopback is refused. The
 * platform starts all the same, seeds the tenants without their receiver webhooks and says so.
 */
describe('make dev with DESTINATION_ALLOWLIST=', () => {
  it('starts, seeds what it can, says what it skipped, and refuses loopback destinations', async () => {
    const [api, receiver, ingest, ddb, sqs] = await Promise.all(Array.from({ length: 5 }, () => freePort()));
    const child = spawn(process.execPath, ['--import', 'tsx', 'packages/local/src/main.ts'], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        DEV_IN_MEMORY: '1',
        DESTINATION_ALLOWLIST: '',
        ADMIN_API_KEY: 'hr_admin_empty_allowlist_test',
        API_PORT: String(api),
        RECEIVER_PORT: String(receiver),
        INGEST_PORT: String(ingest),
        DYNAMODB_PORT: String(ddb),
        SQS_PORT: String(sqs),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!out.includes('Send a first event') && Date.now() < deadline && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(out).not.toContain('failed to start');
      expect(out).toMatch(/test-tenant\s+hr_/);
      expect(out).toContain('Skipped: no webhook on the receiver for test-tenant, acme, globex');

      const admin = client(`http://127.0.0.1:${api}`, 'hr_admin_empty_allowlist_test');
      const tenant = await admin.request('GET', '/v1/tenants/acme');
      expect(tenant.status).toBe(200);
      const key = /acme\s+(hr_\S+)/.exec(out)?.[1] ?? '';
      const refused = await client(`http://127.0.0.1:${api}`, key).request('POST', '/v1/webhooks', {
        url: `http://127.0.0.1:${receiver}/acme/webhook`,
      });
      expect(refused.status).toBe(400);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 90_000);
});
