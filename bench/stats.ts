/** Small statistics for the benchmark: nearest-rank percentiles, so a reported p95 is a latency that happened. */

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export const max = (values: readonly number[]): number => (values.length === 0 ? Number.NaN : Math.max(...values));

/** Rounds for the report: figures are read by people and diffed in git, so no 15-digit noise. */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function summarise(values: readonly number[]): { n: number; p50: number; p95: number; max: number } {
  return { n: values.length, p50: round(percentile(values, 50)), p95: round(percentile(values, 95)), max: round(max(values)) };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
