import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { queues, resourceName } from '@hookrelay/definitions';
import { freePort } from '@hookrelay/local';
import { invoicePaid } from './payload.js';
import { QUICK, runSection, say } from './section.js';
import { percentile } from './stats.js';

/**
 * The soak (issue: delivery under load): `make dev` as an operator runs it, in a process group
 * of its own over a data folder, with one tenant and four endpoints on loopback: A healthy
 * (200 in 20 ms), B flaky (500 on 30 % of requests), C slow (200 after 1.5 s) and D hanging
 * past the delivery timeout. Events arrive at 30 a second, open loop; half-way through, the
 * whole platform is killed with SIGKILL and started again on the same data. Then the run waits
 * for A, B and C to drain.
 */

const RATE = 30;
const LOAD_S = QUICK ? 120 : 360;
const KILL_AT_S = LOAD_S / 2;
const DRAIN_MAX_S = QUICK ? 240 : 420;
// Short enough that a flaky endpoint's deliveries end within the run (10 attempts in under
// 3 minutes: all ten fail for 0.3^10 of them), as an operator soaking a stage would set it.
const RETRY_SCHEDULE = '0,2s,5s,10s,15s,20s,30s,30s,30s,30s';
const SAMPLE_MS = 2_000;

type Name = 'A' | 'B' | 'C' | 'D';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Endpoint {
  readonly name: Name;
  readonly url: string;
  /** First 2xx per webhook-id (epoch ms). */
  readonly firstOk: Map<string, number>;
  requests: number;
  /** Requests for an id that had already been answered 2xx. */
  duplicates: number;
  close(): Promise<void>;
}

