import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';

const workerScript = fileURLToPath(new URL('./support/worker-process.ts', import.meta.url));
const VISIBILITY_SECONDS = 3;
const EVENTS = 25;

/** Starts the worker in a child process and resolves once it polls the queue. */
const startWorkerProcess = async (env: Record<string, string>): Promise<ChildProcess> => {
  const child = spawn(process.execPath, ['--import', 'tsx', workerScript], {
    env: { ...process.env, ...env, POWERTOOLS_LOG_LEVEL: 'WARN' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('worker ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
  });
  return child;
};

const exited = (child: ChildProcess) =>
  new Promise<NodeJS.Signals | number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.signalCode ?? child.exitCode);
    else child.once('exit', (code, signal) => resolve(signal ?? code));
  });

describe('a worker killed in the middle of a batch', () => {
  let platform: TestPlatform;
  let receiver: TestReceiver;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    platform = await startTestPlatform({ startWorker: false, visibilityTimeoutSeconds: VISIBILITY_SECONDS });
    // Slow enough that a batch is still waiting on its answers when the worker dies.
    receiver = await startReceiver(() => ({ status: 200, delayMs: 800 }));
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await receiver?.close();
    await platform?.stop();
  });

  it('loses nothing: every accepted event ends DELIVERED, redeliveries keep their webhook-id', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'crashy',
      target_url: `${receiver.url}/in`,
    });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const batch = await tenant.request('POST', '/v1/events/batch', {
      events: Array.from({ length: EVENTS }, (_, i) => ({ type: 'order.created', data: { n: i } })),
    });
    expect(batch.status).toBe(201);
    const ids: string[] = batch.body.results.map((r: { event_id: string }) => r.event_id);
    expect(ids).toHaveLength(EVENTS);

    const first = await startWorkerProcess(platform.env);
    children.push(first);
    // The first batch has reached the receiver and is waiting for its answers: kill now.
    await eventually(async () => (receiver.requests.length >= 1 ? true : undefined), 20_000);
    await new Promise((r) => setTimeout(r, 100));
    first.kill('SIGKILL');
    expect(await exited(first)).toBe('SIGKILL');

    const seenBeforeCrash = new Set(receiver.requests.map((r) => r.headers['webhook-id']));
    expect(seenBeforeCrash.size).toBeGreaterThan(0);
    // Those the receiver saw were never recorded: the worker died before their answers came.
    for (const id of seenBeforeCrash) {
      const event = await tenant.request('GET', `/v1/events/${id}`);
      expect(event.body.status).toBe('PENDING');
    }

    // A fresh worker gets the dead one's batch back once its visibility timeout runs out.
    const second = await startWorkerProcess(platform.env);
    children.push(second);
    const events = await eventually(async () => {
      const all = await Promise.all(ids.map((id) => tenant.request('GET', `/v1/events/${id}`)));
      return all.every((e) => e.body.status === 'DELIVERED') ? all.map((e) => e.body) : undefined;
    }, 60_000);
    expect(events).toHaveLength(EVENTS);

    // Every event reached the receiver; a duplicate carries the same webhook-id.
    const received = receiver.requests.map((r) => String(r.headers['webhook-id']));
    expect(new Set(received)).toEqual(new Set(ids));
    const duplicates = received.filter((id, i) => received.indexOf(id) !== i);
    expect(duplicates.length).toBeGreaterThan(0);
    for (const id of duplicates) expect(seenBeforeCrash.has(id)).toBe(true);
    // The redelivered attempt is attempt 1 again, recorded once.
    for (const event of events) {
      expect(event.deliveries[0].attempts).toHaveLength(1);
      expect(event.deliveries[0].attempts[0].attempt).toBe(1);
    }
    second.kill('SIGTERM');
    await exited(second);
  });
});
