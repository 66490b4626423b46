import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from '@hookrelay/signing';
import { afterAll, describe, expect, it } from '@jest/globals';
import { client, receiverClient } from '../support/platform.js';
import { type RunningPlatform, signalPlatform, startPlatformProcess } from './platform-process-control.js';

const dataDir = mkdtempSync(join(tmpdir(), 'hookrelay-restart-'));
const adminKey = `hr_admin_${randomBytes(16).toString('hex')}`;
const children: ChildProcess[] = [];

const start = async (): Promise<RunningPlatform> => {
  const running = await startPlatformProcess({ dataDir, adminKey });
  children.push(running.child);
  return running;
};

const stop = (child: ChildProcess): Promise<void> => signalPlatform(child, 'SIGTERM');

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
    const disabled = await receiverClient(first.receiverUrl).request('POST', '/restart-shop/disable');
    expect(disabled.body).toEqual({ tenant_id: 'restart-shop', enabled: false });
    await stop(first.child);

    const second = await start();
    expect(second.receiverUrl).not.toBe(first.receiverUrl);
    expect(second.dynamodbEndpoint).not.toBe(first.dynamodbEndpoint);
    expect(second.sqsEndpoint).not.toBe(first.sqsEndpoint);

    const status = await receiverClient(second.receiverUrl).request('GET', '/restart-shop/status');
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
    const refused = await receiverClient(second.receiverUrl).request(
      'POST',
      '/restart-shop/webhook',
      body,
      headers,
    );
    expect(refused.status).toBe(503);

    await receiverClient(second.receiverUrl).request('POST', '/restart-shop/enable');
    const accepted = await receiverClient(second.receiverUrl).request(
      'POST',
      '/restart-shop/webhook',
      body,
      headers,
    );
    expect(accepted.status).toBe(200);
    await stop(second.child);
  });
});
