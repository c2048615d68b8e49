// The drift decision over a window's features: a calibrated test per feature, corrected for the
// number of tests, so that the chance of any false alarm per decision is at most the rate the user
// set, at every window size and number of pods (docs/drift.md has the measured table).

/** What one feature's test said, with its effect sizes for people to read. */
export interface FeatureEvidence {
  readonly name: string;
  /** p-value of the homogeneity test (homogeneity.ts); null when the feature had no values. */
  readonly pValue: number | null;
  /** Effect sizes, reported but not tested: PSI and the Jensen–Shannon distance. */
  readonly psi: number | null;
  readonly js?: number | null;
  /** Values of this feature in the window. */
  readonly samples: number;
}

export interface DriftDecisionOptions {
  /** Family-wise false-alarm rate α: P(any feature flagged | no drift) ≤ α. Default 0.01. */
  readonly falseAlarmRate: number;
  /** Rows a window needs before it decides anything (smaller windows never alarm). Default 1000. */
  readonly minWindow: number;
  /** A feature is flagged only when its PSI is at least this too (huge windows detect trivia). Default 0. */
  readonly minPsi: number;
  /**
   * Tests this decision is one of, for the Bonferroni correction: features × pods when each pod's
   * window is tested alone, features when pods' counts are pooled first (the default; more power).
   */
  readonly tests: number;
}

export const DRIFT_DECISION_DEFAULTS = { falseAlarmRate: 0.01, minWindow: 1000, minPsi: 0 } as const;

export type DriftDecision =
  | { readonly decided: false; readonly reason: string }
  | {
      readonly decided: true;
      /** α / tests: a feature whose p-value is below it is flagged (when its PSI is large enough). */
      readonly threshold: number;
      /** Flagged features, strongest evidence (smallest p-value) first. */
      readonly drifted: readonly FeatureEvidence[];
    };

/**
 * Decides drift for one window of `rows` rows. Bonferroni: flag feature f when
 * p_f < α / tests and psi_f ≥ minPsi; under no drift the chance that any of the `tests` tests
 * flags is at most α whatever their dependence. A window under `minWindow` rows decides nothing.
 */
export function decideDrift(features: readonly FeatureEvidence[], rows: number, options: DriftDecisionOptions): DriftDecision {
  const { falseAlarmRate, minWindow, minPsi, tests } = options;
  if (rows < minWindow) return { decided: false, reason: `the window has ${rows} rows, fewer than the ${minWindow} a decision needs` };
  const threshold = falseAlarmRate / Math.max(tests, 1);
  const drifted = features
    .filter((f) => f.pValue !== null && f.pValue < threshold && (minPsi <= 0 || (f.psi ?? 0) >= minPsi))
    .sort((a, b) => (a.pValue ?? 1) - (b.pValue ?? 1));
  return { decided: true, threshold, drifted };
}

/** Element-wise sums of per-pod counts over the same bins (pooling before testing). Pure. */
export function poolCounts(perPod: readonly ArrayLike<number>[]): Float64Array {
  const first = perPod[0];
  const out = new Float64Array(first?.length ?? 0);
  for (const counts of perPod) {
    if (counts.length !== out.length) throw new RangeError(`pods report ${out.length} and ${counts.length} bins for the same feature`);
    for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) + (counts[i] ?? 0);
  }
  return out;
}
