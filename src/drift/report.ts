// The statistics of one closed window, per feature, as the agent serves them at /drift.
import type { BaselineFeature } from "./baseline.ts";
import { chiSquareTest } from "./chi-square.ts";
import { jensenShannonDistance } from "./jensen-shannon.ts";
import { binnedKolmogorovSmirnov } from "./kolmogorov-smirnov.ts";
import { toProportions } from "./proportions.ts";
import { populationStabilityIndex } from "./psi.ts";

/**
 * Drift of one feature over a window. A statistic is null when the feature had no values in the
 * window (nothing to compare); `ks` is present for numeric features, `chi2` and `pValue` for
 * categorical ones.
 */
export interface FeatureDrift {
  readonly name: string;
  readonly kind: BaselineFeature["kind"];
  /** Values counted into bins. */
  readonly samples: number;
  /** Rows in which the feature was missing or of the wrong type. */
  readonly missing: number;
  /** Population Stability Index (populationStabilityIndex). */
  readonly psi: number | null;
  /** Jensen–Shannon distance, base 2 (jensenShannonDistance). */
  readonly js: number | null;
  /** Binned Kolmogorov–Smirnov statistic (binnedKolmogorovSmirnov); numeric features only. */
  readonly ks?: number | null;
  /** Pearson χ² statistic against the baseline's proportions (chiSquareTest); categorical only. */
  readonly chi2?: number | null;
  /** p-value of `chi2`; categorical only. */
  readonly pValue?: number | null;
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
  if (samples === 0) {
    const none = kind === "numeric" ? { ks: null } : { chi2: null, pValue: null };
    return { name, kind, samples, missing, psi: null, js: null, ...none };
  }
  const actual = toProportions(counts);
  const expected = feature.proportions;
  const psi = finiteOrNull(populationStabilityIndex(expected, actual));
  const js = finiteOrNull(jensenShannonDistance(expected, actual));
  if (kind === "numeric") return { name, kind, samples, missing, psi, js, ks: finiteOrNull(binnedKolmogorovSmirnov(expected, actual)) };
  const chi = chiSquareTest(counts, expected);
  return { name, kind, samples, missing, psi, js, chi2: finiteOrNull(chi.statistic), pValue: finiteOrNull(chi.pValue) };
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
