import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { startEngines } from '@hookrelay/local';
import { runChild } from './child.js';
import { GOALS } from './goals.js';
import { payloadSize } from './payload.js';
import { loadPrices } from './pricing.js';
import { renderMarkdown } from './report.js';
import { QUICK } from './section.js';

/**
 * `make bench`: starts DynamoDB Local and fauxqs once, runs each section in its own process
 * (cold start, cost, overhead, end to end), and writes `.bench/latest.json` and a Markdown
 * rendering of the tables, `.bench/latest.md`. Benchmarks report; nothing here passes or
 * fails on a number. BENCH_ONLY=cost,e2e runs some sections (written to .bench/partial.json).
 */

const SECTIONS = ['cold-start', 'cost', 'overhead', 'e2e', 'soak', 'inbound'] as const;
type Section = (typeof SECTIONS)[number];

const javaVersion = (): Promise<string> =>
  new Promise((resolve) => {
    execFile('java', ['-version'], (_error, _stdout, stderr) => {
      resolve(/version "([^"]+)"/.exec(String(stderr))?.[1] ?? 'unknown');
    });
  });

/** The commit measured, with `+dirty` when the work tree has changes. */
const commit = (): Promise<string> =>
  new Promise((resolve) => {
    execFile('git', ['rev-parse', '--short', 'HEAD'], (error, sha) => {
      if (error) return resolve('unknown');
      execFile('git', ['status', '--porcelain', '--untracked-files=no'], (_e, changes) => {
        resolve(`${String(sha).trim()}${String(changes).trim() ? '+dirty' : ''}`);
      });
    });
  });

const machine = async (): Promise<string> => {
  const cpu = cpus();
  return [
    `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}`,
    `${Math.round(totalmem() / 2 ** 30)} GB RAM`,
    `${type()} ${release()}`,
    `Node ${process.version}`,
    `Java ${await javaVersion()} (DynamoDB Local)`,
  ].join(', ');
};

// biome-ignore lint/suspicious/noExplicitAny: section results are JSON read field by field
type Json = any;

