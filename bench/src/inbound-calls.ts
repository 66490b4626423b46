import { type CallStats, meter } from './meter.js';
import { gbSeconds, type PriceTable } from './pricing.js';
import { sum } from './stats.js';

/**
 * What the inbound section's handlers asked of AWS, by function and command, and what that
 * costs per million webhooks.
 */
export type Calls = Record<string, Record<string, CallStats>>;

export const snapshotCalls = (): Calls => {
  const calls: Calls = {};
  for (const [key, s] of meter.calls) {
    const [fn = '', command = ''] = key.split('|');
    calls[fn] = { ...(calls[fn] ?? {}), [command]: { ...s } };
  }
  return calls;
};

export const count = (
  calls: Calls,
  fns: readonly string[],
  command: string,
  pick: (s: CallStats) => number,
) => sum(fns.map((fn) => (calls[fn]?.[command] ? pick(calls[fn][command]) : 0)));

export const price = (
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
    // The default front door, an HTTP API; the REST API's price is beside it in the report.
    api_gateway: apiRequestsPerWebhook * p.api_gateway.http_per_million_requests,
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
