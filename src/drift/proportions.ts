// Turning bin counts into proportions, the common input of every drift statistic.

/**
 * Smallest proportion a bin is taken to hold when PSI takes its logarithm (the homogeneity test
 * needs none). 1e-4 is "one in ten thousand": below what a baseline of typical size
 * can resolve, yet large enough that a single empty bin adds a bounded amount, at most about
 * p·ln(p/1e-4) ≤ 9.2·p, instead of infinity.
 */
export const EMPTY_BIN_EPSILON = 1e-4;

/**
 * `counts[i] / Σ counts`, as a new array. Contract: counts are finite and ≥ 0. When they sum to 0
 * the result is all NaN, so a statistic of an empty window is NaN, never a made-up number.
 */
export function toProportions(counts: ArrayLike<number>): Float64Array {
  const out = new Float64Array(counts.length);
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] ?? 0;
  for (let i = 0; i < counts.length; i++) out[i] = (counts[i] ?? 0) / total;
  return out;
}

/** Throws a RangeError unless both distributions have the same, non-zero number of bins. */
export function assertSameBins(expected: ArrayLike<number>, actual: ArrayLike<number>): void {
  if (expected.length !== actual.length || expected.length === 0) {
    throw new RangeError(`Distributions must have the same non-zero number of bins, got ${expected.length} and ${actual.length}`);
  }
}

/** Two samples over the same bins: their sizes, and the bins where either has values. */
export interface SampleTotals {
  readonly first: number;
  readonly second: number;
  readonly occupiedBins: number;
}

/** Σ first, Σ second and #{i : firstᵢ + secondᵢ > 0}; the caller checks the bins match. */
export function sampleTotals(first: ArrayLike<number>, second: ArrayLike<number>): SampleTotals {
  let a = 0;
  let b = 0;
  let occupiedBins = 0;
  for (let i = 0; i < first.length; i++) {
    const x = first[i] ?? 0;
    const y = second[i] ?? 0;
    a += x;
    b += y;
    if (x + y > 0) occupiedBins++;
  }
  return { first: a, second: b, occupiedBins };
}
