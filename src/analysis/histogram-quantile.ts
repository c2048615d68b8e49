// The q-quantile of a cumulative histogram, computed as Prometheus's histogram_quantile does, so
// the agent provider and the prometheus provider agree on p99 for the same buckets. Pure.

/** One cumulative bucket: observations less than or equal to `le` (the last one is +Inf). */
export interface Bucket {
  readonly le: number;
  readonly count: number;
}

/**
 * Linear interpolation inside the bucket that holds the rank q·total (the lower bound of the
 * first bucket is 0). NaN when there are no observations, fewer than two buckets or no +Inf
 * bucket; a rank in the +Inf bucket yields the highest finite bound. Counts are made monotonic
 * first (a scrape may catch buckets mid-update). Does not modify `buckets`.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const last = sorted.at(-1);
  if (last === undefined || last.le !== Number.POSITIVE_INFINITY || sorted.length < 2) return Number.NaN;
  let max = 0;
  const counts = sorted.map((b) => (max = Math.max(max, b.count)));
  const total = counts.at(-1) ?? 0;
  if (total === 0) return Number.NaN;
  let rank = q * total;
  const index = counts.findIndex((c) => c >= rank);
  if (index === sorted.length - 1) return sorted[sorted.length - 2]!.le;
  const upper = sorted[index]!.le;
  if (index === 0 && upper <= 0) return upper;
  let lower = 0;
  let inBucket = counts[index]!;
  if (index > 0) {
    lower = sorted[index - 1]!.le;
    inBucket -= counts[index - 1]!;
    rank -= counts[index - 1]!;
  }
  return lower + (upper - lower) * (rank / inBucket);
}
