/**
 * A webhook's delivery counters per time bucket: what `GET /v1/stats` answers from, kept as
 * deliveries happen so that a window's figures are complete however many attempts it holds
 * (docs/delivery.md, "Event statuses and /v1/stats"). The worker sums a batch's attempts per
 * (webhook, bucket) and adds each sum in one write; the API folds the buckets of a window.
 */

/**
 * The sizes counters are kept in. Every attempt is counted in both: 5-minute buckets for short
 * windows (kept two days: only windows up to 6 hours read them), hourly ones for the rest (kept
 * as long as attempts). Two writes per webhook and batch buy reads that stay small: 6 hours are
 * 73 items per webhook, 30 days 721.
 */
export const COUNTER_SIZES = {
  '5m': { ms: 300_000, keptMs: 2 * 86_400_000 },
  '1h': { ms: 3_600_000, keptMs: undefined },
} as const satisfies Record<string, { ms: number; keptMs: number | undefined }>;
export type CounterSize = keyof typeof COUNTER_SIZES;

/** The bucket a stats answer is given in: a counter size, or days folded from hourly counters. */
export type StatsBucket = CounterSize | '1d';
export const STATS_BUCKET_MS: Readonly<Record<StatsBucket, number>> = {
  '5m': 300_000,
  '1h': 3_600_000,
  '1d': 86_400_000,
};
/** The counters a stats bucket is folded from. */
export const COUNTER_SIZE_OF: Readonly<Record<StatsBucket, CounterSize>> = {
  '5m': '5m',
  '1h': '1h',
  '1d': '1h',
};

/**
 * The bucket a window is answered in: 5 minutes up to 6 hours, hourly up to 7 days, daily
 * beyond (at most 73, 169 and 31 points over the kept 30 days).
 *
 * @example
 * statsBucketFor(24 * 3_600_000) // '1h'
 */
export const statsBucketFor = (windowMs: number): StatsBucket =>
  windowMs <= 6 * 3_600_000 ? '5m' : windowMs <= 7 * 86_400_000 ? '1h' : '1d';

/** The start of the bucket holding `ms` (UTC: days start at midnight UTC). */
export const bucketStartMs = (ms: number, bucketMs: number): number => Math.floor(ms / bucketMs) * bucketMs;

/**
 * Latency bins: 8 per doubling of the duration, log-spaced from 1 ms (bin 0 holds durations
 * under 1 ms; durations from 2^17 ms, past any delivery timeout, share the last bin). A bin's
 * value is the geometric middle of its bounds, so a percentile read from the bins is within
 * 2^(1/16) - 1 < 4.5 % of the true one (plus half a millisecond, durations being whole ms).
 */
const LATENCY_BINS_PER_DOUBLING = 8;
export const LATENCY_MAX_BIN = 1 + LATENCY_BINS_PER_DOUBLING * 17;

/**
 * @example
 * latencyBin(0) // 0
 * latencyBin(1) // 1
 * latencyBin(100) // 54
 */
export const latencyBin = (durationMs: number): number => {
  if (!(durationMs >= 1)) return 0;
  return Math.min(LATENCY_MAX_BIN, 1 + Math.floor(LATENCY_BINS_PER_DOUBLING * Math.log2(durationMs)));
};

/**
 * What a bin stands for, in whole ms.
 *
 * @example
 * latencyBinValue(54) // 103 (bin 54 holds 99 to 107 ms)
 */
export const latencyBinValue = (bin: number): number =>
  bin <= 0 ? 0 : Math.round(2 ** ((bin - 1 + 0.5) / LATENCY_BINS_PER_DOUBLING));

/** Attempts per latency bin. */
type LatencyHistogram = Readonly<Record<number, number>>;

/**
 * The p-th percentile of the attempts in the histogram (the value of rank ⌊p·n/100⌋ + 1, as
 * a sorted list of the durations gives it), or null when it holds none.
 *
 * @example
 * latencyPercentile({ 54: 9, 80: 1 }, 50) // 103
 */
