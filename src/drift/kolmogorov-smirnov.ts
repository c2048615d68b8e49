// Kolmogorov–Smirnov statistic over bins.
import { assertSameBins } from "./proportions.ts";

/**
 * Binned two-sample Kolmogorov–Smirnov statistic: the largest gap between the cumulative
 * distributions, evaluated at the bin edges,
 *
 *   D = maxₖ | Σᵢ≤ₖ eᵢ − Σᵢ≤ₖ aᵢ |,   in [0, 1]
 *
 * Bins must be in their natural order (numeric features; for categories the order is arbitrary
 * and D meaningless). Binning hides gaps inside a bin, so D is a lower bound of the exact KS
 * statistic of the raw samples. Throws a RangeError when the bin counts differ; NaN in, NaN out.
 */
export function binnedKolmogorovSmirnov(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
  assertSameBins(expected, actual);
  let cumulativeExpected = 0;
  let cumulativeActual = 0;
  let max = 0;
  for (let i = 0; i < expected.length; i++) {
    cumulativeExpected += expected[i] ?? 0;
    cumulativeActual += actual[i] ?? 0;
    const gap = Math.abs(cumulativeExpected - cumulativeActual);
    if (Number.isNaN(gap)) return Number.NaN;
    if (gap > max) max = gap;
  }
  return Math.min(max, 1);
}
