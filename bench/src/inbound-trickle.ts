import { price, snapshotCalls } from './inbound-calls.js';
import { meter } from './meter.js';
import type { PriceTable } from './pricing.js';
import { QUICK } from './section.js';

/** Webhooks sent one at a time, each after the one before was answered, this far apart. */
const TRICKLE = { webhooks: QUICK ? 30 : 100, intervalMs: 300 };

/**
 * A source sending one webhook at a time, with the mapping running: a FIFO queue's mapping has
 * no batching window, so each poll finds what has arrived since the last, usually one. Its
 * calls and durations are measured, ingestion's and processing's; the all-in lines beyond the
 * headline are the burst's, moved by the headline's difference.
 */
export const measureTrickle = async (m: {
  startMapping: () => Promise<{ stop: () => Promise<void> }>;
  send: (i: number) => Promise<void>;
  routed: () => number;
  memory: Record<string, number>;
  prices: PriceTable;
  burstHeadline: number;
  burstAllIn: number;
}) => {
  // A stopped mapping's last long poll (1 s) may still take a message: let it run out first.
  await new Promise((r) => setTimeout(r, 1_500));
  meter.reset();
  meter.recording = true;
  const mapping = await m.startMapping();
  const before = m.routed();
  for (let i = 0; i < TRICKLE.webhooks; i++) {
    await m.send(100_000 + i);
    await new Promise((r) => setTimeout(r, TRICKLE.intervalMs));
  }
  const deadline = Date.now() + 60_000;
  while (m.routed() < before + TRICKLE.webhooks && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  await mapping.stop();
  meter.recording = false;
  const calls = snapshotCalls();
  const durations = Object.fromEntries([...meter.durations].map(([fn, list]) => [fn, [...list]]));
  const ingestOnly = price(
    { ingest: calls.ingest ?? {} },
    { ingest: durations.ingest ?? [] },
    m.memory,
    TRICKLE.webhooks,
    m.prices,
    1,
  );
  const processing = price(
    { 'inbound-processor': calls['inbound-processor'] ?? {}, esm: calls.esm ?? {} },
    { 'inbound-processor': durations['inbound-processor'] ?? [] },
    m.memory,
    TRICKLE.webhooks,
    m.prices,
    0,
  );
  const headline = ingestOnly.bill_per_million_usd.total + processing.bill_per_million_usd.total;
  const perWebhook = processing.calls_per_webhook;
  return {
    how: `${TRICKLE.webhooks} webhooks one at a time, ${TRICKLE.intervalMs} ms apart, the mapping running`,
    routed: m.routed() - before,
    mean_batch_size:
      perWebhook.lambda_invocations > 0 ? Math.round((1 / perWebhook.lambda_invocations) * 100) / 100 : 0,
    s3_put_per_webhook: ingestOnly.calls_per_webhook.s3_put + perWebhook.s3_put,
    cost_per_million_usd: Math.round(headline * 100) / 100,
    all_in_per_million_usd: Math.round((m.burstAllIn - m.burstHeadline + headline) * 100) / 100,
    bill_per_million_usd: Object.fromEntries(
      Object.entries(ingestOnly.bill_per_million_usd).map(([k, v]) => [
        k,
        Math.round((v + ((processing.bill_per_million_usd as Record<string, number>)[k] ?? 0)) * 10_000) /
          10_000,
      ]),
    ),
    calls_per_webhook: { ingest: ingestOnly.calls_per_webhook, processing: perWebhook },
  };
};