export const latencyPercentile = (histogram: LatencyHistogram, p: number): number | null => {
  const bins = Object.entries(histogram)
    .map(([bin, n]) => [Number(bin), n] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => a[0] - b[0]);
  const total = bins.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.min(total, Math.floor((p / 100) * total) + 1);
  let seen = 0;
  for (const [bin, n] of bins) {
    seen += n;
    if (seen >= rank) return latencyBinValue(bin);
  }
  return null;
};

/** What a bucket counts. */
export interface DeliveryCounts {
  readonly succeeded: number;
  /** Attempts that failed (the delivery may still be retrying). */
  readonly failed: number;
  /** Deliveries that ended DELIVERED. */
  readonly delivered: number;
  /** Deliveries that ended FAILED: their retries were spent (or their endpoint said 410). */
  readonly exhausted: number;
  /** Every attempt's duration. */
  readonly latency: LatencyHistogram;
  /** The latest failed attempt counted. */
  readonly last_failure_at?: string;
}

/** One webhook's counts for one bucket. */
export interface BucketCounts extends DeliveryCounts {
  readonly size: CounterSize;
  /** The bucket's start (ISO-8601, UTC). */
  readonly start: string;
}

export const NO_COUNTS: DeliveryCounts = { succeeded: 0, failed: 0, delivered: 0, exhausted: 0, latency: {} };

/** The two counts together. */
export const addCounts = (a: DeliveryCounts, b: DeliveryCounts): DeliveryCounts => {
  const latency: Record<number, number> = { ...a.latency };
  for (const [bin, n] of Object.entries(b.latency)) latency[Number(bin)] = (latency[Number(bin)] ?? 0) + n;
  const last = [a.last_failure_at, b.last_failure_at]
    .filter((t): t is string => t !== undefined)
    .sort()
    .at(-1);
  return {
    succeeded: a.succeeded + b.succeeded,
    failed: a.failed + b.failed,
    delivered: a.delivered + b.delivered,
    exhausted: a.exhausted + b.exhausted,
    latency,
    ...(last ? { last_failure_at: last } : {}),
  };
};

/** One recorded attempt, as the counters see it. */
export interface AttemptSample {
  /** When it was made: the attempt's `attempted_at`, so counters and history agree on its bucket. */
  readonly at: string;
  readonly success: boolean;
  readonly duration_ms: number;
  /** The delivery's status after it, when final. */
  readonly ended?: 'DELIVERED' | 'FAILED';
}

/** One attempt's counts. */
const countsOf = (sample: AttemptSample): DeliveryCounts => ({
  succeeded: sample.success ? 1 : 0,
  failed: sample.success ? 0 : 1,
  delivered: sample.ended === 'DELIVERED' ? 1 : 0,
  exhausted: sample.ended === 'FAILED' ? 1 : 0,
  latency: { [latencyBin(sample.duration_ms)]: 1 },
  ...(sample.success ? {} : { last_failure_at: sample.at }),
});

/**
 * A webhook's attempts summed per bucket, in every counter size: what one batch adds, one
 * write per returned bucket.
 *
 * @example
 * tallyCounters([{ at: '2026-01-01T00:01:00.000Z', success: true, duration_ms: 80, ended: 'DELIVERED' }])
 * // [{ size: '5m', start: '2026-01-01T00:00:00.000Z', succeeded: 1, delivered: 1, latency: { 51: 1 }, ... },
 *  { size: '1h', start: '2026-01-01T00:00:00.000Z', ... }]
 */
export const tallyCounters = (samples: readonly AttemptSample[]): BucketCounts[] => {
  const buckets = new Map<string, BucketCounts>();
  for (const sample of samples) {
    const atMs = Date.parse(sample.at);
    for (const [size, { ms }] of Object.entries(COUNTER_SIZES) as [CounterSize, { ms: number }][]) {
      const start = new Date(bucketStartMs(atMs, ms)).toISOString();
      const key = `${size}|${start}`;
      const before = buckets.get(key);
      buckets.set(key, {
        size,
        start,
        ...addCounts(before ?? NO_COUNTS, countsOf(sample)),
      });
    }
  }
  return [...buckets.values()];
};
