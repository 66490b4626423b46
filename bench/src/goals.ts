/** What the platform aims for (issue: benchmarks); the report sets each number against these. */
export const GOALS = {
  cost_per_million_single_usd: 5,
  cost_per_million_batch_usd: 2.5,
  cost_per_million_inbound_usd: 10,
  overhead_ratio_min: 0.8,
  bundle_kb_max: 1024,
  init_ratio_max: 1.5,
  lost: 0,
  /** The soak: accept → the healthy endpoint's 2xx, with a slow and a hanging endpoint in the mix. */
  soak_healthy_p99_ms_max: 2000,
  /** The soak: load end → the healthy and the slow endpoint fully drained. */
  soak_drain_s_max: 120,
  /** The soak: queued and in-flight messages ÷ deliveries outstanding, at the peak. */
  soak_amplification_max: 1.05,
} as const;
