// The statistics of one closed window, per feature, as the agent serves them at /drift.
import type { BaselineFeature } from "./baseline.ts";
import { baselineCounts, homogeneityTest } from "./homogeneity.ts";
import { jensenShannonDistance } from "./jensen-shannon.ts";
import { binnedKolmogorovSmirnov } from "./kolmogorov-smirnov.ts";
import { toProportions } from "./proportions.ts";
import { psiOfCounts } from "./psi.ts";

/**
 * Drift of one feature over a window. A statistic is null when the feature had no values in the
 * window (nothing to compare); `ks` is present for numeric features only. `chi2`, `df` and
 * `pValue` are the two-sample χ² homogeneity test of the window's counts against the baseline's
 * (homogeneity.ts), for both kinds; `counts` are the window's bin counts in the baseline's bin
 * order, so that windows of several pods can be pooled and tested together.
 */
export interface FeatureDrift {
  readonly name: string;
  readonly kind: BaselineFeature["kind"];
  /** Values counted into bins. */
  readonly samples: number;
  /** Rows in which the feature was missing or of the wrong type. */
  readonly missing: number;
  /** Population Stability Index of the counts (psiOfCounts: ½ pseudo-count per bin, no fixed ε). */
  readonly psi: number | null;
  /** Jensen–Shannon distance, base 2 (jensenShannonDistance). */
  readonly js: number | null;
  /** Binned Kolmogorov–Smirnov statistic (binnedKolmogorovSmirnov); numeric features only. */
  readonly ks?: number | null;
  /** χ² statistic of the homogeneity test against the baseline's counts. */
  readonly chi2: number | null;
  /** Its degrees of freedom: bins with values in the window or the baseline, minus 1. */
  readonly df: number;
  /** Its p-value: small means the window's values do not look like the baseline's. */
  readonly pValue: number | null;
  /** The window's count per bin, in the baseline's order (numeric bins, or categories then "__other__"). */
  readonly counts: readonly number[];
  /** The baseline's count per bin (its count × proportions), what pooled counts are tested against. */
  readonly baselineCounts: readonly number[];
}

/** The latest closed window: when it ran, how many rows it saw, and the drift of each feature. */
export interface DriftReport {
  /** When the window's first row was observed, in the monitor clock's milliseconds. */
  readonly windowStartMs: number;
  /** When the window closed. */
  readonly windowEndMs: number;
  /** Rows observed in the window. */
  readonly windowSamples: number;
  /** Largest PSI over the features; null when no feature had values. */
  readonly maxPSI: number | null;
  /** Feature with the largest PSI (the first one on ties). */
  readonly maxPSIFeature?: string;
  /** One entry per baseline feature, in the baseline's order. */
  readonly features: readonly FeatureDrift[];
  /** Drift of the model's outputs, when the baseline profiles them and any were observed. */
  readonly prediction?: FeatureDrift;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Computes the drift of one feature from its window counts (in the baseline's bin order). Pure. */
export function featureDrift(feature: BaselineFeature, counts: ArrayLike<number>, missing: number): FeatureDrift {
  let samples = 0;
  for (let i = 0; i < counts.length; i++) samples += counts[i] ?? 0;
  const { name, kind } = feature;
  const expectedCounts = baselineCounts(feature);
  const test = homogeneityTest(counts, expectedCounts);
  const tested = {
    chi2: finiteOrNull(test.statistic), df: test.degreesOfFreedom, pValue: finiteOrNull(test.pValue),
    counts: Array.from(counts), baselineCounts: Array.from(expectedCounts),
  };
  if (samples === 0) return { name, kind, samples, missing, psi: null, js: null, ...(kind === "numeric" && { ks: null }), ...tested };
  const actual = toProportions(counts);
  const expected = feature.proportions;
  const psi = finiteOrNull(psiOfCounts(expectedCounts, counts));
  const js = finiteOrNull(jensenShannonDistance(expected, actual));
  if (kind === "numeric") return { name, kind, samples, missing, psi, js, ks: finiteOrNull(binnedKolmogorovSmirnov(expected, actual)), ...tested };
  return { name, kind, samples, missing, psi, js, ...tested };
}

/** Assembles a window's report from its per-feature drift. Pure. */
export function driftReport(
  window: { startMs: number; endMs: number; samples: number },
  features: readonly FeatureDrift[],
  prediction?: FeatureDrift,
): DriftReport {
  let max: FeatureDrift | undefined;
  for (const f of features) if (f.psi !== null && (max === undefined || f.psi > (max.psi ?? 0))) max = f;
  return {
    windowStartMs: window.startMs,
    windowEndMs: window.endMs,
    windowSamples: window.samples,
    maxPSI: max?.psi ?? null,
    ...(max !== undefined && { maxPSIFeature: max.name }),
    features,
    ...(prediction !== undefined && { prediction }),
  };
}
