// Percentiles of a few dozen or hundred values (nearest rank), in the unit given, rounded to µs.

export interface Spread {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  readonly min: number;
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** The nearest-rank percentile `p` (0–100) of `values`; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function spread(values: readonly number[]): Spread {
  return {
    count: values.length,
    p50: round3(percentile(values, 50)),
    p95: round3(percentile(values, 95)),
    max: round3(values.length === 0 ? NaN : Math.max(...values)),
    min: round3(values.length === 0 ? NaN : Math.min(...values)),
  };
}

export { round3 };
