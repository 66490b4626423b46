import {
  addCounts,
  type BucketCounts,
  breakerState,
  bucketStartMs,
  type Clock,
  COUNTER_SIZE_OF,
  COUNTER_SIZES,
  type DeliveryCounterStore,
  type DeliveryCounts,
  EVENT_STATUSES,
  type EventStore,
  iso,
  latencyPercentile,
  maskUrl,
  NO_COUNTS,
  NotFoundError,
  STATS_BUCKET_MS,
  type StatsBucket,
  statsBucketFor,
  type Webhook,
  type WebhookStore,
} from '@hookrelay/domain';

/** Webhooks whose counters are read at once. */
const READS_AT_ONCE = 10;

interface StatsPorts {
  readonly events: Pick<EventStore, 'countByStatus'>;
  readonly webhooks: Pick<WebhookStore, 'list' | 'get'>;
  readonly counters: Pick<DeliveryCounterStore, 'read'>;
  readonly clock: Clock;
  /** How long attempts, and the hourly counters that count them, are kept. */
  readonly retentionDays: number;
}

/** `15m`, `24h`, `7d` in milliseconds. */
export const windowMs = (text: string): number => {
  const n = Number(text.slice(0, -1));
  const unit = text.slice(-1);
  return n * (unit === 'm' ? 60_000 : unit === 'h' ? 3_600_000 : 86_400_000);
};

/** How an endpoint is failing now, worst first. */
const ENDPOINT_STATES = ['disabled', 'circuit_open', 'failing', 'degraded'] as const;
type EndpointState = (typeof ENDPOINT_STATES)[number];

/**
 * - `disabled`: the platform disabled it (a 410, or failing for days); nothing is sent to it.
 * - `circuit_open`: it stopped answering; its deliveries wait for the breaker (breaker.ts).
 * - `failing`: its latest attempt failed.
 * - `degraded`: attempts failed in the window, but its latest attempt succeeded.
 * A webhook the tenant disabled is not failing.
 */
const endpointState = (webhook: Webhook, failures: number, nowMs: number): EndpointState | undefined => {
  if (!webhook.active) return webhook.disabled_reason ? 'disabled' : undefined;
  if (breakerState(webhook, nowMs).kind !== 'closed') return 'circuit_open';
  if (webhook.failing_since) return 'failing';
  return failures > 0 ? 'degraded' : undefined;
};

const figures = (c: DeliveryCounts) => ({
  attempts: c.succeeded + c.failed,
  succeeded: c.succeeded,
  failed: c.failed,
  delivered: c.delivered,
  exhausted: c.exhausted,
  p50_ms: latencyPercentile(c.latency, 50),
  p95_ms: latencyPercentile(c.latency, 95),
});

const sum = (counts: readonly DeliveryCounts[]): DeliveryCounts => counts.reduce(addCounts, NO_COUNTS);

/** Each webhook's counters of `size` in the range, READS_AT_ONCE webhooks at a time. */
const readCounters = async (
  { counters }: Pick<StatsPorts, 'counters'>,
  tenantId: string,
  webhooks: readonly Webhook[],
  size: BucketCounts['size'],
  range: { after: string; before: string },
): Promise<BucketCounts[][]> => {
  const out: BucketCounts[][] = [];
  for (let i = 0; i < webhooks.length; i += READS_AT_ONCE) {
    const slice = webhooks.slice(i, i + READS_AT_ONCE);
    out.push(...(await Promise.all(slice.map((w) => counters.read(tenantId, w.id, size, range)))));
  }
  return out;
};

/** The counts folded into consecutive buckets from `fromMs` to `untilMs`, empty ones included. */
const seriesOf = (counts: readonly BucketCounts[], bucket: StatsBucket, fromMs: number, untilMs: number) => {
  const bucketMs = STATS_BUCKET_MS[bucket];
  const slots = new Map<number, DeliveryCounts>();
  for (let t = fromMs; t < untilMs; t += bucketMs) slots.set(t, NO_COUNTS);
  for (const c of counts) {
    const t = bucketStartMs(Date.parse(c.start), bucketMs);
    const before = slots.get(t);
    if (before) slots.set(t, addCounts(before, c));
  }
  return [...slots].map(([t, c]) => ({ start: iso(t), ...figures(c) }));
};

/** The tenant's endpoints failing now, worst first, then by failures in the window. */
const failingEndpoints = (webhooks: readonly Webhook[], counts: readonly BucketCounts[][], nowMs: number) =>
  webhooks
    .flatMap((webhook, i) => {
      const own = sum(counts[i] ?? []);
      const state = endpointState(webhook, own.failed, nowMs);
      if (!state) return [];
      // Without a failure counted in the window, a webhook whose latest attempt failed still says when.
      const lastFailure =
        own.last_failure_at ?? (webhook.failing_since ? webhook.last_triggered_at : undefined);
      return [
        {
          webhook_id: webhook.id,
          url: maskUrl(webhook.url),
          failures: own.failed,
          last_failure_at: lastFailure ?? null,
          state,
          ...(webhook.failing_since ? { failing_since: webhook.failing_since } : {}),
          ...(webhook.disabled_reason && !webhook.active ? { disabled_reason: webhook.disabled_reason } : {}),
        },
      ];
    })
    .sort(
      (a, b) =>
        ENDPOINT_STATES.indexOf(a.state) - ENDPOINT_STATES.indexOf(b.state) || b.failures - a.failures,
    );

