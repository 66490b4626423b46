import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_SWEEP_GRACE_MS, queueNameOf, queues } from '@hookrelay/definitions';
import { freePort, type LocalUsage } from '@hookrelay/local';
import {
  awsCallsPerDelivery,
  type CpuBreakdown,
  type CpuSnapshot,
  cpuBreakdown,
  cpuSnapshot,
  watchedProcesses,
} from './cpu-accounting.js';
import { type Arrival, countOrderViolations } from './order-violations.js';
import { invoicePaid } from './payload.js';
import { loadPrices, price, type Usage } from './pricing.js';
import { QUICK, runSection, say } from './section.js';
import { percentile } from './stats.js';

/**
 * The soak, on production's topology: `make dev` as an operator runs it (each lane's mapping at
 * a production stage's maximum concurrency and batch size, the worker in Lambda-like instances,
 * every AWS call checked against its function's IAM statements, what a killed platform held
 * coming back only after the visibility timeout), in a process group of its own over a data
 * folder. Tenant 1 has four endpoints on loopback: A healthy (200 in 20 ms), B flaky (500 on
 * 30 % of requests), C slow (200 after 1.5 s) and D hanging past the delivery timeout, and sends
 * 30 events a second, each to all four; tenant 2 has one healthy endpoint, E, and sends 5 a
 * second. Tenant 1 also has F, ordered per key (`ordering: "per_key"`, 500 on 10 % of requests),
 * and sends it 10 events a second of another type, keyed over 100 keys, each key's next event sent
 * once the API has accepted its previous one (so the acceptance order is the order sent); F's
 * receiver logs the order deliveries arrive in, and `order_violations` counts, per key, what
 * arrived out of acceptance order. Open loop; half-way through, the whole platform is killed with SIGKILL and started
 * again on the same data. Then the run waits for A, B, C and E to drain, and for what the killed
 * platform held to come back.
 */