const startEndpoint = async (
  name: Name,
  answer: () => { status: number; delayMs: number } | 'hang',
): Promise<Endpoint> => {
  const endpoint = { name, url: '', firstOk: new Map<string, number>(), requests: 0, duplicates: 0 };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      endpoint.requests += 1;
      const id = String(req.headers['webhook-id'] ?? '');
      if (endpoint.firstOk.has(id)) endpoint.duplicates += 1;
      const a = answer();
      if (a === 'hang') return;
      setTimeout(() => {
        if (a.status < 300 && !endpoint.firstOk.has(id)) endpoint.firstOk.set(id, Date.now());
        res.writeHead(a.status, { 'content-type': 'application/json' }).end('{}');
      }, a.delayMs);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(endpoint, {
    url: `http://127.0.0.1:${port}/hooks/${name}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
};

/** Resident memory of every process in a group (the platform's node and DynamoDB Local's java), MB. */
const groupRssMb = (pgid: number): Promise<number> =>
  new Promise((resolve) => {
    execFile('ps', ['-eo', 'pgid=,rss='], (error, out) => {
      if (error) return resolve(0);
      let kb = 0;
      for (const line of String(out).split('\n')) {
        const [g, rss] = line.trim().split(/\s+/);
        if (Number(g) === pgid) kb += Number(rss ?? 0);
      }
      resolve(Math.round(kb / 1024));
    });
  });

runSection(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookrelay-soak-'));
  const adminKey = `hr_admin_${randomBytes(16).toString('hex')}`;
  const ports = {
    api: await freePort(),
    receiver: await freePort(),
    ingest: await freePort(),
    ddb: await freePort(),
    sqs: await freePort(),
  };
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  let platform: ChildProcess | undefined;

  const startPlatformProcess = async (): Promise<{ child: ChildProcess; startedInMs: number }> => {
    const t = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'packages/local/src/main.ts'], {
      detached: true,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        DEV_DATA_DIR: dataDir,
        API_PORT: String(ports.api),
        RECEIVER_PORT: String(ports.receiver),
        INGEST_PORT: String(ports.ingest),
        DYNAMODB_PORT: String(ports.ddb),
        SQS_PORT: String(ports.sqs),
        ADMIN_API_KEY: adminKey,
        RETRY_SCHEDULE,
        POWERTOOLS_LOG_LEVEL: 'WARN',
      },
    });
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the platform exited with ${child.exitCode}`);
      const up = await fetch(`${apiUrl}/v1/openapi.json`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) return { child, startedInMs: Date.now() - t };
      await sleep(200);
    }
  };
  const killGroup = async (child: ChildProcess, signal: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid, signal);
    } catch {
      return;
    }
    await exited;
  };

  const endpoints: Record<Name, Endpoint> = {
    A: await startEndpoint('A', () => ({ status: 200, delayMs: 20 })),
    B: await startEndpoint('B', () => ({ status: Math.random() < 0.3 ? 500 : 200, delayMs: 5 })),
    C: await startEndpoint('C', () => ({ status: 200, delayMs: 1500 })),
    D: await startEndpoint('D', () => 'hang'),
  };
  const sqs = new SQSClient({
    endpoint: `http://127.0.0.1:${ports.sqs}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    let started = await startPlatformProcess();
    platform = started.child;
    const pgid = platform.pid ?? 0;
    say(`soak: platform up in ${started.startedInMs} ms`);
    const admin = (path: string, body: unknown, key = adminKey) =>
      fetch(`${apiUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    const tenant = await admin('/v1/tenants', { tenant_id: 'soak', target_url: endpoints.A.url });
    const apiKey = String(tenant.body.api_key);
    for (const name of ['B', 'C', 'D'] as const) {
      const created = await admin('/v1/webhooks', { url: endpoints[name].url, description: name }, apiKey);
      if (created.status !== 201) throw new Error(`webhook ${name}: ${created.status}`);
    }
    // `make dev` runs the stage "local".
    const queueUrls = await Promise.all(
      [queues.deliveries, queues.slow, queues.dlq].map(
        async (queue) =>
          (await sqs.send(new GetQueueUrlCommand({ QueueName: resourceName(queue.baseName, 'local') })))
            .QueueUrl ?? '',
      ),
    );
    const depth = async (url: string) => {
      const out = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      );
      const a = out.Attributes ?? {};
      return (
        Number(a.ApproximateNumberOfMessages ?? 0) +
        Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) +
        Number(a.ApproximateNumberOfMessagesDelayed ?? 0)
      );
    };

    // Sampling: queued + in-flight messages against deliveries outstanding, and memory.
    const accepted = new Map<string, number>();
    let refused = 0;
    let serverErrors = 0;
    // What the requests that were not accepted got: a status, or why no answer came.
    const answers: Record<string, number> = {};
    let amplification = { ratio: 0, messages: 0, outstanding: 0 };
    let rssMax = 0;
    let sampling = true;
    // Queue depths every 10 s from the start of the load (messages waiting, delayed or in flight).
    const loadStart = Date.now();
    const timeline: { t: number; main: number; slow: number; dlq: number }[] = [];
    let nextTimelineS = 0;
    const done = (name: Name) => endpoints[name].firstOk.size;
    const sampler = (async () => {
      while (sampling) {
        await sleep(SAMPLE_MS);
        try {
          const [main, slow, dlq] = await Promise.all(queueUrls.map(depth));
          const messages = (main ?? 0) + (slow ?? 0);
          const t = Math.round((Date.now() - loadStart) / 1000);
          if (t >= nextTimelineS) {
            timeline.push({ t, main: main ?? 0, slow: slow ?? 0, dlq: dlq ?? 0 });
            nextTimelineS = t + 10;
          }
          const outstanding = accepted.size * 4 - done('A') - done('B') - done('C') - (dlq ?? 0);
          if (outstanding > 0 && messages > amplification.messages) {
            amplification = { ratio: messages / outstanding, messages, outstanding };
          }
        } catch {
          // The platform is down (the kill): nothing to sample.
        }
        rssMax = Math.max(rssMax, await groupRssMb(platform?.pid ?? pgid));
      }
    })();

    say(`soak: ${RATE} events/s for ${LOAD_S} s to A, B, C and D; SIGKILL and restart at ${KILL_AT_S} s`);
    const interval = 1000 / RATE;
    const total = RATE * LOAD_S;
    const t0 = performance.now();
    const sends: Promise<void>[] = [];
    let killed = false;
    let restartS = 0;
    let restart: Promise<void> | undefined;
    for (let k = 0; k < total; k++) {
      const wait = t0 + k * interval - performance.now();
      if (wait > 0) await sleep(wait);
      if (!killed && k >= KILL_AT_S * RATE) {
        killed = true;
        const victim = platform;
        restart = (async () => {
          await killGroup(victim, 'SIGKILL');
          say('soak: platform killed (SIGKILL to its process group); starting it again on its data');
          started = await startPlatformProcess();
          platform = started.child;
          restartS = started.startedInMs / 1000;
          say(`soak: platform back in ${started.startedInMs} ms`);
        })();
      }
      sends.push(
        fetch(`${apiUrl}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(invoicePaid(k)),
          // A client gives up after 30 s, as API Gateway does (29 s).
          signal: AbortSignal.timeout(30_000),
        }).then(
          async (res) => {
            const body = (await res.json().catch(() => ({}))) as { event_id?: string };
            if (res.status === 201 && body.event_id) accepted.set(body.event_id, Date.now());
            else {
              if (res.status >= 500) serverErrors += 1;
              else refused += 1;
              answers[res.status] = (answers[res.status] ?? 0) + 1;
            }
          },
          (error: unknown) => {
            refused += 1;
            const name =
              error instanceof Error
                ? error.cause instanceof Error
                  ? error.cause.name
                  : error.name
                : 'error';
            answers[name] = (answers[name] ?? 0) + 1;
          },
        ),
      );
    }
    await Promise.all(sends);
    await restart;
    const loadEnd = Date.now();
    say(`soak: load done, ${accepted.size} accepted, ${refused} refused while down; draining`);

    const drained = (names: readonly Name[]) =>
      names.every((n) => [...accepted.keys()].every((id) => endpoints[n].firstOk.has(id)));
    let drainS: number | null = null;
    const deadline = loadEnd + DRAIN_MAX_S * 1000;
    while (Date.now() < deadline) {
      if (drainS === null && drained(['A', 'C'])) drainS = (Date.now() - loadEnd) / 1000;
      if (drainS !== null && drained(['A', 'B', 'C'])) break;
      await sleep(1000);
    }
    sampling = false;
    await sampler;

    const lostBy = Object.fromEntries(
      (['A', 'B', 'C'] as const).map((n) => [
        n,
        [...accepted.keys()].filter((id) => !endpoints[n].firstOk.has(id)).length,
      ]),
    );
    const healthy = [...accepted.entries()]
      .map(([id, at]) => (endpoints.A.firstOk.get(id) ?? Number.NaN) - at)
      .filter((ms) => Number.isFinite(ms));
    // An endpoint's latency by when the event was accepted, 20 s at a time: where the slow ones were.
    const byWindow = (name: Name) => {
      const windows = new Map<number, number[]>();
      for (const [id, at] of accepted) {
        const ok = endpoints[name].firstOk.get(id);
        if (ok === undefined) continue;
        const w = Math.floor((at - loadStart) / 20_000) * 20;
        windows.set(w, [...(windows.get(w) ?? []), ok - at]);
      }
      return [...windows.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([from_s, ms]) => ({
          from_s,
          events: ms.length,
          p50_ms: Math.round(percentile(ms, 50)),
          p99_ms: Math.round(percentile(ms, 99)),
        }));
    };
    const result = {
      rate: RATE,
      seconds: LOAD_S,
      kill_at_s: KILL_AT_S,
      restart_s: Math.round(restartS * 10) / 10,
      retry_schedule: RETRY_SCHEDULE,
      accepted: accepted.size,
      refused_while_down: refused,
      server_errors: serverErrors,
      not_accepted: answers,
      lost: Object.values(lostBy).reduce((a, b) => a + b, 0),
      lost_by_endpoint: lostBy,
      duplicates: endpoints.A.duplicates + endpoints.B.duplicates + endpoints.C.duplicates,
      healthy_p50_ms: Math.round(percentile(healthy, 50)),
      healthy_p99_ms: Math.round(percentile(healthy, 99)),
      drain_s: drainS === null ? null : Math.round(drainS),
      amplification: Math.round(amplification.ratio * 1000) / 1000,
      amplification_at: { messages: amplification.messages, outstanding: amplification.outstanding },
      rss_mb_max: rssMax,
      healthy_by_window: byWindow('A'),
      slow_by_window: byWindow('C'),
      queue_timeline: timeline,
      endpoints: Object.fromEntries(
        Object.values(endpoints).map((e) => [
          e.name,
          { requests: e.requests, ok: e.firstOk.size, duplicates: e.duplicates },
        ]),
      ),
    };
    say(`soak: ${JSON.stringify(result)}`);
    return result;
  } finally {
    if (platform) await killGroup(platform, 'SIGTERM');
    for (const e of Object.values(endpoints)) await e.close();
    sqs.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
