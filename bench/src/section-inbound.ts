import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  asFunction,
  invokedAs,
  startEventSourceMapping,
  startGateway,
  startPlatform,
} from '@hookrelay/local';
import { enginesFromEnv, pool } from './harness.js';
import { type CallStats, captureHandlerLogs, inFunction, installMeter, meter, timed } from './meter.js';
import { gbSeconds, loadPrices, type PriceTable, sqsBilledRequests } from './pricing.js';
import { QUICK, runSection, say } from './section.js';
import { mean, percentile, sum } from './stats.js';

/**
 * Cost per inbound webhook: 1 KB GitHub deliveries, signed as GitHub signs them, to ten
 * sources, through the real ingestion function behind the binary-body gateway and the real
 * processing function behind the FIFO event source mapping, to the local bus. Every
 * DynamoDB, SQS, S3 and EventBridge call the handlers make is counted; each handler
 * invocation is timed; the dated price table turns the counts into dollars. Forwarding is
 * off: a forwarded event is an outbound event, priced by the cost section.
 */

const WEBHOOKS = QUICK ? 300 : 2000;
const SOURCES = 10;
const PAYLOAD_BYTES = 1024;
const CONCURRENCY = 4;

// biome-ignore lint/suspicious/noExplicitAny: responses are read field by field
type Json = any;

