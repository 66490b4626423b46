import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import { resourceName, tableList, tables } from '@hookrelay/definitions';
import { type AllInStage, allInLines } from './all-in.js';
import { acceptedEventContext, accessLogLine, platformRecords } from './cloud-log-lines.js';
import {
  createTenant,
  enginesFromEnv,
  type Harness,
  pool,
  type Receiver,
  startHarness,
  startReceiver,
} from './harness.js';
import { type CallStats, captureHandlerLogs, installMeter, meter } from './meter.js';
import { invoicePaid, payloadSize } from './payload.js';
import {
  addUsage,
  type Bill,
  gbSeconds,
  loadPrices,
  type PriceTable,
  price,
  scaleUsage,
  type Usage,
} from './pricing.js';
import { QUICK, runSection, say } from './section.js';
import { mean, percentile, sum } from './stats.js';
import { storedSize } from './storage.js';

/**
 * Cost per delivered event: ~1 KB Stripe-like events (`invoicePaid`, a different one each
 * time), one webhook, the first attempt succeeds, behind the default front door (HTTP API). The real
 * handlers run behind the local gateway and event source mapping while a metering
 * middleware counts every DynamoDB capacity unit and SQS request they issue and every handler
 * invocation is timed; the dated price table turns the counts into dollars.
 */

const SIZES = QUICK
  ? {
      single: 400,
      batch: 1000,
      idempotent: 200,
      trickle: Number(process.env.BENCH_TRICKLE_EVENTS ?? 200),
      ordered: 400,
    }
  : {
      single: 2000,
      batch: 5000,
      idempotent: 1000,
      trickle: Number(process.env.BENCH_TRICKLE_EVENTS ?? 600),
      ordered: 2000,
    };
/** The ordered mode: single events to an ordered webhook, their keys spread over this many values. */
const ORDERING_KEYS = 1_000;
/**
 * The trickle: events sent one at a time at a steady rate while the worker runs, so the event
 * source mapping takes them as they come (a tenant sending a few a second), not in the full
 * batches a drained backlog gives.
 */
const TRICKLE_EVENTS_PER_SECOND = Number(process.env.BENCH_TRICKLE_RATE ?? 20);
/** Every event sent is a different one: a run-wide counter feeds `invoicePaid`. */
let sent = 0;
const nextEvent = () => invoicePaid(sent++);
const INGEST_CONCURRENCY = 4;
const WORKER_CONCURRENCY = 2;

/** The assumptions that turn per-run and per-minute costs into per-event ones. */
export const ASSUMPTIONS = {
  /** API Gateway reuses an authorizer answer for the same key for 300 s. */
  authorizer_cache_seconds: 300,
  /** Requests per second one API key sends, for amortising the authorizer. */
  requests_per_second_per_key: 10,
  /** The sweeper runs once a minute per stage whatever the traffic. */
  sweep_interval_seconds: 60,
  /** Platform-wide events per second, for amortising the sweeper and monthly charges. */
  platform_events_per_second: 100,
  /** Lambda's sampling for active tracing: the first request each second and 5 % of the rest. */
  trace_sample_rate: 0.05,
  /** Invocations an instance serves before it is replaced (scaling in and out, recycling). */
  invocations_per_cold_start: 1000,
  /** INIT billed per cold start: this machine's import time (section 4) a few times over. */
  init_billed_ms: 600,
  /** DynamoDB asks KMS for a table's key about once per 5 minutes per table. */
  kms_requests_per_table_per_hour: 12,
  /** A TLS 1.3 handshake from the worker (ClientHello, key share, Finished). */
  tls_handshake_bytes_to_endpoint: 600,
  /** A TLS handshake from the API's side (certificate chain, server hello). */
  tls_handshake_bytes_to_client: 4500,
  /** Deliveries per new connection to an endpoint: one connection per worker batch. */
  deliveries_per_endpoint_connection: 1,
  /** Requests a tenant's client sends per connection it keeps open to the API. */
  api_requests_per_client_connection: 100,
  /** The stage whose settings (log retention, system log level, tracing) price the all-in lines. */
  priced_stage: 'prod',
} as const;

type Snapshot = {
  calls: Record<string, Record<string, CallStats>>;
  durations: Record<string, number[]>;
  logBytes: Record<string, number>;
  /** The same lines gzipped: CloudWatch stores logs compressed. */
  logGzipBytes: number;
};

