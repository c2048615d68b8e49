// Population Stability Index.
import { EMPTY_BIN_EPSILON, assertSameBins } from "./proportions.ts";

/**
 * Population Stability Index of `actual` against `expected`, both proportions over the same bins
 * (each summing to 1):
 *
 *   PSI = Σᵢ (aᵢ − eᵢ) · ln(aᵢ / eᵢ),   with aᵢ, eᵢ replaced by max(·, ε)
 *
 * ε ({@link EMPTY_BIN_EPSILON} = 1e-4 unless given) keeps an empty bin from making PSI infinite;
 * it is not renormalised, so PSI of two identical distributions is exactly 0. Every term is ≥ 0,
 * so PSI ≥ 0; it is the symmetrised Kullback–Leibler divergence KL(a‖e) + KL(e‖a) in nats.
 * Rules of thumb: < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 significant shift.
 * Throws a RangeError when the bin counts differ; NaN in, NaN out.
 */
export function populationStabilityIndex(
  expected: ArrayLike<number>,
  actual: ArrayLike<number>,
  epsilon: number = EMPTY_BIN_EPSILON,
): number {
  assertSameBins(expected, actual);
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i] ?? 0, epsilon);
    const a = Math.max(actual[i] ?? 0, epsilon);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}
