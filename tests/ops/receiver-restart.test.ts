import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from '@hookrelay/signing';
import { afterAll, describe, expect, it } from '@jest/globals';
import { client } from '../support/platform.js';
import { freePort, REPO_ROOT } from './ops-support.js';

interface RunningPlatform {
  readonly apiUrl: string;
  readonly receiverUrl: string;
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  readonly child: ChildProcess;
}

const dataDir = mkdtempSync(join(tmpdir(), 'hookrelay-restart-'));
const adminKey = `hr_admin_${randomBytes(16).toString('hex')}`;
const children: ChildProcess[] = [];

/** Starts `platform-process.ts` on fresh ports over `dataDir` and waits for its READY line. */
const start = async (): Promise<RunningPlatform> => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/ops/platform-process.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      TEST_DATA_DIR: dataDir,
      TEST_DYNAMODB_PORT: String(await freePort()),
      TEST_SQS_PORT: String(await freePort()),
      ADMIN_API_KEY: adminKey,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
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

const stop = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

afterAll(async () => {
  for (const child of children) await stop(child);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the reference receiver across a restart (data on disk, not DEV_IN_MEMORY)', () => {
  it('a tenant disabled before the restart is still disabled after it', async () => {
    const first = await start();
    const created = await client(first.apiUrl, adminKey).request('POST', '/v1/tenants', {
      tenant_id: 'restart-shop',
      target_url: `${first.receiverUrl}/restart-shop/webhook`,
    });
    expect(created.status).toBe(201);
    const secret: string = created.body.webhook_secret;
    const disabled = await client(first.receiverUrl).request('POST', '/restart-shop/disable');
    expect(disabled.body).toEqual({ tenant_id: 'restart-shop', enabled: false });
    await stop(first.child);

    const second = await start();
    expect(second.receiverUrl).not.toBe(first.receiverUrl);
    expect(second.dynamodbEndpoint).not.toBe(first.dynamodbEndpoint);
    expect(second.sqsEndpoint).not.toBe(first.sqsEndpoint);

    const status = await client(second.receiverUrl).request('GET', '/restart-shop/status');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ tenant_id: 'restart-shop', enabled: false });
    expect(status.body.updated_at).toEqual(expect.any(String));

    // The webhook secret survived too: a good signature is refused only because it is disabled.
    const body = JSON.stringify({ id: 'evt_restart', type: 'ping', data: {} });
    const headers = sign({
      msgId: 'evt_restart',
      timestamp: Math.floor(Date.now() / 1000),
      body,
      secrets: [secret],
    });
    const refused = await client(second.receiverUrl).request('POST', '/restart-shop/webhook', body, headers);
    expect(refused.status).toBe(503);

    await client(second.receiverUrl).request('POST', '/restart-shop/enable');
    const accepted = await client(second.receiverUrl).request('POST', '/restart-shop/webhook', body, headers);
    expect(accepted.status).toBe(200);
    await stop(second.child);
  });
});
