// Population Stability Index.
import { EMPTY_BIN_EPSILON, assertSameBins, sampleTotals } from "./proportions.ts";

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

/** Pseudo-count added to every bin of both samples before PSI of counts takes its logarithm (Jeffreys' prior). */
export const PSI_PSEUDO_COUNT = 0.5;

/**
 * PSI of two samples' bin counts (`actual` against `expected`, over the same bins). Each bin's
 * proportion is estimated as (c + ½) / (N + ½·k) over the k bins where either sample has values
 * (bins empty in both carry nothing and are skipped), so an empty bin counts as what its
 * sample's size can resolve, about 1 / (2N), instead of a fixed ε: with ε = 1e-4 a single empty
 * bin of a 10%-bin added about 0.69 to PSI whatever the window's size, so a 100-row window that
 * missed one bin by chance looked like a "significant shift". Counts may be fractional (a
 * baseline's count × proportion). 0 for identical counts; NaN when either sample is empty.
 * Throws a RangeError when the bin counts differ.
 */
export function psiOfCounts(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
  assertSameBins(expected, actual);
  const { first: m, second: n, occupiedBins: k } = sampleTotals(expected, actual);
  if (n <= 0 || m <= 0) return Number.NaN;
  const eTotal = m + PSI_PSEUDO_COUNT * k;
  const aTotal = n + PSI_PSEUDO_COUNT * k;
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const ec = expected[i] ?? 0;
    const ac = actual[i] ?? 0;
    if (ec + ac <= 0) continue;
    const e = (ec + PSI_PSEUDO_COUNT) / eTotal;
    const a = (ac + PSI_PSEUDO_COUNT) / aTotal;
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}