/**
 * A tenant's numbers over [since, until): `since` is now minus the window, rounded down to the
 * answer's bucket, so that every bucket of the series is whole but the last, which runs until
 * now. Events are counted by their status now; attempts, deliveries ended and latency come
 * from the delivery counters the worker keeps per webhook and bucket, so every attempt of the
 * window is counted, however many there were. `webhook_id` narrows the counters to one webhook.
 *
 * @example tenantStats(ports, { tenantId: 'acme', window: '24h' }) // hourly series, 25 buckets
 */
export const tenantStats = async (
  ports: StatsPorts,
  input: { readonly tenantId: string; readonly window: string; readonly webhookId?: string },
) => {
  const { tenantId, window, webhookId } = input;
  const nowMs = ports.clock.now();
  const span = windowMs(window);
  const bucket = statsBucketFor(span);
  const size = COUNTER_SIZE_OF[bucket];
  const sinceMs = bucketStartMs(nowMs - span, STATS_BUCKET_MS[bucket]);
  // Counters are kept as long as the attempts they count: a window reaching back further is read
  // from the oldest bucket still kept (no expired item is read), and is not complete.
  const keptFromMs = bucketStartMs(nowMs - ports.retentionDays * 86_400_000, COUNTER_SIZES[size].ms);
  const complete = sinceMs >= nowMs - ports.retentionDays * 86_400_000;
  const readFromMs = Math.max(sinceMs, keptFromMs);
  let webhooks: Webhook[];
  if (webhookId) {
    const one = await ports.webhooks.get(tenantId, webhookId);
    if (!one) throw new NotFoundError('webhook', webhookId);
    webhooks = [one];
  } else webhooks = await ports.webhooks.list(tenantId);
  const [counts, perWebhook] = await Promise.all([
    ports.events.countByStatus(tenantId, iso(sinceMs)),
    readCounters(ports, tenantId, webhooks, size, { after: iso(readFromMs), before: iso(nowMs) }),
  ]);
  const all = perWebhook.flat();
  const total = sum(all);
  const attempts = total.succeeded + total.failed;
  return {
    window,
    since: iso(sinceMs),
    until: iso(nowMs),
    ...(webhookId ? { webhook_id: webhookId } : {}),
    bucket,
    covers: statsCovers(ports.retentionDays),
    counts: Object.fromEntries(EVENT_STATUSES.map((s) => [s, counts[s]])),
    total: Object.values(counts).reduce((a, b) => a + b, 0),
    success_rate: attempts === 0 ? null : total.succeeded / attempts,
    attempts: { total: attempts, succeeded: total.succeeded, failed: total.failed, complete },
    deliveries: { delivered: total.delivered, exhausted: total.exhausted },
    attempt_latency_ms: {
      p50: latencyPercentile(total.latency, 50),
      p95: latencyPercentile(total.latency, 95),
      sample: attempts,
    },
    series: seriesOf(all, bucket, bucketStartMs(readFromMs, STATS_BUCKET_MS[bucket]), nowMs),
    failing_endpoints: failingEndpoints(webhooks, perWebhook, nowMs),
  };
};

/** What each figure counts, in words (the answer carries it). */
export const statsCovers = (retentionDays: number) => ({
  events:
    'Events created in [since, until), counted by their status now: all of the tenant, even when ' +
    'webhook_id is given. since is now minus the window, rounded down to the bucket.',
  attempts:
    'Delivery attempts made in [since, until) to the webhooks the tenant has now (or the one ' +
    'webhook_id names; those of deleted webhooks are not counted), every one of them. complete is ' +
    `false when the window reaches back past the ${retentionDays} days attempts are kept.`,
  success_rate: 'attempts.succeeded / attempts.total; null when no attempt was made.',
  deliveries:
    'Deliveries that ended in [since, until): DELIVERED, or FAILED with their retries spent ' +
    '(exhausted); a delivery retried later by hand counts again when it ends again.',
  attempt_latency_ms:
    'p50 and p95 of those attempts, from log-spaced bins: within 4.5 % (and half a millisecond) ' +
    'of the exact value.',
  series:
    'The same figures per bucket (5m, 1h or 1d, UTC), oldest first and empty buckets included; ' +
    'the last one runs until now.',
  failing_endpoints:
    'Endpoints failing now, worst first: disabled by the platform, circuit_open (deliveries held ' +
    'back after attempts got no answer), failing (the latest attempt failed), or degraded (attempts ' +
    'failed in the window, the latest succeeded); failures counts the window.',
});