const snapshot = (): Snapshot => {
  const calls: Record<string, Record<string, CallStats>> = {};
  for (const [key, s] of meter.calls) {
    const [fn = '', command = ''] = key.split('|');
    calls[fn] = { ...(calls[fn] ?? {}), [command]: { ...s } };
  }
  return {
    calls,
    durations: Object.fromEntries([...meter.durations].map(([fn, list]) => [fn, [...list]])),
    logBytes: Object.fromEntries(meter.logBytes),
    logGzipBytes: gzipSync([...meter.logText.values()].flat().join('')).length,
  };
};

const record = async (work: () => Promise<void>): Promise<Snapshot> => {
  meter.reset();
  meter.recording = true;
  try {
    await work();
  } finally {
    meter.recording = false;
  }
  return snapshot();
};

const usageOf = (
  snap: Snapshot,
  fns: readonly string[],
  memory: Record<string, number>,
  apiRequests: number,
) => {
  let rru = 0;
  let wru = 0;
  let sqsRequests = 0;
  const lambda: Record<string, { invocations: number; gbSeconds: number }> = {};
  for (const fn of fns) {
    for (const s of Object.values(snap.calls[fn] ?? {})) {
      rru += s.rru;
      wru += s.wru;
      sqsRequests += s.sqsRequests;
    }
    const durations = snap.durations[fn];
    const mb = memory[fn];
    if (durations && mb) lambda[fn] = { invocations: durations.length, gbSeconds: gbSeconds(durations, mb) };
  }
  return {
    apiGatewayRequests: apiRequests,
    lambda,
    dynamodbRru: rru,
    dynamodbWru: wru,
    sqsRequests,
  } as Usage;
};

interface ModeRun {
  readonly events: number;
  readonly apiRequests: number;
  readonly ingestMs: number;
  readonly drainMs: number;
  readonly snap: Snapshot;
  /** Bytes the endpoint received and the API answered, over the run. */
  readonly bytesToEndpoints: number;
  readonly bytesToClients: number;
  /** Mean API response: bytes and latency, for the access-log line. */
  readonly responseBytes: number;
  readonly apiLatencyMs: number;
}

/** What an answer weighs on the wire: status line, headers, body. */
const responseBytes = (res: Response, body: string) => {
  let bytes = Buffer.byteLength(`HTTP/1.1 ${res.status} ${res.statusText}\r\n\r\n`) + Buffer.byteLength(body);
  for (const [name, value] of res.headers) bytes += Buffer.byteLength(`${name}: ${value}\r\n`);
  return bytes;
};

const answered = { bytes: 0, requests: 0, ms: 0 };

const post = async (url: string, key: string, body: unknown, extra: Record<string, string> = {}) => {
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...extra },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  answered.bytes += responseBytes(res, text);
  answered.requests++;
  answered.ms += performance.now() - started;
  return text;
};

const runMode = async (
  h: Harness,
  receiver: Receiver,
  apiKey: string,
  mode: 'single' | 'batch' | 'idempotent' | 'trickle' | 'ordered',
  events: number,
): Promise<ModeRun> => {
  h.gateway.flushAuthorizerCache();
  const expected = receiver.receipts.length + events;
  let apiRequests = 0;
  let ingestMs = 0;
  let drainMs = 0;
  const tag = randomBytes(3).toString('hex');
  const endpointBytesBefore = receiver.bytesReceived();
  answered.bytes = 0;
  answered.requests = 0;
  answered.ms = 0;
  const snap = await record(async () => {
    const started = performance.now();
    if (mode === 'trickle') {
      await h.startWorker(WORKER_CONCURRENCY);
      const every = 1000 / TRICKLE_EVENTS_PER_SECOND;
      for (let i = 0; i < events; i++) {
        const due = started + i * every;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        apiRequests++;
        await post(`${h.apiUrl}/v1/events`, apiKey, nextEvent());
      }
      ingestMs = performance.now() - started;
      const drainStarted = performance.now();
      await receiver.waitFor(expected, 120_000);
      await h.stopWorker();
      drainMs = performance.now() - drainStarted;
      return;
    }
    if (mode === 'batch') {
      const batches = Math.ceil(events / 100);
      await pool(batches, 2, async (b) => {
        const items = Array.from({ length: Math.min(100, events - b * 100) }, nextEvent);
        apiRequests++;
        await post(`${h.apiUrl}/v1/events/batch`, apiKey, { events: items });
      });
    } else {
      await pool(events, INGEST_CONCURRENCY, async (i) => {
        apiRequests++;
        const headers: Record<string, string> =
          mode === 'idempotent' ? { 'idempotency-key': `bench-${tag}-${i}` } : {};
        const event =
          mode === 'ordered'
            ? { ...nextEvent(), ordering_key: `customer-${i % ORDERING_KEYS}` }
            : nextEvent();
        await post(`${h.apiUrl}/v1/events`, apiKey, event, headers);
      });
    }
    ingestMs = performance.now() - started;
    const drainStarted = performance.now();
    await h.startWorker(WORKER_CONCURRENCY);
    await receiver.waitFor(expected, 120_000);
    await h.stopWorker();
    drainMs = performance.now() - drainStarted;
  });
  return {
    events,
    apiRequests,
    ingestMs,
    drainMs,
    snap,
    bytesToEndpoints: receiver.bytesReceived() - endpointBytesBefore,
    bytesToClients: answered.bytes,
    responseBytes: answered.requests ? answered.bytes / answered.requests : 0,
    apiLatencyMs: answered.requests ? answered.ms / answered.requests : 0,
  };
};

