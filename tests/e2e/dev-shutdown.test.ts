import { spawn } from 'node:child_process';
import { freePort } from '@hookrelay/local';
import { describe, expect, it } from '@jest/globals';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('make dev', () => {
  it('starts, prints keys, portal links and a first curl, and leaves no child running after SIGTERM', async () => {
    const [api, receiver, ingest, ddb, sqs] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const child = spawn(process.execPath, ['--import', 'tsx', 'packages/local/src/main.ts'], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        DEV_IN_MEMORY: '1',
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
    const deadline = Date.now() + 60_000;
    while (!out.includes('Send a first event') && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(out).toContain(`http://127.0.0.1:${api}`);
    expect(out).toMatch(/test-tenant\s+hr_/);
    expect(out).toMatch(/curl -s -X POST/);
    // Each seeded tenant's portal link opens that tenant's session.
    const link = /acme\s+(http:\/\/127\.0\.0\.1:\d+\/portal\?session=ps_\w+#token=(hrps_\S+))/.exec(out);
    expect(link).not.toBeNull();
    const session = await fetch(`http://127.0.0.1:${api}/v1/portal/session`, {
      headers: { authorization: `Bearer ${link?.[2]}` },
    });
    expect([session.status, ((await session.json()) as { tenant_id?: string }).tenant_id]).toEqual([
      200,
      'acme',
    ]);

    // The JVM behind DynamoDB Local is the one child process the platform starts.
    const { execFileSync } = await import('node:child_process');
    const javaPids = execFileSync('pgrep', ['-f', `DynamoDBLocal.jar.* ${ddb}$`])
      .toString()
      .trim()
      .split('\n')
      .map(Number);
    expect(javaPids.length).toBeGreaterThan(0);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(javaPids.filter(alive)).toEqual([]);
  });
});
