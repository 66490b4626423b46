/** What the platform aims for (issue: benchmarks); the report sets each number against these. */
export const GOALS = {
  cost_per_million_single_usd: 5,
  cost_per_million_batch_usd: 2.5,
  overhead_ratio_min: 0.8,
  bundle_kb_max: 1024,
  init_ratio_max: 1.5,
  lost: 0,
} as const;
