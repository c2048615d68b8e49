// Pearson's χ² goodness-of-fit test for categorical counts.
import { regularizedGammaQ } from "./gamma.ts";
import { EMPTY_BIN_EPSILON, assertSameBins } from "./proportions.ts";

/** Outcome of a χ² goodness-of-fit test. */
export interface ChiSquareResult {
  /** Pearson's statistic Σ (Oᵢ − Eᵢ)² / Eᵢ, ≥ 0. */
  readonly statistic: number;
  /** Degrees of freedom: number of categories − 1. */
  readonly degreesOfFreedom: number;
  /**
   * Probability of a statistic at least this large if the counts were drawn from the expected
   * proportions: the χ² survival function Q(df/2, χ²/2). Small means "not from the baseline".
   */
  readonly pValue: number;
}

/**
 * Survival function of the χ² distribution with `degreesOfFreedom` (> 0) degrees of freedom:
 * P(X ≥ statistic) = Q(df/2, statistic/2), Q the regularised upper incomplete gamma function.
 */
export function chiSquarePValue(statistic: number, degreesOfFreedom: number): number {
  return regularizedGammaQ(degreesOfFreedom / 2, statistic / 2);
}

/**
 * Pearson's χ² test of observed counts Oᵢ against expected proportions pᵢ, with n = Σ Oᵢ:
 *
 *   Eᵢ = n · max(pᵢ, ε),   χ² = Σᵢ (Oᵢ − Eᵢ)² / Eᵢ,   df = k − 1,   p = Q(df/2, χ²/2)
 *
 * where Q is the regularised upper incomplete gamma function (the χ² survival function with df
 * degrees of freedom is Q(df/2, x/2)). ε ({@link EMPTY_BIN_EPSILON} = 1e-4 unless given) stands
 * in for a category the baseline never saw, so a new category makes χ² large but finite.
 * With one category (df = 0) the test says nothing: statistic 0, p-value 1. With no observations,
 * everything is NaN. The usual caveat applies: the χ² approximation wants Eᵢ ≥ 5 or so.
 * Throws a RangeError when the bin counts differ.
 */
export function chiSquareTest(
  observed: ArrayLike<number>,
  expectedProportions: ArrayLike<number>,
  epsilon: number = EMPTY_BIN_EPSILON,
): ChiSquareResult {
  assertSameBins(observed, expectedProportions);
  const degreesOfFreedom = observed.length - 1;
  let n = 0;
  for (let i = 0; i < observed.length; i++) n += observed[i] ?? 0;
  if (!(n > 0)) return { statistic: Number.NaN, degreesOfFreedom, pValue: Number.NaN };
  if (degreesOfFreedom === 0) return { statistic: 0, degreesOfFreedom, pValue: 1 };
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const expected = n * Math.max(expectedProportions[i] ?? 0, epsilon);
    const diff = (observed[i] ?? 0) - expected;
    statistic += (diff * diff) / expected;
  }
  return { statistic, degreesOfFreedom, pValue: chiSquarePValue(statistic, degreesOfFreedom) };
}
