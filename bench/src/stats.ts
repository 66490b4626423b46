/** Small statistics over samples; every function copies before sorting. */

export const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

/** Nearest-rank percentile (p in 0..100); 0 for no samples. */
export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return 0;
  const s = sorted(values);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))] ?? 0;
};

export const median = (values: readonly number[]): number => {
  if (values.length === 0) return 0;
  const s = sorted(values);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

export const mean = (values: readonly number[]): number => (values.length ? sum(values) / values.length : 0);

/** Rounds to `digits` significant decimals for reports (not for arithmetic). */
export const round = (value: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};
