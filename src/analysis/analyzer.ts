// The contract between the rollout (which asks "how is this revision doing?") and the metrics
// providers (which answer with verdicts). Implementations live beside this file.
import type { AnalysisSpec } from "../api/analysis.ts";
import type { Verdict } from "../rollout/verdict.ts";

/** One analysis interval of one revision of one ModelDeployment. */
export interface AnalysisRequest {
  namespace: string;
  /** The ModelDeployment's name. */
  name: string;
  /** The revision under analysis (the canary). */
  revision: string;
  /** The stable revision, for checks that compare against it. */
  stableRevision: string;
  /** Length of the interval: the window the checks look at. */
  intervalMs: number;
  /** spec.rollout.analysis, parsed and defaulted. */
  analysis: AnalysisSpec;
  /**
   * The canary is in its shadow phase (default false): the stable revision's agents mirror
   * requests to it. Then `agreement` runs instead of `groundTruth` (checks.ts planChecks).
   */
  shadowing?: boolean;
}

/**
 * Runs every check of `request.analysis` (built-in checks with `analysis.provider`, custom
 * metrics with their own provider) and returns one verdict per check, named as
 * src/rollout/status-fields.ts BUILTIN_CHECKS (successRate, latencyP99, drift, groundTruth,
 * agreement) or by the custom check's name. Never throws for missing data or an unreachable
 * metrics source: that is a `noData` verdict with the reason. Throws only for programming errors.
 */
export interface Analyzer {
  analyze(request: AnalysisRequest, signal?: AbortSignal): Promise<Verdict[]>;
}
