// Two-sample χ² test of homogeneity on binned counts: did the window's values and the baseline's
// come from the same distribution? Unlike a goodness-of-fit test against the baseline's
// proportions, it accounts for the baseline being a sample too (a one-sample test raised 86% false
// alarms at 10 000-row windows against a 10 000-row baseline), and its false-alarm rate holds at
// every window size, which no fixed PSI threshold does (PSI's null distribution shrinks as 1/n).
import { chiSquarePValue } from "./chi-square.ts";
import { assertSameBins, sampleTotals } from "./proportions.ts";

export interface HomogeneityResult {
  /** Pearson's statistic over the 2 × k table of window and baseline counts, ≥ 0. */
  readonly statistic: number;
  /** Bins where either sample has values, minus 1 (bins empty in both carry no information). */
  readonly degreesOfFreedom: number;
  /** P(χ²_df ≥ statistic): small means the two samples differ. 1 when df = 0. */
  readonly pValue: number;
  /** Values in the window (n) and in the baseline (m). */
  readonly windowSamples: number;
  readonly baselineSamples: number;
}

/**
 * Pearson's χ² test of homogeneity of `window` counts wᵢ (n = Σ wᵢ) and `baseline` counts bᵢ
 * (m = Σ bᵢ) over the same bins, without continuity correction:
 *
 *   χ² = Σᵢ (m·wᵢ − n·bᵢ)² / (n · m · (wᵢ + bᵢ)),   df = #{i : wᵢ + bᵢ > 0} − 1
 *
 * which equals Σ (O − E)² / E over both rows of the table (scipy.stats.chi2_contingency with
 * correction=False gives the same statistic, df and p-value). Counts may be fractional (a
 * baseline's count × proportion). An empty window or baseline gives NaN: nothing to compare.
 * Throws a RangeError when the bin counts differ.
 */
export function homogeneityTest(window: ArrayLike<number>, baseline: ArrayLike<number>): HomogeneityResult {
  assertSameBins(baseline, window);
  const { first: n, second: m, occupiedBins: bins } = sampleTotals(window, baseline);
  if (!(n > 0) || !(m > 0)) return { statistic: Number.NaN, degreesOfFreedom: Math.max(bins - 1, 0), pValue: Number.NaN, windowSamples: n, baselineSamples: m };
  const degreesOfFreedom = bins - 1;
  if (degreesOfFreedom === 0) return { statistic: 0, degreesOfFreedom, pValue: 1, windowSamples: n, baselineSamples: m };
  let sum = 0;
  for (let i = 0; i < window.length; i++) {
    const w = window[i] ?? 0;
    const b = baseline[i] ?? 0;
    if (w + b === 0) continue;
    const gap = m * w - n * b;
    sum += (gap * gap) / (w + b);
  }
  const statistic = sum / (n * m);
  return { statistic, degreesOfFreedom, pValue: chiSquarePValue(statistic, degreesOfFreedom), windowSamples: n, baselineSamples: m };
}

/** A baseline feature's counts: its `count` values spread by its proportions. Pure. */
export function baselineCounts(feature: { readonly count: number; readonly proportions: readonly number[] }): Float64Array {
  return Float64Array.from(feature.proportions, (p) => p * feature.count);
}
