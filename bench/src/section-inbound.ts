import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type InboundArchiveMode, inboundBus, resourceName, tables } from '@hookrelay/definitions';
import {
  asFunction,
  invokedAs,
  startEventSourceMapping,
  startGateway,
  startPlatform,
} from '@hookrelay/local';
import { sampledShare } from './all-in.js';
import { acceptedEventContext, accessLogLine } from './cloud-log-lines.js';
import { platformOnEngines, pool } from './harness.js';
import { type Calls, count, price, snapshotCalls } from './inbound-calls.js';
import { measureTrickle } from './inbound-trickle.js';
import { captureHandlerLogs, inFunction, installMeter, meter, timed } from './meter.js';
import { loadPrices, type PriceTable, sqsBilledRequests } from './pricing.js';
import { PROVIDERS, type Provider, signedWebhook } from './provider-payloads.js';
import { QUICK, runSection, say } from './section.js';
import { mean, percentile } from './stats.js';
import { storedSize } from './storage.js';

/**
 * Cost per inbound webhook: Stripe events, GitHub pushes and Shopify orders in turn, shaped and
 * sized like the providers' own (bench/src/provider-payloads.ts), each signed as its provider
 * signs it, to three sources per provider, through the real ingestion function behind the
 * default front door (an HTTP API; priced behind the REST API too) and the real
 * processing function behind the FIFO event source mapping, to the local bus. Every
 * DynamoDB, SQS, S3 and EventBridge call the handlers make is counted; each handler
 * invocation is timed; the dated price table turns the counts into dollars. Forwarding is
 * off: a forwarded event is an outbound event, priced by the cost section.
 */

const WEBHOOKS = QUICK ? 300 : 2000;
/** Sources per provider: each provider's webhooks go to a few sources, as a tenant has them. */
const SOURCES_PER_PROVIDER = 3;
/**
 * When a body that rides in its message is archived, as a stage's `inboundArchive` sets it: at
 * ingest (every stage's default) unless `BENCH_INBOUND_ARCHIVE=batch`.
 */
const ARCHIVE: InboundArchiveMode = process.env.BENCH_INBOUND_ARCHIVE === 'batch' ? 'batch' : 'ingest';
const SOURCES = SOURCES_PER_PROVIDER * PROVIDERS.length;
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

