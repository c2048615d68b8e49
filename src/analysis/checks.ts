// The checks of one analysis spec: the built-in ones that are configured, then the custom ones,
// each with the provider that measures it and the threshold it is judged against.
import type { AnalysisSpec } from "../api/analysis.ts";
import type { Threshold } from "../rollout/verdict.ts";
import { BUILTIN_CHECKS } from "../rollout/status-fields.ts";

export type ProviderName = AnalysisSpec["provider"];
export type CheckKind = "successRate" | "latencyP99" | "drift" | "groundTruth" | "agreement" | "metric";

export interface PlanOptions {
  /**
   * The canary is in its shadow phase (default false): it answers mirrored requests only. Then
   * agreement runs and groundTruth does not (no user gets the canary's answers, so no labels
   * reach it); otherwise groundTruth runs and agreement does not (nothing is mirrored).
   */
  readonly shadowing?: boolean;
}

/** One check to run: its name in verdicts, what it measures, where, and its bounds. */
export interface Check {
  readonly name: string;
  readonly kind: CheckKind;
  readonly provider: ProviderName;
  readonly threshold: Threshold;
  /** The custom check's query (kind "metric" only). */
  readonly query?: string;
}

/**
 * The checks of `analysis` in a fixed order: successRate, latencyP99, drift, then groundTruth or
 * (shadowing) agreement (those configured, with analysis.provider), then analysis.metrics[] in
 * their order, each with its own provider.
 * latencyP99's threshold is in milliseconds, as its value; drift's is the smallest adjusted
 * p-value that passes (falseAlarmRate, see drift-verdict.ts).
 */
export function planChecks(analysis: AnalysisSpec, options: PlanOptions = {}): Check[] {
  const shadowing = options.shadowing === true;
  const checks: Check[] = [];
  const provider = analysis.provider;
  if (analysis.successRate !== undefined) {
    checks.push({ name: BUILTIN_CHECKS.successRate, kind: "successRate", provider, threshold: { min: analysis.successRate.min } });
  }
  if (analysis.latencyP99 !== undefined) {
    checks.push({ name: BUILTIN_CHECKS.latencyP99, kind: "latencyP99", provider, threshold: { max: analysis.latencyP99.maxMs } });
  }
  if (analysis.drift !== undefined) {
    checks.push({ name: BUILTIN_CHECKS.drift, kind: "drift", provider, threshold: { min: analysis.drift.falseAlarmRate } });
  }
  const truth = analysis.groundTruth;
  if (truth !== undefined && !shadowing) {
    const threshold: Threshold = truth.minAccuracy !== undefined ? { min: truth.minAccuracy } : { max: truth.maxMeanAbsoluteError ?? 0 };
    checks.push({ name: BUILTIN_CHECKS.groundTruth, kind: "groundTruth", provider, threshold });
  }
  if (analysis.agreement !== undefined && shadowing) {
    checks.push({ name: BUILTIN_CHECKS.agreement, kind: "agreement", provider, threshold: { min: analysis.agreement.min } });
  }
  for (const metric of analysis.metrics ?? []) {
    const threshold: Threshold = {
      ...(metric.min === undefined ? {} : { min: metric.min }),
      ...(metric.max === undefined ? {} : { max: metric.max }),
    };
    checks.push({ name: metric.name, kind: "metric", provider: metric.provider, threshold, query: metric.query });
  }
  return checks;
}
