// A revision's input drift in one analysis interval, as the drift check judges it: every
// homogeneity test that was run (a feature, compared with the baseline or with the stable
// revision's live inputs), and the rows behind them. Providers build it, drift-verdict.ts judges
// it: Bonferroni over all the tests, so the family-wise false-alarm rate holds whatever they share.

/** What the canary's window was compared with. */
export type DriftComparison = "baseline" | "stable";

/** One two-sample χ² homogeneity test of one feature's binned counts. */
export interface DriftTest {
  readonly feature: string;
  readonly against: DriftComparison;
  /** The pod whose window alone was tested (prometheus); absent when pods were pooled. */
  readonly pod?: string;
  readonly pValue: number;
  /** Effect size of the same comparison (PSI), for the optional floor and for people. */
  readonly psi: number;
}

export interface DriftEvidence {
  /**
   * Rows behind the tests: the canary's windows pooled over its pods (agent provider), or the
   * largest single pod's window (prometheus: each pod is tested alone). With no test run, the
   * rows there were (below the minimum window, or from agents that send no counts).
   */
  readonly rows: number;
  /** Largest PSI of any feature against the baseline (the rule for agents that send no counts). */
  readonly maxPSI: number;
  /** Whether the agents sent bin counts; false for agents before 2026-12, judged by the PSI rule. */
  readonly testable: boolean;
  /** The tests of the interval (none when the windows are under the minimum or not testable). */
  readonly tests: readonly DriftTest[];
}