const main = async () => {
  const started = Date.now();
  const only = (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean) as Section[];
  const sections = only.length ? SECTIONS.filter((s) => only.includes(s)) : [...SECTIONS];
  const out = join(process.cwd(), '.bench');
  mkdirSync(out, { recursive: true });
  console.log(`bench: ${QUICK ? 'quick' : 'full'} run of ${sections.join(', ')}`);

  const engines = await startEngines();
  const results: Partial<Record<Section, Json>> = {};
  const errors: Record<string, string> = {};
  try {
    for (const section of sections) {
      const t = Date.now();
      console.log(`bench: ${section}`);
      try {
        results[section] = await runChild(section, engines);
      } catch (error) {
        errors[section] = error instanceof Error ? error.message : String(error);
        console.error(`bench: ${section} failed: ${errors[section]}`);
      }
      console.log(`bench: ${section} took ${Math.round((Date.now() - t) / 1000)} s`);
    }
  } finally {
    await engines.stop();
  }

  const prices = loadPrices();
  const { cost, overhead, e2e, soak, inbound } = results as Record<Section, Json>;
  const coldStart = results['cold-start'] as Json;
  const report = {
    cost_per_million_usd:
      cost || inbound
        ? {
            ...(cost
              ? {
                  single: cost.modes.single.cost_per_million_usd,
                  single_rest: cost.modes.single.cost_per_million_rest_usd,
                  batch: cost.modes.batch.cost_per_million_usd,
                  ...(cost.modes.ordered ? { ordered: cost.modes.ordered.cost_per_million_usd } : {}),
                  ...(cost.modes.trickle
                    ? {
                        trickle: cost.modes.trickle.cost_per_million_usd,
                        trickle_mean_batch_size: cost.modes.trickle.mean_batch_size,
                      }
                    : {}),
                  export: cost.reads.export.per_million_events.total,
                  stats_day: cost.reads.stats_day.per_million_calls.total,
                  // Every mode's bill with every line (details.cost.modes.<mode>.all_in_per_million_usd).
                  all_in: Object.fromEntries(
                    Object.entries(cost.modes as Record<string, Json>).map(([mode, m]) => [
                      mode,
                      m.all_in_per_million_usd.total,
                    ]),
                  ),
                }
              : {}),
            ...(inbound
              ? {
                  // All in, on Stripe, GitHub and Shopify bodies, behind the HTTP API (the default);
                  // behind the REST API with its web ACL (prod's door) beside it.
                  inbound: inbound.all_in_per_million_usd.total,
                  inbound_rest: inbound.all_in_rest_per_million_usd.total,
                  inbound_headline: inbound.cost_per_million_usd,
                }
              : {}),
          }
        : null,
    inbound_bill_per_million_usd: inbound ? inbound.bill_per_million_usd : null,
    calls_per_event: cost
      ? { single: cost.modes.single.calls_per_event, batch: cost.modes.batch.calls_per_event }
      : null,
    overhead_ratio: overhead ? { ingest: overhead.ingest.ratio, delivery: overhead.delivery.ratio } : null,
    e2e: e2e
      ? {
          rate: e2e.rate,
          p50_ms: e2e.p50_ms,
          p95_ms: e2e.p95_ms,
          p99_ms: e2e.p99_ms,
          lost: e2e.lost,
          duplicates: e2e.duplicates,
          deliveries_per_s: e2e.deliveries_per_s,
          seconds: e2e.seconds,
        }
      : null,
    soak: soak
      ? {
          rate: soak.rate,
          topology: soak.topology,
          lost: soak.lost,
          unaccounted: soak.unaccounted,
          api_errors: soak.api_errors,
          duplicates: soak.duplicates,
          healthy_p50_ms: soak.healthy_p50_ms,
          healthy_p99_ms: soak.healthy_p99_ms,
          slow_p99_ms: soak.slow_p99_ms,
          tenant2_p99_ms: soak.tenant2_p99_ms,
          order_violations: soak.ordered?.order_violations ?? null,
          ordered_lost: soak.ordered?.lost ?? null,
          ordered_p50_ms: soak.ordered?.p50_ms ?? null,
          ordered_p99_ms: soak.ordered?.p99_ms ?? null,
          drain_s: soak.drain_s,
          crash_recovery_s: soak.crash_recovery_s,
          amplification: soak.amplification,
          sqs_sends_per_delivery: soak.sqs_sends_per_delivery,
          dead_attempts_per_min: soak.dead_attempts_per_min,
          cost_per_million_usd: soak.cost_per_million_usd,
          rss_mb_max: soak.rss_mb_max,
          cpu: soak.cpu ?? null,
        }
      : null,
    cold_start: coldStart
      ? Object.fromEntries(
          Object.entries(coldStart.services as Record<string, Json>).map(([svc, r]) => [
            svc,
            {
              bundle_kb: r.bundle_kb,
              init_kb: r.init_kb,
              init_ms: r.init_ms,
              floor_init_ms: r.floor_init_ms,
              sdk_floor_init_ms: r.sdk_floor_init_ms,
              ratio_to_sdk_floor: r.ratio_to_sdk_floor,
            },
          ]),
        )
      : null,
    machine: await machine(),
    taken_at: new Date().toISOString(),
    commit: await commit(),
    quick: QUICK,
    duration_s: Math.round((Date.now() - started) / 1000),
    goals: GOALS,
    prices: { region: prices.region, as_of: prices.as_of },
    anchors_per_million_usd: Object.fromEntries(Object.entries(prices.anchors).map(([k, a]) => [k, a.usd])),
    ...(Object.keys(errors).length ? { errors } : {}),
    details: { payload: payloadSize(), cost, overhead, e2e, soak, cold_start: coldStart, inbound },
  };
  const complete = sections.length === SECTIONS.length && Object.keys(errors).length === 0;
  const file = join(out, complete ? 'latest.json' : 'partial.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(out, complete ? 'latest.md' : 'partial.md'), renderMarkdown(report, prices));
  console.log(`bench: wrote ${file} in ${report.duration_s} s`);
  if (Object.keys(errors).length) process.exit(1);
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