/** The ordered mode's SQS requests all go to the ordered line, a FIFO queue: priced as such. */
const fifoPriced = (prices: PriceTable): PriceTable => ({
  ...prices,
  sqs: { ...prices.sqs, standard_per_million_requests: prices.sqs.fifo_per_million_requests },
});

/** Makes the tenant's webhook ordered per key. */
const orderWebhook = async (apiUrl: string, tenant: { apiKey: string; webhookId: string }) => {
  const res = await fetch(`${apiUrl}/v1/webhooks/${tenant.webhookId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ordering: 'per_key' }),
  });
  if (res.status !== 200) throw new Error(`ordering the webhook failed: ${res.status} ${await res.text()}`);
};

/** Average stored bytes per event (event item, attempt items, index entries) in the data table. */
const storedBytesPerEvent = async (h: Harness): Promise<{ bytes: number; events: number; items: number }> => {
  const table = tables.data;
  let start: Record<string, AttributeValue> | undefined;
  let bytes = 0;
  let events = 0;
  let items = 0;
  do {
    const out = await h.ddb.send(
      new ScanCommand({ TableName: resourceName(table.baseName, 'cost'), ExclusiveStartKey: start }),
    );
    for (const item of out.Items ?? []) {
      // Events live in `T#<tenant>#S<shard>`, attempts in `T#<tenant>#W#<webhook>#S<shard>`.
      const pk = item.pk?.S ?? '';
      if (!/#S\d+$/.test(pk)) continue;
      if (!pk.includes('#W#')) events++;
      items++;
      bytes += storedSize(item, table);
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return { bytes: events ? bytes / events : 0, events, items };
};

const perCommand = (snap: Snapshot, fn: string, events: number) =>
  Object.fromEntries(
    Object.entries(snap.calls[fn] ?? {})
      .filter(([, s]) => s.calls > 0)
      .map(([command, s]) => [command, (s.calls - s.emptyReceives) / events]),
  );

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

const roundBill = (b: Bill): Bill =>
  Object.fromEntries(
    Object.entries(b).map(([k, v]) => [k, Math.round(v * 10_000) / 10_000]),
  ) as unknown as Bill;

/** What the priced stage's infra sets, with the tenant id its access-log lines carry. */
interface PricedStage {
  readonly settings: AllInStage;
  readonly accessLogFormat: Readonly<Record<string, string>>;
  readonly tenantId: string;
}

// biome-ignore lint/suspicious/noExplicitAny: infra modules are loaded by path and read field by field
type InfraModule = any;
const infraModule = (file: string): Promise<InfraModule> =>
  import(pathToFileURL(join(process.cwd(), 'infra/src', file)).href);

/**
 * The all-in lines' stage, read off infra: log retention and Lambda's system log level, the
 * functions traced and those that read a secret, point-in-time recovery and KMS on the
 * tables, the HTTP API's access-log format, the worker's custom metrics.
 */
const pricedStage = async (memory: Record<string, number>, tenantId: string): Promise<PricedStage> => {
  const [stage, stateless, httpApi, access] = await Promise.all([
    infraModule('stage.ts'),
    infraModule('stateless-stack.ts'),
    infraModule('platform-http-api.ts'),
    infraModule('function-access.ts'),
  ]);
  const settings = stage.stageSettings(ASSUMPTIONS.priced_stage);
  const traced = stateless.TRACED_FUNCTIONS as ReadonlySet<string>;
  const platformRecordBytes =
    settings.lambdaSystemLogLevel === 'INFO'
      ? Buffer.byteLength(platformRecords({ memoryMb: 1024, durationMs: 20, traced: true }).join('\n'))
      : 0;
  const workerSource = readFileSync(join(process.cwd(), 'services/worker/src/handler.ts'), 'utf8');
  return {
    settings: {
      logRetentionDays: settings.logRetentionDays,
      dataRetentionDays: settings.dataRetentionDays,
      platformLogBytesPerInvocation: platformRecordBytes,
      traced,
      memoryMb: memory,
      readsSecrets: new Set(
        Object.entries(access.FUNCTION_ACCESS as Record<string, { parameters?: string[] }>)
          .filter(([, a]) => (a.parameters ?? []).length > 0)
          .map(([fn]) => fn),
      ),
      // infra/src/stateful-stack.ts: every table with PITR, encrypted under aws/dynamodb.
      pointInTimeRecovery: true,
      kmsTables: tableList.filter((t) => t.id !== 'receiver' || settings.deployReceiver).length,
      // Each distinct metric name the worker publishes, one dimension (service) each.
      customMetrics: new Set(workerSource.match(/addMetric\('(\w+)'/g) ?? []).size,
    },
    accessLogFormat: httpApi.HTTP_ACCESS_LOG_FORMAT,
    tenantId,
  };
};

const summarise = (
  run: ModeRun,
  memory: Record<string, number>,
  authorizer: Usage,
  sweeper: Usage,
  storageBytesPerEvent: number,
  prices: PriceTable,
  stage: PricedStage,
) => {
  const { events, apiRequests, snap } = run;
  const own = usageOf(snap, ['api', 'worker', 'esm'], memory, apiRequests);
  const authorizerPerEvent =
    apiRequests / events / (ASSUMPTIONS.authorizer_cache_seconds * ASSUMPTIONS.requests_per_second_per_key);
  const sweepsPerEvent = 1 / (ASSUMPTIONS.sweep_interval_seconds * ASSUMPTIONS.platform_events_per_second);
  const perMillion = addUsage(
    addUsage(scaleUsage(own, 1e6 / events), scaleUsage(authorizer, 1e6 * authorizerPerEvent)),
    scaleUsage(sweeper, 1e6 * sweepsPerEvent),
  );
  // The headline prices the default front door, the HTTP API; the REST API's figure is beside it.
  const bill = price(perMillion, prices, 'http');
  const billRest = price(perMillion, prices, 'rest');

  const invocations = (fn: string) => (snap.durations[fn] ?? []).length;
  const lambdaPerEvent = (invocations('api') + invocations('worker')) / events;
  const appLogBytes = sum(['api', 'worker'].map((fn) => snap.logBytes[fn] ?? 0)) / events;
  const accessLogBytesPerRequest = Buffer.byteLength(
    accessLogLine(
      stage.accessLogFormat,
      acceptedEventContext({
        tenantId: stage.tenantId,
        responseLength: run.responseBytes,
        latencyMs: run.apiLatencyMs,
      }),
    ),
  );
  const measured = {
    invocations: {
      api: invocations('api') / events,
      worker: invocations('worker') / events,
      authorizer: authorizerPerEvent,
      sweeper: sweepsPerEvent,
    },
    appLogBytes,
    logCompression: appLogBytes > 0 ? snap.logGzipBytes / (appLogBytes * events) : 0.15,
    apiRequests: apiRequests / events,
    accessLogBytesPerRequest,
    storedBytes: storageBytesPerEvent,
    bytesToEndpoints: run.bytesToEndpoints / events,
    bytesToClients: run.bytesToClients / events,
  };
  const lines = allInLines(
    measured,
    stage.settings,
    ASSUMPTIONS,
    prices,
    invocations('worker') / events / ASSUMPTIONS.deliveries_per_endpoint_connection,
  );
  const allInTotal = bill.total + sum(Object.values(lines));

  const calls = (fns: string[], service: string, pick: (s: CallStats) => number) =>
    sum(
      fns.flatMap((fn) =>
        Object.entries(snap.calls[fn] ?? {})
          .filter(([command]) => command.startsWith(`${service}:`))
          .map(([, s]) => pick(s)),
      ),
    ) / events;
  const durationsOf = (fn: string) => {
    const list = snap.durations[fn] ?? [];
    return {
      invocations: list.length,
      per_event: round6(list.length / events),
      p50_ms: Math.round(percentile(list, 50) * 10) / 10,
      mean_ms: Math.round(mean(list) * 10) / 10,
      memory_mb: memory[fn],
    };
  };
  const oddities = Object.entries(snap.calls).flatMap(([fn, cmds]) =>
    Object.entries(cmds)
      .filter(([, s]) => s.failed || s.missingCapacity || s.raisedToMinimum || fn === 'unattributed')
      .map(([command, s]) => ({ fn, command, ...s })),
  );
  return {
    events,
    api_requests: apiRequests,
    // Records per worker invocation: a drained backlog gives 10; a trickle what arrives per poll.
    mean_batch_size: invocations('worker') ? Math.round((events / invocations('worker')) * 100) / 100 : null,
    ingest_events_per_s: Math.round(events / (run.ingestMs / 1000)),
    drain_events_per_s: Math.round(events / (run.drainMs / 1000)),
    cost_per_million_usd: Math.round(bill.total * 100) / 100,
    cost_per_million_rest_usd: Math.round(billRest.total * 100) / 100,
    bill_per_million_usd: roundBill(bill),
    rest_api_gateway_per_million_usd: Math.round(billRest.api_gateway * 10_000) / 10_000,
    calls_per_event: {
      api_gateway_requests: round6(apiRequests / events),
      lambda_invocations: round6(lambdaPerEvent),
      authorizer_invocations: round6(authorizerPerEvent),
      sweeper_runs: round6(sweepsPerEvent),
      dynamodb_calls: round6(calls(['api', 'worker'], 'dynamodb', (s) => s.calls)),
      dynamodb_wru: round6(calls(['api', 'worker'], 'dynamodb', (s) => s.wru)),
      dynamodb_rru: round6(calls(['api', 'worker'], 'dynamodb', (s) => s.rru)),
      sqs_requests: round6(calls(['api', 'worker', 'esm'], 'sqs', (s) => s.sqsRequests)),
      by_function: {
        api: perCommand(snap, 'api', events),
        worker: perCommand(snap, 'worker', events),
        esm: perCommand(snap, 'esm', events),
      },
    },
    lambda: { api: durationsOf('api'), worker: durationsOf('worker') },
    log_bytes_per_event: {
      application: Math.round(appLogBytes),
      lambda_platform_records: Math.round(lambdaPerEvent * stage.settings.platformLogBytesPerInvocation),
      api_access_log: Math.round(measured.apiRequests * accessLogBytesPerRequest),
      compressed_share: Math.round(measured.logCompression * 1000) / 1000,
    },
    bytes_out_per_event: {
      to_endpoints: Math.round(measured.bytesToEndpoints),
      to_api_clients: Math.round(measured.bytesToClients),
    },
    all_in_per_million_usd: {
      headline: Math.round(bill.total * 10_000) / 10_000,
      ...Object.fromEntries(Object.entries(lines).map(([k, v]) => [k, Math.round(v * 10_000) / 10_000])),
      total: Math.round(allInTotal * 100) / 100,
    },
    raw_calls: snap.calls,
    oddities,
  };
};

/** A GET as a tenant sends it: the answer's text and what it weighed on the wire. */
const get = async (url: string, key: string) => {
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return { text, bytes: responseBytes(res, text) };
};

/**
 * What reading costs: one export of every event the tenant has (its data in one BatchGetItem
 * per page of 100), scaled to a million events, and one stats call over the last 24 hours,
 * whose cost is that of the counters it reads (per webhook and bucket, not per event), per
 * million such calls.
 */
const priceReads = async (h: Harness, apiKey: string, memory: Record<string, number>, prices: PriceTable) => {
  const priced = (snap: Snapshot, bytesOut: number, scale: number) => {
    const bill = price(scaleUsage(usageOf(snap, ['api'], memory, 1), scale), prices, 'http');
    const transfer = ((bytesOut * scale) / 2 ** 30) * prices.data_transfer.out_to_internet_per_gb;
    return {
      bill: roundBill(bill),
      data_transfer_out: Math.round(transfer * 10_000) / 10_000,
      total: Math.round((bill.total + transfer) * 10_000) / 10_000,
      calls: Object.fromEntries(
        Object.entries(snap.calls.api ?? {}).map(([command, c]) => [command, { calls: c.calls, rru: c.rru }]),
      ),
    };
  };
  let exported = { text: '', bytes: 0 };
  const exportSnap = await record(async () => {
    exported = await get(`${h.apiUrl}/v1/events/export?limit=10000`, apiKey);
  });
  const events = exported.text.split('\n').filter((l) => l && !l.startsWith('{"truncated"')).length;
  let stats = { text: '', bytes: 0 };
  const statsSnap = await record(async () => {
    stats = await get(`${h.apiUrl}/v1/stats?window=24h`, apiKey);
  });
  return {
    export: {
      events,
      bytes: exported.bytes,
      per_million_events: priced(exportSnap, exported.bytes, 1e6 / events),
    },
    stats_day: { bytes: stats.bytes, per_million_calls: priced(statsSnap, stats.bytes, 1e6) },
  };
};

runSection(async () => {
  const smithy = installMeter();
  captureHandlerLogs();
  const prices = loadPrices();
  const infra = (await import(pathToFileURL(join(process.cwd(), 'infra/src/stateless-stack.ts')).href)) as {
    FUNCTION_SIZING: Record<string, { memoryMb: number }>;
  };
  const memory = Object.fromEntries(Object.entries(infra.FUNCTION_SIZING).map(([fn, s]) => [fn, s.memoryMb]));
  const adminKey = `hr_admin_${randomBytes(16).toString('hex')}`;
  const h = await startHarness({ engines: enginesFromEnv(), stage: 'cost', adminKey });
  const receiver = await startReceiver();
  try {
    const tenant = await createTenant(h.apiUrl, adminKey, 'bench-cost', `${receiver.url}/hooks`);
    say('cost: warming up');
    await runMode(h, receiver, tenant.apiKey, 'single', 50);

    const runs: Record<string, ModeRun> = {};
    for (const mode of ['single', 'batch', 'idempotent', 'trickle'] as const) {
      say(`cost: ${mode}, ${SIZES[mode]} events`);
      runs[mode] = await runMode(h, receiver, tenant.apiKey, mode, SIZES[mode]);
    }
    // Ordered: a tenant of its own whose one webhook orders per key.
    const ordered = await createTenant(h.apiUrl, adminKey, 'bench-ordered', `${receiver.url}/ordered`);
    await orderWebhook(h.apiUrl, ordered);
    say(`cost: ordered, ${SIZES.ordered} events over ${ORDERING_KEYS} keys`);
    runs.ordered = await runMode(h, receiver, ordered.apiKey, 'ordered', SIZES.ordered);

    // One authorizer invocation per mode (the cache was flushed before each): its cost per call.
    const authorizerRuns = Object.values(runs).map((r) => usageOf(r.snap, ['authorizer'], memory, 0));
    const authorizerCalls = sum(authorizerRuns.map((u) => u.lambda.authorizer?.invocations ?? 0));
    const authorizer = scaleUsage(
      authorizerRuns.reduce((a, b) => addUsage(a, b)),
      1 / Math.max(1, authorizerCalls),
    );

    say('cost: sweeper runs (nothing overdue: the steady state)');
    const sweeps = 3;
    const sweepSnap = await record(async () => {
      for (let i = 0; i < sweeps; i++) await h.sweep();
    });
    const sweeper = scaleUsage(usageOf(sweepSnap, ['sweeper'], memory, 0), 1 / sweeps);

    say('cost: reads (an export of every event so far, a stats call over the day)');
    const reads = await priceReads(h, tenant.apiKey, memory, prices);

    const storage = await storedBytesPerEvent(h);
    const stage = await pricedStage(memory, tenant.tenantId);
    const modes = Object.fromEntries(
      Object.entries(runs).map(([mode, run]) => [
        mode,
        summarise(
          run,
          memory,
          authorizer,
          sweeper,
          storage.bytes,
          mode === 'ordered' ? fifoPriced(prices) : prices,
          stage,
        ),
      ]),
    );
    return {
      payload: payloadSize(),
      front_door: 'http',
      ingest_concurrency: INGEST_CONCURRENCY,
      worker_concurrency: WORKER_CONCURRENCY,
      memory_mb: memory,
      prices_as_of: prices.as_of,
      assumptions: ASSUMPTIONS,
      priced_stage: {
        ...stage.settings,
        traced: [...stage.settings.traced],
        readsSecrets: [...stage.settings.readsSecrets],
      },
      authorizer_per_invocation: authorizer,
      sweeper_per_run: sweeper,
      sweeper_calls: sweepSnap.calls,
      stored_bytes_per_event: Math.round(storage.bytes),
      smithy_client: { file: smithy.file.replace(/.*node_modules\//, ''), resolved_via: smithy.via },
      modes,
      reads,
    };
  } finally {
    await receiver.close();
    await h.stop();
  }
});