/** What the inbound table holds per request: the request items, their index entries, the sources'. */
const inboundStoredBytes = async (endpoint: string, requests: number): Promise<number> => {
  const ddb = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let bytes = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await ddb.send(
      new ScanCommand({
        TableName: resourceName(tables.inbound.baseName, 'inbound'),
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) bytes += storedSize(item, tables.inbound);
    start = out.LastEvaluatedKey;
  } while (start);
  ddb.destroy();
  return bytes / requests;
};

const GB = 2 ** 30;
const DAYS_PER_MONTH = 30.4;
/** Inbound webhooks a second platform-wide, for X-Ray's reservoir and monthly charges. */
const PLATFORM_WEBHOOKS_PER_SECOND = 20;
const INVOCATIONS_PER_COLD_START = 1000;
const INIT_BILLED_MS = 600;
/** Whoever reads a provider's queue receives and deletes in batches of ten. */
const PROVIDER_QUEUE_CONSUMER_REQUESTS = 0.2;

// biome-ignore lint/suspicious/noExplicitAny: infra modules are loaded by path and read field by field
type InfraModule = any;
const infraModule = (file: string): Promise<InfraModule> =>
  import(pathToFileURL(join(process.cwd(), 'infra/src', file)).href);

/**
 * Every line of an inbound webhook's bill beyond the headline, per million, for production's
 * settings (log retention, Lambda system log level, tracing, the archive's expiry) behind
 * either front door: the HTTP API (the default) or prod's REST API with its web ACL.
 */
const inboundAllIn = async (m: {
  prices: PriceTable;
  memory: Record<string, number>;
  webhooks: number;
  invocations: Record<string, number>;
  appLogBytes: number;
  logGzipBytes: number;
  bodyBytes: number;
  answeredBytes: number;
  busEventBytes: number;
  storedBytes: number;
  headline: number;
}) => {
  const p = m.prices;
  const [stage, stateless, inboundApi, inboundResources] = await Promise.all([
    infraModule('stage.ts'),
    infraModule('stateless-stack.ts'),
    infraModule('inbound-api.ts'),
    infraModule('inbound-resources.ts'),
  ]);
  const settings = stage.stageSettings('prod');
  const traced = stateless.TRACED_FUNCTIONS as ReadonlySet<string>;
  const accessLine = (format: Record<string, string>, routeVariable: string) =>
    Buffer.byteLength(
      accessLogLine(format, {
        ...acceptedEventContext({ tenantId: '', responseLength: m.answeredBytes, latencyMs: 60 }),
        [routeVariable]: routeVariable === '$context.routeKey' ? 'POST /in/{token}' : '/in/{token}',
        '$context.status': '202',
        '$context.integration.status': '202',
      }),
    );
  const accessBytes = {
    http: accessLine(inboundApi.INGEST_ACCESS_LOG_FORMATS.http, '$context.routeKey'),
    rest: accessLine(inboundApi.INGEST_ACCESS_LOG_FORMATS.rest, '$context.resourcePath'),
  };
  const logMonths = settings.logRetentionDays / DAYS_PER_MONTH;
  const compression = m.appLogBytes > 0 ? m.logGzipBytes / m.appLogBytes : 0.15;
  const invocations = Object.values(m.invocations).reduce((a, b) => a + b, 0);
  const platformRecords = settings.lambdaSystemLogLevel === 'INFO' ? invocations * 600 : 0;
  const archiveMonths = inboundResources.archiveExpiryDays(settings.dataRetentionDays) / DAYS_PER_MONTH;
  const busArchiveMonths = inboundBus.archive.retentionDays / DAYS_PER_MONTH;
  const million = 1e6;
  const lines = (door: 'http' | 'rest') => {
    const logBytes = m.appLogBytes + platformRecords + accessBytes[door];
    const out = {
      cloudwatch_logs_ingestion: ((logBytes * million) / GB) * p.cloudwatch_logs.ingest_per_gb,
      cloudwatch_logs_storage:
        ((logBytes * compression * million) / GB) * logMonths * p.cloudwatch_logs.storage_per_gb_month,
      xray: Object.entries(m.invocations)
        .filter(([fn]) => traced.has(fn))
        .reduce(
          (t, [, n]) =>
            t + n * sampledShare(n * PLATFORM_WEBHOOKS_PER_SECOND, 0.05) * p.xray.per_million_traces_recorded,
          0,
        ),
      lambda_init: Object.entries(m.invocations).reduce(
        (t, [fn, n]) =>
          t +
          (n / INVOCATIONS_PER_COLD_START) *
            (INIT_BILLED_MS / 1000) *
            ((m.memory[fn] ?? 0) / 1024) *
            million *
            p.lambda.arm64_per_gb_second,
        0,
      ),
      s3_storage: ((m.bodyBytes * million) / GB) * archiveMonths * p.s3.storage_per_gb_month,
      dynamodb_storage:
        ((m.storedBytes * million) / GB) *
        (settings.dataRetentionDays / DAYS_PER_MONTH) *
        p.dynamodb.storage_per_gb_month,
      dynamodb_pitr:
        ((m.storedBytes * million) / GB) *
        (settings.dataRetentionDays / DAYS_PER_MONTH) *
        p.dynamodb.pitr_per_gb_month,
      eventbridge_archive:
        ((m.busEventBytes * million) / GB) *
        (p.eventbridge.archive_per_gb + busArchiveMonths * p.eventbridge.archive_storage_per_gb_month),
      provider_queues:
        (sqsBilledRequests(m.busEventBytes) + PROVIDER_QUEUE_CONSUMER_REQUESTS) *
        p.sqs.standard_per_million_requests,
      data_transfer_out: ((m.answeredBytes * million) / GB) * p.data_transfer.out_to_internet_per_gb,
      ...(door === 'rest'
        ? {
            api_gateway_rest_over_http:
              p.api_gateway.rest_per_million_requests - p.api_gateway.http_per_million_requests,
            waf_requests: p.waf.per_million_requests,
          }
        : {}),
    };
    const total = m.headline + Object.values(out).reduce((a, b) => a + b, 0);
    return {
      headline: Math.round(m.headline * 10_000) / 10_000,
      ...Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Math.round(v * 10_000) / 10_000])),
      total: Math.round(total * 100) / 100,
    };
  };
  return {
    http: lines('http'),
    rest: lines('rest'),
    measured: {
      body_bytes: Math.round(m.bodyBytes),
      bus_event_bytes: Math.round(m.busEventBytes),
      stored_bytes: Math.round(m.storedBytes),
      app_log_bytes: Math.round(m.appLogBytes),
      access_log_bytes: accessBytes,
      answered_bytes: Math.round(m.answeredBytes),
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
  const base = platformOnEngines('inbound');
  const { adminKey } = base;
  const platform = await startPlatform({
    ...base,
    sweepIntervalMs: 3_600_000,
    startWorker: false,
    startInboundProcessor: false,
    inboundArchive: ARCHIVE,
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
    // The default front door (a stage's `ingestGateway`): an HTTP API, payload format 2.0.
    frontDoor: 'http',
    binaryBodies: true,
  });
  try {
    const tenant = await call(`${platform.apiUrl}/v1/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenant_id: 'bench-inbound' }),
    });
    const sources: Record<Provider, { token: string; secret: string }[]> = {
      stripe: [],
      github: [],
      shopify: [],
    };
    for (const provider of PROVIDERS) {
      for (let i = 0; i < SOURCES_PER_PROVIDER; i++) {
        // Stripe and Shopify issue the secret; GitHub takes the one the platform generates.
        const issued =
          provider === 'stripe'
            ? `whsec_${randomBytes(24).toString('base64')}`
            : provider === 'shopify'
              ? `shpss_${randomBytes(16).toString('hex')}`
              : undefined;
        const { source } = await call(`${platform.apiUrl}/v1/sources`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tenant.api_key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `${provider} ${i}`, provider, ...(issued ? { secret: issued } : {}) }),
        });
        sources[provider].push({
          token: String(source.ingest_url).split('/in/')[1] ?? '',
          secret: issued ?? source.secret,
        });
      }
    }
    const sentBytes: Record<Provider, number[]> = { stripe: [], github: [], shopify: [] };
    const answered = { bytes: 0, requests: 0 };
    const send = async (i: number) => {
      const provider = PROVIDERS[i % PROVIDERS.length] ?? 'github';
      const source = sources[provider][Math.floor(i / PROVIDERS.length) % SOURCES_PER_PROVIDER] ?? {
        token: '',
        secret: '',
      };
      const webhook = signedWebhook(provider, i, source.secret, Math.floor(Date.now() / 1000));
      sentBytes[provider].push(Buffer.byteLength(webhook.body));
      const res = await fetch(`${gateway.url}/in/${source.token}`, {
        method: 'POST',
        headers: webhook.headers,
        body: webhook.body,
      });
      const text = await res.text();
      if (res.status !== 202)
        throw new Error(`${provider} webhook answered ${res.status}: ${text.slice(0, 300)}`);
      let bytes = Buffer.byteLength(`HTTP/1.1 ${res.status} ${res.statusText}\r\n\r\n${text}`);
      for (const [name, value] of res.headers) bytes += Buffer.byteLength(`${name}: ${value}\r\n`);
      answered.bytes += bytes;
      answered.requests++;
    };
    say('inbound: warming up');
    await pool(20, CONCURRENCY, send);

    meter.reset();
    for (const list of Object.values(sentBytes)) list.length = 0;
    answered.bytes = 0;
    answered.requests = 0;
    meter.recording = true;
    say(`inbound: ${WEBHOOKS} webhooks to ${SOURCES} sources`);
    const started = performance.now();
    await pool(WEBHOOKS, CONCURRENCY, (i) => send(1000 + i));
    const ingestMs = performance.now() - started;
    const routedBefore = platform.bus.events.length;
    const drainStarted = performance.now();
    // The mapping polls with the inbound processor's role, through the platform's IAM front.
    const startMapping = () =>
      inFunction('esm', () =>
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
    const mapping = await startMapping();
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
    // Bodies are archived at ingest, or by the processor a batch at a time: either way S3 is seen.
    if (count(calls, ['ingest', 'inbound-processor'], 'S3Client:PutObject', (s) => s.calls) === 0) {
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
    const allIn = await inboundAllIn({
      prices,
      memory,
      webhooks: WEBHOOKS,
      invocations: {
        ingest: (durations.ingest ?? []).length / WEBHOOKS,
        'inbound-processor': (durations['inbound-processor'] ?? []).length / processed,
      },
      appLogBytes:
        ((meter.logBytes.get('ingest') ?? 0) + (meter.logBytes.get('inbound-processor') ?? 0)) / WEBHOOKS,
      logGzipBytes: gzipSync([...meter.logText.values()].flat().join('')).length / WEBHOOKS,
      bodyBytes: mean(Object.values(sentBytes).flat()),
      answeredBytes: answered.requests ? answered.bytes / answered.requests : 0,
      busEventBytes: mean(
        platform.bus.events.slice(routedBefore).map((e) => Buffer.byteLength(JSON.stringify(e))),
      ),
      storedBytes: await inboundStoredBytes(base.dynamodbEndpoint, WEBHOOKS + 20),
      headline: bill.total ?? 0,
    });
    // Everything is sent first and drained after, so the mapping finds full batches waiting:
    // the best case. The other end, a trickle, is measured below (`measureTrickle`).
    const perWebhook = processPart.calls_per_webhook;
    const meanBatch = perWebhook.lambda_invocations > 0 ? 1 / perWebhook.lambda_invocations : 0;
    const batches = {
      how: 'all sent first, then drained: full batches, the best case',
      mean_batch_size: Math.round(meanBatch * 100) / 100,
      s3_put_per_webhook:
        Math.round(
          (ingestPart.calls_per_webhook.s3_put + perWebhook.s3_put * (processed / WEBHOOKS)) * 10_000,
        ) / 10_000,
    };
    const lambda = (fn: string) => {
      const list = durations[fn] ?? [];
      return {
        invocations: list.length,
        p50_ms: Math.round(percentile(list, 50) * 10) / 10,
        mean_ms: Math.round(mean(list) * 10) / 10,
        memory_mb: memory[fn],
      };
    };
    const payloadBytes = Object.fromEntries(
      Object.entries(sentBytes).map(([provider, list]) => [provider, Math.round(mean(list))]),
    );
    const lambdaBurst = {
      ingest: lambda('ingest'),
      'inbound-processor': lambda('inbound-processor'),
    };
    const trickle = await measureTrickle({
      startMapping,
      send,
      routed: () => platform.bus.events.length,
      memory,
      prices,
      burstHeadline: bill.total ?? 0,
      burstAllIn: allIn.http.total,
    });
    return {
      archive_mode: ARCHIVE,
      webhooks: WEBHOOKS,
      sources: SOURCES,
      payload_bytes: payloadBytes,
      routed,
      ingest_per_s: Math.round(WEBHOOKS / (ingestMs / 1000)),
      route_per_s: Math.round(routed / (drainMs / 1000)),
      cost_per_million_usd: Math.round((bill.total ?? 0) * 100) / 100,
      batches,
      trickle,
      bill_per_million_usd: bill,
      all_in_per_million_usd: allIn.http,
      all_in_rest_per_million_usd: allIn.rest,
      all_in_measured: allIn.measured,
      calls_per_webhook: { ingest: ingestPart.calls_per_webhook, processing: processPart.calls_per_webhook },
      lambda: lambdaBurst,
      sqs_billed_chunk: sqsBilledRequests(Math.max(...Object.values(sentBytes).flat())),
      raw_calls: calls,
    };
  } finally {
    await gateway.close();
    await platform.stop();
  }
});
