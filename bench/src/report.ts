import { GOALS } from './goals.js';
import type { PriceTable } from './pricing.js';

// biome-ignore lint/suspicious/noExplicitAny: the report is JSON read field by field
type Json = any;

const usd = (n: number | undefined) => (n === undefined ? '–' : `$${n.toFixed(2)}`);
const num = (n: number | undefined, digits = 2) =>
  n === undefined ? '–' : Number.isInteger(n) ? String(n) : n.toFixed(digits);
const met = (ok: boolean) => (ok ? 'met' : '**not met**');
/** A table's header written as one line, the columns apart at each `|`. */
const columns = (line: string): string[] => line.split('|');

const table = (head: string[], rows: (string | number)[][]) =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
/** A heading and its table, the header written as one line. */
const titled = (heading: string, head: string, rows: (string | number)[][]) => [
  heading,
  table(columns(head), rows),
];

/** The tables of a run, as docs/benchmarks.md shows them. */
export const renderMarkdown = (r: Json, prices: PriceTable): string => {
  const parts: string[] = [
    `Run of ${r.taken_at} at commit ${r.commit} (${r.quick ? 'quick' : 'full'}, ${r.duration_s} s) on ${r.machine}. Prices: ${prices.region}, as of ${prices.as_of}.`,
  ];
  const inbound = r.details.inbound;
  if (inbound) {
    const b = inbound.bill_per_million_usd;
    const h = inbound.all_in_per_million_usd;
    const rest = inbound.all_in_rest_per_million_usd;
    const sizes = Object.entries(inbound.payload_bytes as Record<string, number>)
      .map(([provider, bytes]) => `${provider} ${bytes} B`)
      .join(', ');
    parts.push(
      ...titled(
        '### Cost per million inbound webhooks',
        `|${inbound.webhooks} webhooks (${sizes}) to ${inbound.sources} sources, archived ${inbound.archive_mode === 'batch' ? 'by the processor a batch at a time' : 'at ingest'}, HTTP API|REST API and its web ACL (prod)`,
        [
          ['**all in**', `**${usd(h.total)}**`, `**${usd(rest.total)}**`],
          [
            'goal',
            `≤ ${usd(GOALS.cost_per_million_inbound_usd)} (${met(h.total <= GOALS.cost_per_million_inbound_usd)})`,
            `≤ ${usd(GOALS.cost_per_million_inbound_usd)} (${met(rest.total <= GOALS.cost_per_million_inbound_usd)})`,
          ],
          ...(inbound.batches
            ? [
                [
                  `the processor's mean batch; S3 PUTs per webhook (${inbound.batches.how})`,
                  `${inbound.batches.mean_batch_size}; ${inbound.batches.s3_put_per_webhook}`,
                  `${inbound.batches.mean_batch_size}; ${inbound.batches.s3_put_per_webhook}`,
                ],
              ]
            : []),
          ...(inbound.trickle
            ? [
                [
                  `a trickle (${inbound.trickle.how}): mean batch ${inbound.trickle.mean_batch_size}, ${inbound.trickle.s3_put_per_webhook} S3 PUTs per webhook, all in`,
                  usd(inbound.trickle.all_in_per_million_usd),
                  usd(rest.total + inbound.trickle.all_in_per_million_usd - h.total),
                ],
              ]
            : []),
          ['API Gateway (HTTP API, the public route)', usd(b.api_gateway), usd(b.api_gateway)],
          [
            'REST API over HTTP API, WAF requests',
            '–',
            usd(rest.api_gateway_rest_over_http + rest.waf_requests),
          ],
          ['Lambda requests', usd(b.lambda_requests), usd(b.lambda_requests)],
          ['Lambda duration (arm64)', usd(b.lambda_duration), usd(b.lambda_duration)],
          [
            inbound.archive_mode === 'batch'
              ? 'S3 PUT (archive: a batch’s bodies, one object per tenant)'
              : 'S3 PUT (archive: each body at ingest)',
            usd(b.s3_put),
            usd(b.s3_put),
          ],
          ['S3 GET (processing reads the body)', usd(b.s3_get), usd(b.s3_get)],
          ['DynamoDB writes', usd(b.dynamodb_writes), usd(b.dynamodb_writes)],
          ['DynamoDB reads', usd(b.dynamodb_reads), usd(b.dynamodb_reads)],
          ['SQS FIFO', usd(b.sqs_fifo), usd(b.sqs_fifo)],
          ['EventBridge PutEvents', usd(b.eventbridge), usd(b.eventbridge)],
          ...[
            ['CloudWatch Logs ingestion', 'cloudwatch_logs_ingestion'],
            ['CloudWatch Logs storage', 'cloudwatch_logs_storage'],
            ['X-Ray', 'xray'],
            ['Lambda INIT', 'lambda_init'],
            ['S3 storage (the archive, until it expires)', 's3_storage'],
            ['DynamoDB storage', 'dynamodb_storage'],
            ['DynamoDB point-in-time recovery', 'dynamodb_pitr'],
            ['EventBridge archive (written, stored 30 days)', 'eventbridge_archive'],
            ['per-provider queues (the rule’s send, a consumer’s receive and delete)', 'provider_queues'],
            ['data transfer out (the 202)', 'data_transfer_out'],
          ].map(([label, key]) => [label as string, usd(h[key as string]), usd(rest[key as string])]),
        ],
      ),
    );
  }
  const cost = r.details.cost;
  if (cost) {
    const s = cost.modes.single;
    const b = cost.modes.batch;
    const i = cost.modes.idempotent;
    const line = (key: string) => [
      usd(s.bill_per_million_usd[key]),
      usd(b.bill_per_million_usd[key]),
      usd(i?.bill_per_million_usd[key]),
    ];
    parts.push(
      '### Cost per million delivered events',
      table(
        ['', 'single `POST /v1/events`', 'batch of 100', 'single + Idempotency-Key'],
        [
          [
            '**total**',
            `**${usd(s.cost_per_million_usd)}**`,
            `**${usd(b.cost_per_million_usd)}**`,
            usd(i?.cost_per_million_usd),
          ],
          [
            'total behind the REST API',
            usd(s.cost_per_million_rest_usd),
            usd(b.cost_per_million_rest_usd),
            usd(i?.cost_per_million_rest_usd),
          ],
          [
            'goal',
            `≤ ${usd(GOALS.cost_per_million_single_usd)} (${met(s.cost_per_million_usd <= GOALS.cost_per_million_single_usd)})`,
            `≤ ${usd(GOALS.cost_per_million_batch_usd)} (${met(b.cost_per_million_usd <= GOALS.cost_per_million_batch_usd)})`,
            '–',
          ],
          ['API Gateway (HTTP API, the default)', ...line('api_gateway')],
          ['Lambda requests', ...line('lambda_requests')],
          ['Lambda duration (arm64)', ...line('lambda_duration')],
          ['DynamoDB writes', ...line('dynamodb_writes')],
          ['DynamoDB reads', ...line('dynamodb_reads')],
          ['SQS', ...line('sqs')],
        ],
      ),
      ...(cost.modes.trickle
        ? [
            `A trickle (one event at a time, ${cost.modes.trickle.events} at a steady rate, the worker taking ` +
              `them as they come; mean batch ${cost.modes.trickle.mean_batch_size}): ` +
              `**${usd(cost.modes.trickle.cost_per_million_usd)}** per million, ` +
              `**${usd(cost.modes.trickle.all_in_per_million_usd.total)}** all in ` +
              `(goal ≤ ${usd(GOALS.cost_per_million_trickle_all_in_usd)}: ` +
              `${met(cost.modes.trickle.all_in_per_million_usd.total <= GOALS.cost_per_million_trickle_all_in_usd)}).`,
          ]
        : []),
      `All in: every line of the bill, priced for the \`${cost.assumptions.priced_stage}\` stage's settings ` +
        '(log retention, Lambda system log level, tracing); the assumptions are in `details.cost.assumptions`.',
      (() => {
        const modes = Object.keys(cost.modes as Record<string, Json>);
        const allIn = (mode: string) => cost.modes[mode].all_in_per_million_usd;
        const goal: Record<string, number> = {
          single: GOALS.cost_per_million_single_all_in_usd,
          batch: GOALS.cost_per_million_batch_all_in_usd,
          trickle: GOALS.cost_per_million_trickle_all_in_usd,
        };
        const row = (label: string, key: string) => [label, ...modes.map((m) => usd(allIn(m)[key]))];
        return table(
          ['', ...modes],
          [
            row('the headline (above)', 'headline'),
            row(
              'CloudWatch Logs ingestion (functions, Lambda records, access log)',
              'cloudwatch_logs_ingestion',
            ),
            row('CloudWatch Logs storage (compressed, for the retention)', 'cloudwatch_logs_storage'),
            row('X-Ray (functions with active tracing, sampled)', 'xray'),
            row('Lambda INIT (billed cold starts)', 'lambda_init'),
            row(`DynamoDB storage (${cost.stored_bytes_per_event} B/event)`, 'dynamodb_storage'),
            row('DynamoDB point-in-time recovery', 'dynamodb_pitr'),
            row('KMS (the tables’ key, secrets at init)', 'kms'),
            row('CloudWatch custom metrics (EMF)', 'cloudwatch_metrics'),
            row('data transfer out (endpoints, API answers)', 'data_transfer_out'),
            ['**all in**', ...modes.map((m) => `**${usd(allIn(m).total)}**`)],
            [
              'goal',
              ...modes.map((m) =>
                goal[m] === undefined ? '–' : `≤ ${usd(goal[m])} (${met(allIn(m).total <= (goal[m] ?? 0))})`,
              ),
            ],
          ],
        );
      })(),
      '### Calls per event',
      table(
        ['', 'single', 'batch of 100'],
        [
          [
            'API Gateway requests',
            num(s.calls_per_event.api_gateway_requests),
            num(b.calls_per_event.api_gateway_requests),
          ],
          [
            'Lambda invocations (api + worker)',
            num(s.calls_per_event.lambda_invocations, 3),
            num(b.calls_per_event.lambda_invocations, 3),
          ],
          [
            'authorizer invocations (amortised)',
            num(s.calls_per_event.authorizer_invocations, 6),
            num(b.calls_per_event.authorizer_invocations, 6),
          ],
          [
            'sweeper runs (amortised)',
            num(s.calls_per_event.sweeper_runs, 6),
            num(b.calls_per_event.sweeper_runs, 6),
          ],
          ['DynamoDB calls', num(s.calls_per_event.dynamodb_calls), num(b.calls_per_event.dynamodb_calls)],
          ['DynamoDB write units', num(s.calls_per_event.dynamodb_wru), num(b.calls_per_event.dynamodb_wru)],
          ['DynamoDB read units', num(s.calls_per_event.dynamodb_rru), num(b.calls_per_event.dynamodb_rru)],
          [
            'SQS requests (64 KB chunks)',
            num(s.calls_per_event.sqs_requests, 3),
            num(b.calls_per_event.sqs_requests, 3),
          ],
        ],
      ),
      'Per function (single):',
      table(
        ['function', 'calls per event'],
        Object.entries(s.calls_per_event.by_function as Record<string, Record<string, number>>).map(
          ([fn, calls]) => [
            fn,
            Object.entries(calls)
              .map(([c, n]) => `${c} ${num(n, 3)}`)
              .join(', '),
          ],
        ),
      ),
      'Against the anchors:',
      table(
        ['', 'per million'],
        [
          ['Hookrelay, single', usd(s.cost_per_million_usd)],
          ['Hookrelay, batch of 100', usd(b.cost_per_million_usd)],
          ...Object.values(prices.anchors).map((a) => [a.what, usd(a.usd)]),
        ],
      ),
    );
  }
  const o = r.details.overhead;
  if (o) {
    parts.push(
      ...titled(
        '### Overhead against the floor',
        `path|ours (per s)|floor (per s)|ratio (median of rounds)|per round|ratio of totals|goal ≥ ${GOALS.overhead_ratio_min}`,
        (
          [
            ['ingest (handler, direct)', o.ingest],
            ['delivery (mapping + worker)', o.delivery],
          ] as const
        ).map(([path, x]) => [
          path,
          x.ours_per_s,
          x.floor_per_s,
          `**${num(x.ratio)}**`,
          x.ratio_per_round.join(', '),
          num(x.ratio_of_totals),
          met(x.ratio >= GOALS.overhead_ratio_min),
        ]),
      ),
    );
  }
  const e = r.details.e2e;
  if (e) {
    parts.push(
      ...titled(
        '### End to end on the local platform',
        'rate|seconds|accepted|delivered/s|p50|p95|p99|max|lost|duplicates|ingest p50 / p95 / p99',
        [
          [
            `${e.rate}/s`,
            e.seconds,
            e.accepted,
            e.deliveries_per_s,
            `${e.p50_ms} ms`,
            `${e.p95_ms} ms`,
            `${e.p99_ms} ms`,
            `${e.max_ms} ms`,
            `**${e.lost}**`,
            e.duplicates,
            `${e.ingest_p50_ms} / ${e.ingest_p95_ms} / ${e.ingest_p99_ms} ms`,
          ],
        ],
      ),
    );
  }
  const k = r.details.soak;
  if (k) {
    parts.push(
      ...titled(
        "### Soak on production's topology: a healthy, a flaky, a slow and a hanging endpoint, a second tenant, killed with -9 midway",
        'rate|seconds|deliveries|lost|unaccounted|API errors|healthy p50 / p99|slow p50 / p99|tenant 2 p99|ordered (F): order violations / lost / p50 / p99|drain|crash recovery|amplification|SQS sends / delivery|attempts to D / min|RSS max',
        [
          [
            `${k.rate}/s + ${k.ordered.rate}/s ordered + ${k.tenant2_rate}/s`,
            k.seconds,
            k.deliveries_accepted,
            `**${k.lost}**`,
            `**${k.unaccounted}**`,
            k.api_errors,
            `${k.healthy_p50_ms} / ${k.healthy_p99_ms} ms`,
            `${k.slow_p50_ms} / ${k.slow_p99_ms} ms`,
            `${k.tenant2_p99_ms} ms`,
            `**${k.ordered.order_violations}** / ${k.ordered.lost} / ${k.ordered.p50_ms} / ${k.ordered.p99_ms} ms`,
            k.drain_s === null ? 'not drained' : `${k.drain_s} s`,
            k.crash_recovery_s === null ? '—' : `${k.crash_recovery_s} s`,
            num(k.amplification),
            num(k.sqs_sends_per_delivery),
            k.dead_attempts_per_min,
            `${k.rss_mb_max} MB`,
          ],
        ],
      ),
      table(
        columns(
          `lost = 0|unaccounted = 0|API errors = 0|healthy p99 ≤ ${GOALS.soak_healthy_p99_ms_max} ms|slow p99 ≤ ${GOALS.soak_slow_p99_ms_max} ms|drain ≤ ${GOALS.soak_drain_s_max} s|crash recovery ≤ ${GOALS.soak_crash_recovery_s_max} s|amplification ≤ ${GOALS.soak_amplification_max}|order violations = ${GOALS.soak_order_violations}`,
        ),
        [
          [
            met(k.lost === GOALS.lost),
            met(k.unaccounted === 0),
            met(k.api_errors === 0),
            met(k.healthy_p99_ms <= GOALS.soak_healthy_p99_ms_max),
            met(k.slow_p99_ms <= GOALS.soak_slow_p99_ms_max),
            met(k.drain_s !== null && k.drain_s <= GOALS.soak_drain_s_max),
            met(k.crash_recovery_s === null || k.crash_recovery_s <= GOALS.soak_crash_recovery_s_max),
            met(k.amplification <= GOALS.soak_amplification_max),
            met(k.ordered.order_violations === GOALS.soak_order_violations),
          ],
        ],
      ),
      `Topology: main lane ${k.topology.main_lane_max_concurrency} × batches of ${k.topology.main_lane_batch_size}, slow lane ${k.topology.slow_lane_max_concurrency} × ${k.topology.slow_lane_batch_size}, the worker in Lambda-like instances, IAM enforced, nothing released at the restart (visibility timeout ${k.topology.visibility_timeout_s} s). Killed at ${k.kill_at_s} s, back in ${k.restart_s} s; ${k.refused_while_down} requests refused while it was down; ${k.held_by_killed} deliveries held by the killed platform. Retry schedule ${k.retry_schedule}. F: ${k.ordered.keys} keys, 500 on ${k.ordered.failure_rate * 100} % of requests; its p50 / p99 count the deliveries queued behind a key the killed platform held (${k.ordered.p50_ms_not_held} / ${k.ordered.p99_ms_not_held} ms without them). D's deliveries at the end: ${JSON.stringify(k.d_states)}. The bill of this run is not metered (the platform runs in a process of its own).`,
    );
    const cpu = k.cpu;
    if (cpu) {
      const roles = Object.keys(cpu.cpu_s);
      parts.push(
        `CPU by where it went (user + system, from /proc), over ${cpu.window_s} s of steady state (to the kill, or to the load's end), ${cpu.deliveries} deliveries sent (${cpu.deliveries_per_s}/s), ${cpu.attempts} attempts and ${cpu.deliveries_received} first 2xx in it, ${cpu.instances_started} instances started: ${cpu.cores_used} cores used; the whole machine kept ${cpu.machine_cores_busy} busy, 1-minute load ${cpu.loadavg.start}–${cpu.loadavg.end}. Event loop utilisation: platform main thread ${cpu.event_loop_utilization.platform_main_thread}, Lambda instances ${cpu.event_loop_utilization.lambda_instances}.`,
        table(
          ['', ...roles, 'total'],
          [
            ['CPU s', ...roles.map((role) => num(cpu.cpu_s[role])), num(cpu.total_cpu_s)],
            [
              'CPU ms / delivery',
              ...roles.map((role) => num(cpu.cpu_ms_per_delivery[role])),
              num(cpu.total_cpu_ms_per_delivery),
            ],
          ],
        ),
      );
    }
  }
  const c = r.details.cold_start;
  if (c) {
    parts.push(
      ...titled(
        '### Cold start',
        `function|bundle|gzip|read at init|init (median)|floor|ratio|SDK floor|vs SDK floor|bundle ≤ 1 MB|init ≤ ${GOALS.init_ratio_max}×|≤ ${c.sdk_floor_target_ratio}× SDK floor`,
        Object.entries(c.services as Record<string, Json>).map(([svc, x]) => [
          svc,
          `${x.bundle_kb} KB`,
          `${x.gzip_kb} KB`,
          `${x.init_kb} KB`,
          `${x.init_ms} ms`,
          `${x.floor_init_ms} ms`,
          `${num(x.ratio)}×`,
          `${x.sdk_floor_init_ms} ms`,
          `${num(x.ratio_to_sdk_floor)}×`,
          met(x.bundle_kb <= GOALS.bundle_kb_max),
          met(x.ratio <= GOALS.init_ratio_max),
          met(x.sdk_floor_target_met),
        ]),
      ),
      `Floor: bare Middy + Powertools Logger, ${c.floor.bundle_kb} KB, ${c.floor.init_ms} ms. SDK floor: the floor plus the AWS SDK clients that function builds at init (bench/src/floor-sdk-handler.ts). Medians of ${c.runs} fresh processes with --enable-source-maps, as on AWS. Bundle: every chunk deployed; read at init: the entry and the chunks it imports (the rest load on first use).`,
      ...(c.services.api?.first_request_ms !== undefined
        ? [
            `api: its first request after the init (a POST /v1/events, through its route group, loaded then, to the SDK's refused connection) took ${c.services.api.first_request_ms} ms.`,
          ]
        : []),
    );
  }
  return `${parts.join('\n\n')}\n`;
};
