// Verdicts of analysis checks, and how one interval's verdicts add up to one decision.

/** What one check concluded. `noData` is inconclusive: it is neither a pass nor a failure. */
export type VerdictStatus = "pass" | "fail" | "noData";

/** The bounds a check compares its value with; at least one is set. */
export interface Threshold {
  min?: number;
  max?: number;
}

/**
 * The result of one check in one interval. `value` is the measured value (absent when there was
 * none to measure); `reason` is CamelCase (e.g. SuccessRateBelowMin, NoRequests) and `message`
 * names the value and the threshold, for status and Events.
 */
export interface Verdict {
  check: string;
  status: VerdictStatus;
  value?: number;
  threshold: Threshold;
  reason: string;
  message: string;
}

/** One interval's verdicts reduced to one status, keeping the verdicts that decided it. */
export interface VerdictSummary {
  status: VerdictStatus;
  reason: string;
  message: string;
  /** The verdicts behind `status`: the failures when it is fail, the inconclusive ones when noData. */
  deciding: Verdict[];
}

/**
 * Reduces the verdicts of one interval: any failure fails the interval (a failure is never hidden
 * by missing data elsewhere); otherwise any noData makes it inconclusive; otherwise it passes.
 * No verdicts at all is inconclusive (reason NoChecks), never a pass.
 */
export function summarise(verdicts: readonly Verdict[]): VerdictSummary {
  const failed = verdicts.filter((v) => v.status === "fail");
  if (failed.length > 0) {
    return {
      status: "fail",
      reason: "AnalysisFailed",
      message: `${failed.length} of ${verdicts.length} checks failed: ${messages(failed)}`,
      deciding: failed,
    };
  }
  const missing = verdicts.filter((v) => v.status === "noData");
  if (verdicts.length === 0) {
    return { status: "noData", reason: "NoChecks", message: "no checks ran", deciding: [] };
  }
  if (missing.length > 0) {
    return {
      status: "noData",
      reason: "AnalysisInconclusive",
      message: `${missing.length} of ${verdicts.length} checks had no data: ${messages(missing)}`,
      deciding: missing,
    };
  }
  return {
    status: "pass",
    reason: "AnalysisPassed",
    message: `all ${verdicts.length} checks passed: ${messages(verdicts)}`,
    deciding: [],
  };
}

function messages(verdicts: readonly Verdict[]): string {
  return verdicts.map((v) => `${v.check}: ${v.message}`).join("; ");
}