/** A number from the environment, else the issue's figure. */
const setting = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, not "${raw}"`);
  return value;
};
/** Events a second from tenant 1, each to A, B, C and D (`SOAK_RATE`; the issue's 30). */
const RATE = setting('SOAK_RATE', 30);
/** Events a second from tenant 2 to E (`SOAK_TENANT2_RATE`; 5). */
const TENANT2_RATE = setting('SOAK_TENANT2_RATE', 5);
/** Events a second to the ordered endpoint F (`SOAK_ORDERED_RATE`): a third of the others', for a 2-core machine. */
const ORDERED_RATE = setting('SOAK_ORDERED_RATE', 10);
const ORDERED_KEYS = 100;
const ORDERED_TYPE = 'order.updated';
const LOAD_S = setting('SOAK_LOAD_S', QUICK ? 120 : 360);
/** `SOAK_KILL=0` runs the load with no kill: a steady state, for the CPU breakdown alone. */
const KILL = process.env.SOAK_KILL !== '0';
const KILL_AT_S = LOAD_S / 2;
/**
 * The CPU breakdown's window: from this long after the load starts (instances started, the
 * pollers scaled up) to the kill, or to the load's end when there is none.
 */
const CPU_WARMUP_S = Math.min(20, LOAD_S / 4);
/**
 * `SOAK_CPU_PROFILE=<file>`: the platform's main thread is profiled over the same window and the
 * profile written there (`bench/src/profile-split.ts` splits it by component).
 */
const PROFILE = process.env.SOAK_CPU_PROFILE;
/** The delivery queues' visibility timeout: what the killed platform held comes back after it. */
const VISIBILITY_S = queues.deliveries.visibilityTimeoutSeconds;
// Long enough for the held messages to come back (the visibility timeout after the kill) and drain.
const DRAIN_MAX_S = setting(
  'SOAK_DRAIN_MAX_S',
  Math.max(QUICK ? 240 : 420, KILL ? VISIBILITY_S + 90 + (LOAD_S - KILL_AT_S) : 0),
);
/**
 * A delivery accepted before the kill whose first 2xx came this long after it was sent was held
 * by the killed platform and came back after the visibility timeout (the others are a few
 * seconds late at most): counted in crash_recovery_s, not in the latencies or the drain.
 */
const HELD_AFTER_MS = (VISIBILITY_S - 40) * 1000;
// Short enough that a flaky endpoint's deliveries end within the run (10 attempts in under
// 3 minutes: all ten fail for 0.3^10 of them), as an operator soaking a stage would set it.
const RETRY_SCHEDULE = '0,2s,5s,10s,15s,20s,30s,30s,30s,30s';
const SAMPLE_MS = 2_000;

type Name = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';
type LoopTime = { active: number; idle: number };
type EventLoops = { main: LoopTime; instances: LoopTime };
/** What the platform's stats line says at a moment: its loops, its AWS calls, its instances. */
type PlatformReading = {
  event_loop?: EventLoops;
  aws_calls?: Record<string, number>;
  instances?: { instances: number; busy: number; started: number };
};
/** Share of the time a loop (or loops, summed) ran between two readings. */
const utilization = (start: LoopTime | undefined, end: LoopTime | undefined): number | null => {
  if (!start || !end) return null;
  const active = end.active - start.active;
  const idle = end.idle - start.idle;
  return active + idle > 0 ? Math.round((active / (active + idle)) * 1000) / 1000 : null;
};
/** One event source mapping as the platform runs it (`Platform.topology`). */
type RanMapping = { name: string; service: string; batchSize: number; maximumConcurrency: number };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Endpoint {
  readonly name: Name;
  readonly url: string;
  /** First 2xx per webhook-id (epoch ms). */
  readonly firstOk: Map<string, number>;
  requests: number;
  /** Requests for an id that had already been answered 2xx. */
  duplicates: number;
  /** Every request in the order it came, its outcome filled in when answered. */
  readonly arrivals: Arrival[];
  close(): Promise<void>;
}

const startEndpoint = async (
  name: Name,
  answer: () => { status: number; delayMs: number } | 'hang',
): Promise<Endpoint> => {
  const endpoint = {
    name,
    url: '',
    firstOk: new Map<string, number>(),
    requests: 0,
    duplicates: 0,
    arrivals: [] as Arrival[],
  };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      endpoint.requests += 1;
      const id = String(req.headers['webhook-id'] ?? '');
      if (endpoint.firstOk.has(id)) endpoint.duplicates += 1;
      // The arrival now, its 2xx apart when it is answered: an event of the same key that comes
      // in meanwhile did not wait for this one.
      endpoint.arrivals.push({ eventId: id, ok: false, phase: 'arrived' });
      const a = answer();
      if (a === 'hang') return;
      setTimeout(() => {
        if (a.status < 300) endpoint.arrivals.push({ eventId: id, ok: true, phase: 'answered' });
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

/**
 * The run's bill: what the platform processes' functions used (counted at their IAM fronts and
 * invokers, `UsageMeter`) and the API requests made, priced with the cost section's price table
 * at each function's configured memory.
 */
const billOf = async (reports: readonly (LocalUsage | undefined)[], apiGatewayRequests: number) => {
  const infra = (await import(new URL('../../infra/src/stateless-stack.ts', import.meta.url).href)) as {
    FUNCTION_SIZING: Record<string, { memoryMb: number }>;
  };
  const lambda: Record<string, { invocations: number; gbSeconds: number }> = {};
  let dynamodbRru = 0;
  let dynamodbWru = 0;
  let sqsRequests = 0;
  for (const report of reports) {
    if (!report) continue;
    for (const [fn, used] of Object.entries(report.lambda)) {
      const memoryMb = infra.FUNCTION_SIZING[fn]?.memoryMb ?? 0;
      const before = lambda[fn] ?? { invocations: 0, gbSeconds: 0 };
      lambda[fn] = {
        invocations: before.invocations + used.invocations,
        gbSeconds: before.gbSeconds + (used.billedMs * memoryMb) / 1024 / 1000,
      };
    }
    dynamodbRru += report.dynamodbRru;
    dynamodbWru += report.dynamodbWru;
    sqsRequests += report.sqsRequests;
  }
  const usage: Usage = { apiGatewayRequests, lambda, dynamodbRru, dynamodbWru, sqsRequests };
  return { ...price(usage, loadPrices()), usage };
};

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
  /** SQS messages each platform process reported sending, the latest count of each. */
  const messagesSent: number[] = [];
  /** What each platform process's functions used, as AWS bills it: the latest report of each. */
  const usages: (LocalUsage | undefined)[] = [];
  /** The running platform's loops, calls and instances, as its latest stats line had them. */
  let reading: PlatformReading = {};
  /** Requests the run made of the API, each billed by API Gateway. */
  let apiRequests = 0;
  /** The event source mappings as the platform said it runs them. */
  let ranMappings: RanMapping[] = [];

  const startPlatformProcess = async (): Promise<{ child: ChildProcess; startedInMs: number }> => {
    const t = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'packages/local/src/main.ts'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
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
        STATS_INTERVAL_MS: '1000',
        // The worker's instances load its Lambda bundle (built by make bench), as AWS runs it.
        LAMBDA_BUNDLES: '1',
        ...(PROFILE ? { LOCAL_CPU_PROFILE: PROFILE } : {}),
      },
    });
    const slot = messagesSent.push(0) - 1;
    usages.push(undefined);
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.includes('"event source mappings"')) {
          try {
            ranMappings = (JSON.parse(line) as { topology?: RanMapping[] }).topology ?? [];
          } catch {
            // not the platform's line
          }
          continue;
        }
        if (!line.includes('"messages_sent"')) continue;
        try {
          const stats = JSON.parse(line) as PlatformReading & { messages_sent?: number; usage?: LocalUsage };
          messagesSent[slot] = Number(stats.messages_sent ?? 0);
          if (stats.usage) usages[slot] = stats.usage;
          reading = stats;
        } catch {
          // not a stats line
        }
      }
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
    E: await startEndpoint('E', () => ({ status: 200, delayMs: 20 })),
    F: await startEndpoint('F', () => ({ status: Math.random() < 0.1 ? 500 : 200, delayMs: 5 })),
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
    const request = (method: string, path: string, key: string, body?: unknown) => {
      apiRequests += 1;
      return fetch(`${apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    };
    const tenant = await request('POST', '/v1/tenants', adminKey, {
      tenant_id: 'soak',
      target_url: endpoints.A.url,
    });
    const apiKey = String(tenant.body.api_key);
    const webhookIds: Partial<Record<Name, string>> = {
      A: String((tenant.body.webhook as { id?: string } | undefined)?.id ?? ''),
    };
    // A to D get the invoices, F the ordered events.
    const patched = await request('PATCH', `/v1/webhooks/${webhookIds.A}`, apiKey, {
      events: ['invoice.paid'],
    });
    if (patched.status !== 200) throw new Error(`webhook A: ${patched.status}`);
    for (const name of ['B', 'C', 'D', 'F'] as const) {
      const created = await request('POST', '/v1/webhooks', apiKey, {
        url: endpoints[name].url,
        description: name,
        ...(name === 'F' ? { events: [ORDERED_TYPE], ordering: 'per_key' } : { events: ['invoice.paid'] }),
      });
      if (created.status !== 201) throw new Error(`webhook ${name}: ${created.status}`);
      webhookIds[name] = String((created.body.webhook as { id?: string } | undefined)?.id ?? created.body.id);
    }
    const tenant2 = await request('POST', '/v1/tenants', adminKey, {
      tenant_id: 'soak-2',
      target_url: endpoints.E.url,
    });
    const apiKey2 = String(tenant2.body.api_key);
    // `make dev` runs the stage "local".
    const queueUrls = await Promise.all(
      [queues.deliveries, queues.slow, queues.dlq, queues.ordered].map(
        async (queue) =>
          (await sqs.send(new GetQueueUrlCommand({ QueueName: queueNameOf(queue, 'local') }))).QueueUrl ?? '',
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

    // When each accepted event's request was sent (latencies count the API's own time), by tenant.
    const accepted = new Map<string, number>();
    const accepted2 = new Map<string, number>();
    // F's events: when each was sent, its key, and each key's events in the order accepted.
    const acceptedF = new Map<string, number>();
    const keyOf = new Map<string, string>();
    const acceptedByKey = new Map<string, string[]>();
    let apiErrors = 0;
    let refusedWhileDown = 0;
    // What the requests that were not accepted got: a status, or why no answer came.
    const answers: Record<string, number> = {};
    let amplification = { ratio: 0, messages: 0, outstanding: 0 };
    let rssMax = 0;
    let sampling = true;
    let down = false;
    // Queue depths every 10 s from the start of the load (messages waiting, delayed or in flight).
    const loadStart = Date.now();
    const timeline: { t: number; main: number; slow: number; ordered: number; dlq: number }[] = [];
    let nextTimelineS = 0;
    const done = (name: Name) => endpoints[name].firstOk.size;
    const sampler = (async () => {
      while (sampling) {
        await sleep(SAMPLE_MS);
        try {
          const [main, slow, dlq, ordered] = await Promise.all(queueUrls.map(depth));
          const messages = (main ?? 0) + (slow ?? 0) + (ordered ?? 0);
          const t = Math.round((Date.now() - loadStart) / 1000);
          if (t >= nextTimelineS) {
            timeline.push({ t, main: main ?? 0, slow: slow ?? 0, ordered: ordered ?? 0, dlq: dlq ?? 0 });
            nextTimelineS = t + 10;
          }
          // Every delivery accepted and not yet received with a 2xx, nor dead-lettered.
          const outstanding =
            accepted.size * 4 +
            accepted2.size +
            acceptedF.size -
            done('A') -
            done('B') -
            done('C') -
            done('E') -
            done('F') -
            (dlq ?? 0);
          if (outstanding >= 100 && messages / outstanding > amplification.ratio) {
            amplification = { ratio: messages / outstanding, messages, outstanding };
          }
        } catch {
          // The platform is down (the kill): nothing to sample.
        }
        rssMax = Math.max(rssMax, await groupRssMb(platform?.pid ?? pgid));
      }
    })();

    const send = (
      key: string,
      into: Map<string, number>,
      k: number,
      body: unknown = invoicePaid(k),
    ): Promise<string | undefined> => {
      apiRequests += 1;
      const sentAt = Date.now();
      const whileDown = down;
      return fetch(`${apiUrl}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        // A client gives up after 30 s, as API Gateway does (29 s).
        signal: AbortSignal.timeout(30_000),
      }).then(
        async (res) => {
          const body = (await res.json().catch(() => ({}))) as { event_id?: string };
          if (res.status === 201 && body.event_id) {
            into.set(body.event_id, sentAt);
            return body.event_id;
          } else {
            if (whileDown || down) refusedWhileDown += 1;
            else apiErrors += 1;
            answers[res.status] = (answers[res.status] ?? 0) + 1;
          }
          return undefined;
        },
        (error: unknown) => {
          if (whileDown || down) refusedWhileDown += 1;
          else apiErrors += 1;
          const name =
            error instanceof Error ? (error.cause instanceof Error ? error.cause.name : error.name) : 'error';
          answers[name] = (answers[name] ?? 0) + 1;
          return undefined;
        },
      );
    };
    // Each key's next event is sent once the one before it has its answer.
    const keyLines = new Map<string, Promise<unknown>>();
    const sendOrdered = (k: number) => {
      const orderingKey = `customer-${k % ORDERED_KEYS}`;
      const line = (keyLines.get(orderingKey) ?? Promise.resolve()).then(async () => {
        const eventId = await send(apiKey, acceptedF, k, {
          type: ORDERED_TYPE,
          ordering_key: orderingKey,
          data: { customer: orderingKey, n: k },
        });
        if (eventId === undefined) return;
        keyOf.set(eventId, orderingKey);
        acceptedByKey.set(orderingKey, [...(acceptedByKey.get(orderingKey) ?? []), eventId]);
      });
      keyLines.set(orderingKey, line);
      return line;
    };

    say(
      `soak: tenant 1 at ${RATE} events/s to A, B, C and D and ${ORDERED_RATE}/s over ${ORDERED_KEYS} keys to F, tenant 2 at ${TENANT2_RATE}/s to E, for ${LOAD_S} s; ${KILL ? `SIGKILL and restart at ${KILL_AT_S} s` : 'no kill'}`,
    );
    const interval = 1000 / RATE;
    const total = RATE * LOAD_S;
    // The k-th tick of tenant 1 carries another stream's event when that stream's count moves on.
    const due = (k: number, rate: number) =>
      Math.floor((k * rate) / RATE) !== Math.floor(((k - 1) * rate) / RATE);
    let orderedSent = 0;
    const t0 = performance.now();
    const sends: Promise<unknown>[] = [];
    let killed = false;
    let killedAt = 0;
    let restartS = 0;
    let restart: Promise<void> | undefined;
    // The CPU breakdown's window, on the first platform's steady state.
    const cpuWindow: {
      start?: CpuSnapshot;
      end?: CpuSnapshot;
      from?: PlatformReading;
      to?: PlatformReading;
      /** Requests the endpoints had received (every attempt, D's included) at each end. */
      requestsFrom?: number;
      requestsTo?: number;
    } = {};
    const snapshot = () => cpuSnapshot(watchedProcesses(pgid, process.pid));
    const requestsSoFar = () => Object.values(endpoints).reduce((sum, e) => sum + e.requests, 0);
    for (let k = 0; k < total; k++) {
      const wait = t0 + k * interval - performance.now();
      if (wait > 0) await sleep(wait);
      if (!cpuWindow.start && k >= CPU_WARMUP_S * RATE) {
        cpuWindow.start = snapshot();
        cpuWindow.from = reading;
        cpuWindow.requestsFrom = requestsSoFar();
        if (PROFILE) process.kill(pgid, 'SIGUSR2');
      }
      if (KILL && !killed && k >= KILL_AT_S * RATE) {
        cpuWindow.end = snapshot();
        cpuWindow.to = reading;
        cpuWindow.requestsTo = requestsSoFar();
        if (PROFILE) process.kill(pgid, 'SIGUSR2');
        killed = true;
        const victim = platform;
        restart = (async () => {
          down = true;
          killedAt = Date.now();
          await killGroup(victim, 'SIGKILL');
          say('soak: platform killed (SIGKILL to its process group); starting it again on its data');
          started = await startPlatformProcess();
          platform = started.child;
          down = false;
          restartS = started.startedInMs / 1000;
          say(`soak: platform back in ${started.startedInMs} ms`);
        })();
      }
      sends.push(send(apiKey, accepted, k));
      if (due(k, TENANT2_RATE)) sends.push(send(apiKey2, accepted2, total + k));
      if (due(k, ORDERED_RATE)) sends.push(sendOrdered(2 * total + orderedSent++));
    }
    if (!cpuWindow.end) {
      cpuWindow.end = snapshot();
      cpuWindow.to = reading;
      cpuWindow.requestsTo = requestsSoFar();
      if (PROFILE) process.kill(pgid, 'SIGUSR2');
    }
    await Promise.all(sends);
    await restart;
    const loadEnd = Date.now();
    say(
      `soak: load done, ${accepted.size} + ${acceptedF.size} + ${accepted2.size} accepted, ${refusedWhileDown} refused while down; draining`,
    );

    // Held by the killed platform: accepted before the kill, received only after the visibility timeout.
    const heldBy = (name: Name, into: Map<string, number>) =>
      new Set(
        [...into.entries()]
          .filter(([id, at]) => {
            if (at >= killedAt) return false;
            const ok = endpoints[name].firstOk.get(id);
            return ok === undefined ? false : ok - at >= HELD_AFTER_MS;
          })
          .map(([id]) => id),
      );
    const tenantOf = (name: Name) => (name === 'E' ? accepted2 : name === 'F' ? acceptedF : accepted);
    const allReceived = (names: readonly Name[]) =>
      names.every((n) => [...tenantOf(n).keys()].every((id) => endpoints[n].firstOk.has(id)));
    const deadline = loadEnd + DRAIN_MAX_S * 1000;
    while (Date.now() < deadline && !allReceived(['A', 'B', 'C', 'E', 'F'])) await sleep(1000);
    // Load end → the last delivery to A, B, C or E received, leaving out what the killed one held.
    const drainS = allReceived(['A', 'B', 'C', 'E'])
      ? Math.max(
          0,
          ...(['A', 'B', 'C', 'E'] as const).flatMap((n) => {
            const held = heldBy(n, tenantOf(n));
            return [...tenantOf(n).keys()]
              .filter((id) => !held.has(id))
              .map((id) => ((endpoints[n].firstOk.get(id) ?? loadEnd) - loadEnd) / 1000);
          }),
        )
      : null;
    const drainEnd = Date.now();
    sampling = false;
    await sampler;

    // D's deliveries: each received, FAILED, or PENDING with an attempt scheduled; else unaccounted.
    const dStates: Record<string, number> = {};
    let unaccounted = 0;
    const ids = [...accepted.keys()];
    for (let i = 0; i < ids.length; i += 20) {
      await Promise.all(
        ids.slice(i, i + 20).map(async (id) => {
          const event = await request('GET', `/v1/events/${id}`, apiKey).catch(() => undefined);
          const deliveries = (event?.body.deliveries ?? []) as {
            webhook_id: string;
            status: string;
            next_attempt_at?: string;
          }[];
          const d = deliveries.find((x) => x.webhook_id === webhookIds.D);
          const state = d
            ? d.status === 'PENDING' && !d.next_attempt_at
              ? 'PENDING unscheduled'
              : d.status
            : 'missing';
          dStates[state] = (dStates[state] ?? 0) + 1;
          const received = endpoints.D.firstOk.has(id);
          if (!received && state !== 'DELIVERED' && state !== 'FAILED' && state !== 'PENDING')
            unaccounted += 1;
        }),
      );
    }

    const lostBy = Object.fromEntries(
      (['A', 'B', 'C', 'E', 'F'] as const).map((n) => [
        n,
        [...tenantOf(n).keys()].filter((id) => !endpoints[n].firstOk.has(id)).length,
      ]),
    );
    const latencies = (name: Name) => {
      const held = heldBy(name, tenantOf(name));
      return [...tenantOf(name).entries()]
        .filter(([id]) => !held.has(id))
        .map(([id, at]) => (endpoints[name].firstOk.get(id) ?? Number.NaN) - at)
        .filter((ms) => Number.isFinite(ms));
    };
    const held = (['A', 'B', 'C', 'E'] as const).flatMap((n) =>
      [...heldBy(n, tenantOf(n))].map((id) => endpoints[n].firstOk.get(id) ?? 0),
    );
    const healthy = [...latencies('A'), ...latencies('E')];
    // An endpoint's latency by when the event was accepted, 20 s at a time: where the slow ones were.
    const byWindow = (name: Name) => {
      const windows = new Map<number, number[]>();
      for (const [id, at] of tenantOf(name)) {
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
    const ranOf = (name: string) => ranMappings.find((m) => m.name === name);
    const deliveriesAccepted = accepted.size * 4 + accepted2.size + acceptedF.size;
    const arrivalsByKey = new Map<string, Arrival[]>();
    for (const arrival of endpoints.F.arrivals) {
      const key = keyOf.get(arrival.eventId);
      if (key !== undefined) arrivalsByKey.set(key, [...(arrivalsByKey.get(key) ?? []), arrival]);
    }
    // F's latencies to the first 2xx, the deliveries queued behind what the killed platform held included.
    const orderedAll = [...acceptedF.entries()]
      .map(([id, at]) => (endpoints.F.firstOk.get(id) ?? Number.NaN) - at)
      .filter((ms) => Number.isFinite(ms));
    const sent = messagesSent.reduce((a, b) => a + b, 0);
    // CPU by where it went, over the window, per delivery whose request was sent in it.
    let cpu: (CpuBreakdown & Record<string, unknown>) | null = null;
    if (cpuWindow.start && cpuWindow.end) {
      const { start, end } = cpuWindow;
      const within = (at: number) => at >= start.at && at <= end.at;
      const sentIn = (m: Map<string, number>) => [...m.values()].filter(within).length;
      const windowDeliveries = sentIn(accepted) * 4 + sentIn(accepted2) + sentIn(acceptedF);
      cpu = {
        ...cpuBreakdown(start, end, windowDeliveries),
        deliveries_per_s: Math.round((windowDeliveries / Math.max(1, (end.at - start.at) / 1000)) * 10) / 10,
        // Attempts that reached an endpoint in the window (D's and retries included): the work the
        // workers did, where the deliveries accepted are the work asked for.
        attempts: (cpuWindow.requestsTo ?? 0) - (cpuWindow.requestsFrom ?? 0),
        // First 2xx received in the window (A, B, C, E, F): equal to the deliveries when keeping up.
        deliveries_received: (['A', 'B', 'C', 'E', 'F'] as const).reduce(
          (sum, n) => sum + [...endpoints[n].firstOk.values()].filter(within).length,
          0,
        ),
        event_loop_utilization: {
          platform_main_thread: utilization(cpuWindow.from?.event_loop?.main, cpuWindow.to?.event_loop?.main),
          lambda_instances: utilization(
            cpuWindow.from?.event_loop?.instances,
            cpuWindow.to?.event_loop?.instances,
          ),
        },
        instances_started:
          (cpuWindow.to?.instances?.started ?? 0) - (cpuWindow.from?.instances?.started ?? 0),
        instances_alive: cpuWindow.to?.instances?.instances ?? null,
        // Every AWS call the functions made (through the IAM fronts), per delivery, by function and operation.
        aws_calls_per_delivery: awsCallsPerDelivery(
          cpuWindow.from?.aws_calls ?? {},
          cpuWindow.to?.aws_calls ?? {},
          windowDeliveries,
        ),
      };
    }
    const { usage: billed, ...bill } = await billOf(usages, apiRequests);
    const result = {
      rate: RATE,
      tenant2_rate: TENANT2_RATE,
      seconds: LOAD_S,
      kill_at_s: KILL ? KILL_AT_S : null,
      restart_s: Math.round(restartS * 10) / 10,
      retry_schedule: RETRY_SCHEDULE,
      // As the platform reported running them.
      topology: {
        main_lane_max_concurrency: ranOf('main')?.maximumConcurrency ?? null,
        slow_lane_max_concurrency: ranOf('slow')?.maximumConcurrency ?? null,
        main_lane_batch_size: ranOf('main')?.batchSize ?? null,
        slow_lane_batch_size: ranOf('slow')?.batchSize ?? null,
        mappings: ranMappings,
        lambda_instances: true,
        iam_enforced: true,
        visibility_timeout_s: VISIBILITY_S,
        visibility_release: false,
        sweep_grace_s: DEFAULT_SWEEP_GRACE_MS / 1000,
      },
      accepted: accepted.size,
      accepted_tenant2: accepted2.size,
      deliveries_accepted: deliveriesAccepted,
      api_errors: apiErrors,
      refused_while_down: refusedWhileDown,
      not_accepted: answers,
      lost: Object.values(lostBy).reduce((a, b) => a + b, 0),
      lost_by_endpoint: lostBy,
      unaccounted,
      d_states: dStates,
      duplicates:
        endpoints.A.duplicates +
        endpoints.B.duplicates +
        endpoints.C.duplicates +
        endpoints.E.duplicates +
        endpoints.F.duplicates,
      healthy_p50_ms: Math.round(percentile(healthy, 50)),
      healthy_p99_ms: Math.round(percentile(healthy, 99)),
      slow_p50_ms: Math.round(percentile(latencies('C'), 50)),
      slow_p99_ms: Math.round(percentile(latencies('C'), 99)),
      tenant2_p99_ms: Math.round(percentile(latencies('E'), 99)),
      ordered: {
        rate: ORDERED_RATE,
        keys: ORDERED_KEYS,
        failure_rate: 0.1,
        accepted: acceptedF.size,
        order_violations: countOrderViolations(arrivalsByKey, acceptedByKey),
        lost: lostBy.F ?? 0,
        p50_ms: Math.round(percentile(orderedAll, 50)),
        p99_ms: Math.round(percentile(orderedAll, 99)),
        // Leaving out the deliveries the killed platform held, as the other latencies do.
        p50_ms_not_held: Math.round(percentile(latencies('F'), 50)),
        p99_ms_not_held: Math.round(percentile(latencies('F'), 99)),
      },
      held_by_killed: held.length,
      crash_recovery_s: held.length ? Math.round((Math.max(...held) - killedAt) / 1000) : null,
      drain_s: drainS === null ? null : Math.round(drainS),
      amplification: Math.round(amplification.ratio * 1000) / 1000,
      amplification_at: { messages: amplification.messages, outstanding: amplification.outstanding },
      sqs_sends_per_delivery: Math.round((sent / Math.max(1, deliveriesAccepted)) * 1000) / 1000,
      dead_attempts_per_min: Math.round((endpoints.D.requests / ((drainEnd - loadStart) / 60_000)) * 10) / 10,
      // The whole run's bill (both platform processes, the kill and the drain included), priced
      // with the cost section's price table, per delivery accepted: what a bad day costs.
      cost_per_million_usd: Math.round((bill.total / Math.max(1, deliveriesAccepted)) * 1e6 * 100) / 100,
      bill_usd: Object.fromEntries(
        Object.entries(bill).map(([line, usd]) => [line, Math.round(usd * 1e4) / 1e4]),
      ),
      write_units_per_delivery:
        Math.round((billed.dynamodbWru / Math.max(1, deliveriesAccepted)) * 100) / 100,
      lambda_invocations: Object.fromEntries(
        Object.entries(billed.lambda).map(([fn, l]) => [fn, l.invocations]),
      ),
      rss_mb_max: rssMax,
      cpu,
      healthy_by_window: byWindow('A'),
      slow_by_window: byWindow('C'),
      tenant2_by_window: byWindow('E'),
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
