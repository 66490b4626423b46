/** One bucket of the stats time series (present once the API reports one). */
export interface SeriesPoint {
  readonly start: string;
  readonly attempts: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly delivered: number;
  readonly p50_ms: number | null;
  readonly p95_ms: number | null;
}

export interface FailingEndpoint {
  readonly webhook_id: string;
  readonly url: string;
  readonly failures: number;
  readonly last_failure_at?: string;
  readonly state?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const numberOr = (v: unknown, fallback: number | null): number | null =>
  typeof v === 'number' ? v : fallback;

/** `series` of a /v1/stats answer, read field by field; undefined when the API sends none. */
export const seriesOf = (stats: unknown): SeriesPoint[] | undefined => {
  if (!isRecord(stats) || !Array.isArray(stats.series)) return undefined;
  return stats.series.filter(isRecord).map((p) => ({
    start: String(p.start),
    attempts: numberOr(p.attempts, 0) ?? 0,
    succeeded: numberOr(p.succeeded, 0) ?? 0,
    failed: numberOr(p.failed, 0) ?? 0,
    delivered: numberOr(p.delivered, 0) ?? 0,
    p50_ms: numberOr(p.p50_ms, null),
    p95_ms: numberOr(p.p95_ms, null),
  }));
};

/** `failing_endpoints` of a /v1/stats answer; undefined when the API sends none. */
export const failingEndpointsOf = (stats: unknown): FailingEndpoint[] | undefined => {
  if (!isRecord(stats) || !Array.isArray(stats.failing_endpoints)) return undefined;
  return stats.failing_endpoints.filter(isRecord).map((f) => ({
    webhook_id: String(f.webhook_id),
    url: String(f.url ?? ''),
    failures: numberOr(f.failures, 0) ?? 0,
    ...(typeof f.last_failure_at === 'string' ? { last_failure_at: f.last_failure_at } : {}),
    ...(typeof f.state === 'string' ? { state: f.state } : {}),
  }));
};
