/** What the platform aims for (issue: benchmarks); the report sets each number against these. */
export const GOALS = {
  cost_per_million_single_usd: 5,
  cost_per_million_batch_usd: 2.5,
  /** Every line of the bill (logs, X-Ray, storage and backups, KMS, data transfer). */
  cost_per_million_single_all_in_usd: 5,
  cost_per_million_batch_all_in_usd: 3,
  /** Events sent one at a time at a steady rate, the worker taking them as they come; all-in. */
  cost_per_million_trickle_all_in_usd: 6,
  cost_per_million_inbound_usd: 10,
  overhead_ratio_min: 0.8,
  bundle_kb_max: 1024,
  init_ratio_max: 1.5,
  lost: 0,
  /** The soak: request sent → the healthy endpoints' (A's and E's) 2xx, with a slow and a hanging endpoint in the mix. */
  soak_healthy_p99_ms_max: 2000,
  /** The soak: request sent → the slow but answering endpoint's (C's) 2xx. */
  soak_slow_p99_ms_max: 6000,
  /** The soak: load end → every delivery but the killed platform's received. */
  soak_drain_s_max: 120,
  /** The soak: what the killed platform held back within the visibility timeout and a minute of the kill. */
  soak_crash_recovery_s_max: 180 + 60,
  /** The soak: queued and in-flight messages ÷ deliveries outstanding, at the peak. */
  soak_amplification_max: 1.05,
  /** The soak: deliveries to the ordered endpoint (F) received out of acceptance order within a key. */
  soak_order_violations: 0,
} as const;