const call = async (url: string, init: RequestInit): Promise<Json> => {
  const res = await fetch(url, init);
  const text = await res.text();
  if (res.status >= 300)
    throw new Error(`${init.method} ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
};

type Calls = Record<string, Record<string, CallStats>>;

const snapshotCalls = (): Calls => {
  const calls: Calls = {};
  for (const [key, s] of meter.calls) {
    const [fn = '', command = ''] = key.split('|');
    calls[fn] = { ...(calls[fn] ?? {}), [command]: { ...s } };
  }
  return calls;
};

const count = (calls: Calls, fns: readonly string[], command: string, pick: (s: CallStats) => number) =>
  sum(fns.map((fn) => (calls[fn]?.[command] ? pick(calls[fn][command]) : 0)));

const price = (
  calls: Calls,
  durations: Record<string, number[]>,
  memory: Record<string, number>,
  n: number,
  p: PriceTable,
  apiRequestsPerWebhook: number,
) => {
  const fns = ['ingest', 'inbound-processor'];
  const dynamo = (pick: (s: CallStats) => number) =>
    sum(
      [...fns, 'esm'].flatMap((fn) =>
        Object.entries(calls[fn] ?? {})
          .filter(([c]) => c.startsWith('dynamodb:'))
          .map(([, s]) => pick(s)),
      ),
    );
  const sqsFifo = sum(
    ['ingest', 'esm'].flatMap((fn) =>
      Object.entries(calls[fn] ?? {})
        .filter(([c]) => c.startsWith('sqs:'))
        .map(([, s]) => s.sqsRequests),
    ),
  );
  const s3Puts = count(calls, fns, 'S3Client:PutObject', (s) => s.calls);
  const s3Gets = count(calls, fns, 'S3Client:GetObject', (s) => s.calls);
  const busEntries = count(calls, fns, 'EventBridgeClient:PutEvents', (s) => s.calls);
  const invocations = sum(fns.map((fn) => (durations[fn] ?? []).length));
  const gbs = sum(fns.map((fn) => gbSeconds(durations[fn] ?? [], memory[fn] ?? 0)));
  const perMillion = 1e6 / n;
  const bill = {
    api_gateway: apiRequestsPerWebhook * p.api_gateway.rest_per_million_requests,
    lambda_requests: invocations * perMillion * 1e-6 * p.lambda.per_million_requests,
    lambda_duration: gbs * perMillion * p.lambda.arm64_per_gb_second,
    s3_put: s3Puts * perMillion * 1e-6 * p.s3.put_per_million_requests,
    s3_get: s3Gets * perMillion * 1e-6 * p.s3.get_per_million_requests,
    dynamodb_writes: dynamo((s) => s.wru) * perMillion * 1e-6 * p.dynamodb.on_demand_per_million_wru,
    dynamodb_reads: dynamo((s) => s.rru) * perMillion * 1e-6 * p.dynamodb.on_demand_per_million_rru,
    sqs_fifo: sqsFifo * perMillion * 1e-6 * p.sqs.fifo_per_million_requests,
    eventbridge: busEntries * perMillion * 1e-6 * p.eventbridge.custom_events_per_million,
  };
  const total = sum(Object.values(bill));
  const round4 = (v: number) => Math.round(v * 10_000) / 10_000;
  return {
    cost_per_million_usd: Math.round(total * 100) / 100,
    bill_per_million_usd: {
      ...Object.fromEntries(Object.entries(bill).map(([k, v]) => [k, round4(v)])),
      total: round4(total),
    },
    calls_per_webhook: {
      api_gateway_requests: apiRequestsPerWebhook,
      lambda_invocations: round4(invocations / n),
      s3_put: round4(s3Puts / n),
      s3_get: round4(s3Gets / n),
      dynamodb_wru: round4(dynamo((s) => s.wru) / n),
      dynamodb_rru: round4(dynamo((s) => s.rru) / n),
      sqs_fifo_requests: round4(sqsFifo / n),
      eventbridge_entries: round4(busEntries / n),
    },
  };
};

runSection(async () => {
  installMeter();
  captureHandlerLogs();
  const prices = loadPrices();
  const infra = (await import(pathToFileURL(join(process.cwd(), 'infra/src/stateless-stack.ts')).href)) as {
    FUNCTION_SIZING: Record<string, { memoryMb: number }>;
  };
  const memory = Object.fromEntries(Object.entries(infra.FUNCTION_SIZING).map(([fn, s]) => [fn, s.memoryMb]));
  const engines = enginesFromEnv();
  const adminKey = `hr_admin_${randomBytes(16).toString('hex')}`;
  const platform = await startPlatform({
    stage: 'inbound',
    apiPort: 0,
    receiverPort: 0,
    ingestPort: 0,
    dynamodbEndpoint: engines.dynamodb,
    sqsEndpoint: engines.sqs,
    adminKey,
    sweepIntervalMs: 3_600_000,
    startWorker: false,
    startInboundProcessor: false,
    log: () => undefined,
  });
  const [ingest, processor] = await Promise.all([
    import('@hookrelay/ingest/handler'),
    import('@hookrelay/inbound-processor/handler'),
  ]);
  const gateway = await startGateway({
    name: 'ingest',
    port: 0,
    handler: timed('ingest', invokedAs('ingest', ingest.handler as never)),
    routes: [{ method: 'POST', path: '/in/{token}', auth: 'public' }],
    binaryBodies: true,
  });
  try {
    const tenant = await call(`${platform.apiUrl}/v1/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenant_id: 'bench-inbound' }),
    });
    const sources: { token: string; secret: string }[] = [];
    for (let i = 0; i < SOURCES; i++) {
      const { source } = await call(`${platform.apiUrl}/v1/sources`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tenant.api_key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `repo ${i}`, provider: 'github' }),
      });
      sources.push({ token: String(source.ingest_url).split('/in/')[1] ?? '', secret: source.secret });
    }
    const send = async (i: number) => {
      const source = sources[i % SOURCES] ?? { token: '', secret: '' };
      const body = JSON.stringify({ n: i, ref: 'refs/heads/main', pad: 'x'.repeat(PAYLOAD_BYTES - 60) });
      await call(`${gateway.url}/in/${source.token}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-github-delivery': `${i}-${randomBytes(8).toString('hex')}`,
          'x-hub-signature-256': `sha256=${createHmac('sha256', source.secret).update(body).digest('hex')}`,
        },
        body,
      });
    };
    say('inbound: warming up');
    await pool(20, CONCURRENCY, send);

    meter.reset();
    meter.recording = true;
    say(`inbound: ${WEBHOOKS} webhooks to ${SOURCES} sources`);
    const started = performance.now();
    await pool(WEBHOOKS, CONCURRENCY, (i) => send(1000 + i));
    const ingestMs = performance.now() - started;
    const routedBefore = platform.bus.events.length;
    const drainStarted = performance.now();
    // The mapping polls with the inbound processor's role, through the platform's IAM front.
    const mapping = await inFunction('esm', () =>
      asFunction('inbound-processor', () =>
        startEventSourceMapping({
          sqs: new SQSClient({
            endpoint: platform.env.AWS_ENDPOINT_URL_SQS,
            region: 'us-east-1',
            credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          }),
          queueUrl: platform.inboundQueueUrls.fifo,
          handler: timed('inbound-processor', invokedAs('inbound-processor', processor.handler as never)),
          functionName: 'inbound-processor',
          batchSize: 10,
          concurrency: 2,
          waitTimeSeconds: 1,
        }),
      ),
    );
    const deadline = Date.now() + 300_000;
    while (platform.bus.events.length < routedBefore + WEBHOOKS + 20 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const drainMs = performance.now() - drainStarted;
    await mapping.stop();
    meter.recording = false;
    const routed = platform.bus.events.length - routedBefore;
    const calls = snapshotCalls();
    const durations = Object.fromEntries([...meter.durations].map(([fn, list]) => [fn, [...list]]));
    if (count(calls, ['ingest'], 'S3Client:PutObject', (s) => s.calls) === 0) {
      throw new Error('the meter saw no S3 calls: the S3 client does not share the metered smithy Client');
    }
    // The 20 warm-up webhooks were queued before recording started and are routed in it too.
    const processed = WEBHOOKS + 20;
    const ingestCalls: Calls = { ingest: calls.ingest ?? {} };
    const processCalls: Calls = {
      'inbound-processor': calls['inbound-processor'] ?? {},
      esm: calls.esm ?? {},
    };
    const ingestPart = price(ingestCalls, { ingest: durations.ingest ?? [] }, memory, WEBHOOKS, prices, 1);
    const processPart = price(
      processCalls,
      { 'inbound-processor': durations['inbound-processor'] ?? [] },
      memory,
      processed,
      prices,
      0,
    );
    const a = ingestPart.bill_per_million_usd as Record<string, number>;
    const b = processPart.bill_per_million_usd as Record<string, number>;
    const bill = Object.fromEntries(
      Object.keys(a).map((k) => [k, Math.round(((a[k] ?? 0) + (b[k] ?? 0)) * 10_000) / 10_000]),
    ) as Record<string, number>;
    const lambda = (fn: string) => {
      const list = durations[fn] ?? [];
      return {
        invocations: list.length,
        p50_ms: Math.round(percentile(list, 50) * 10) / 10,
        mean_ms: Math.round(mean(list) * 10) / 10,
        memory_mb: memory[fn],
      };
    };
    return {
      webhooks: WEBHOOKS,
      sources: SOURCES,
      payload_bytes: PAYLOAD_BYTES,
      routed,
      ingest_per_s: Math.round(WEBHOOKS / (ingestMs / 1000)),
      route_per_s: Math.round(routed / (drainMs / 1000)),
      cost_per_million_usd: Math.round((bill.total ?? 0) * 100) / 100,
      bill_per_million_usd: bill,
      calls_per_webhook: { ingest: ingestPart.calls_per_webhook, processing: processPart.calls_per_webhook },
      lambda: { ingest: lambda('ingest'), 'inbound-processor': lambda('inbound-processor') },
      sqs_billed_chunk: sqsBilledRequests(PAYLOAD_BYTES),
      raw_calls: calls,
    };
  } finally {
    await gateway.close();
    await platform.stop();
  }
});
