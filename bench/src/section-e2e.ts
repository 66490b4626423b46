import { startPlatform } from '@hookrelay/local';
import { createTenant, platformOnEngines, startReceiver } from './harness.js';
import { invoicePaid } from './payload.js';
import { QUICK, runSection, say } from './section.js';
import { percentile } from './stats.js';

/**
 * End to end on the local platform as `make dev` runs it (packages/local `startPlatform`: the
 * gateway with the authorizer, the API, the event source mapping and worker, the sweeper on
 * its one-minute timer): an open-loop stream of 1 KB events at a fixed rate through HTTP,
 * delivered to a loopback receiver that notes each webhook-id and when it arrived.
 */

const RATE = Number(process.env.BENCH_E2E_RATE ?? 50);
const SECONDS = QUICK ? 30 : 60;
const WORKER_CONCURRENCY = 2;
/** After the last send, how long the run waits without a new delivery before it stops waiting. */
const QUIET_MS = 20_000;

interface Accepted {
  readonly id: string;
  readonly createdAt: number;
  readonly sentAt: number;
  readonly answeredAt: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

runSection(async () => {
  const base = platformOnEngines('e2e');
  const { adminKey } = base;
  const receiver = await startReceiver();
  const errors: Record<string, unknown>[] = [];
  const platform = await startPlatform({
    ...base,
    workerConcurrency: WORKER_CONCURRENCY,
    log: (entry) => {
      if (entry.level === 'ERROR') errors.push(entry);
    },
  });
  try {
    const tenant = await createTenant(platform.apiUrl, adminKey, 'bench-e2e', `${receiver.url}/hooks`);
    const send = async (n: number): Promise<{ status: number; id?: string; createdAt?: number }> => {
      const res = await fetch(`${platform.apiUrl}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(invoicePaid(n)),
      });
      const body = (await res.json().catch(() => ({}))) as { event_id?: string; created_at?: string };
      return {
        status: res.status,
        ...(body.event_id ? { id: body.event_id } : {}),
        ...(body.created_at ? { createdAt: Date.parse(body.created_at) } : {}),
      };
    };

    say('e2e: warming up');
    for (let i = 0; i < 20; i++) await send(i);
    await receiver.waitFor(20, 30_000);
    receiver.receipts.length = 0;

    say(`e2e: ${RATE} events/s for ${SECONDS} s, open loop`);
    const accepted: Accepted[] = [];
    const rejected: Record<string, number> = {};
    const inflight: Promise<void>[] = [];
    const total = RATE * SECONDS;
    const interval = 1000 / RATE;
    const started = performance.now();
    const startedAt = Date.now();
    let lateMs = 0;
    for (let k = 0; k < total; k++) {
      const due = started + k * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      else lateMs = Math.max(lateMs, -wait);
      const sentAt = Date.now();
      inflight.push(
        send(k).then(
          (r) => {
            if (r.status === 201 && r.id && r.createdAt) {
              accepted.push({ id: r.id, createdAt: r.createdAt, sentAt, answeredAt: Date.now() });
            } else rejected[String(r.status)] = (rejected[String(r.status)] ?? 0) + 1;
          },
          (error: unknown) => {
            const key = error instanceof Error ? error.message : String(error);
            rejected[key] = (rejected[key] ?? 0) + 1;
          },
        ),
      );
    }
    await Promise.all(inflight);
    const sendSeconds = (Date.now() - startedAt) / 1000;

    say('e2e: waiting for the queue to drain');
    const wanted = new Set(accepted.map((a) => a.id));
    const arrived = () =>
      new Set(receiver.receipts.map((r) => r.webhookId).filter((id) => wanted.has(id))).size;
    let last = arrived();
    let quietSince = Date.now();
    while (last < wanted.size && Date.now() - quietSince < QUIET_MS) {
      await sleep(250);
      const now = arrived();
      if (now !== last) {
        last = now;
        quietSince = Date.now();
      }
    }

    const first = new Map<string, number>();
    let duplicates = 0;
    for (const r of receiver.receipts) {
      if (!wanted.has(r.webhookId)) continue;
      if (first.has(r.webhookId)) duplicates++;
      else first.set(r.webhookId, r.at);
    }
    const latencies = accepted.flatMap((a) => {
      const at = first.get(a.id);
      return at === undefined ? [] : [at - a.createdAt];
    });
    const ingest = accepted.map((a) => a.answeredAt - a.sentAt);
    const lastReceipt = Math.max(...first.values());
    return {
      rate: RATE,
      seconds: SECONDS,
      sent: total,
      accepted: accepted.length,
      rejected,
      send_seconds: Math.round(sendSeconds * 10) / 10,
      scheduler_max_late_ms: Math.round(lateMs),
      delivered: first.size,
      deliveries_per_s: Math.round((first.size / ((lastReceipt - startedAt) / 1000)) * 10) / 10,
      p50_ms: percentile(latencies, 50),
      p95_ms: percentile(latencies, 95),
      p99_ms: percentile(latencies, 99),
      max_ms: percentile(latencies, 100),
      ingest_p50_ms: percentile(ingest, 50),
      ingest_p95_ms: percentile(ingest, 95),
      ingest_p99_ms: percentile(ingest, 99),
      lost: accepted.filter((a) => !first.has(a.id)).length,
      duplicates,
      worker_concurrency: WORKER_CONCURRENCY,
      platform_errors: errors.length,
    };
  } finally {
    await receiver.close();
    await platform.stop();
  }
});
