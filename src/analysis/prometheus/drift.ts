// The drift check's evidence from Prometheus: Prometheus holds each pod's per-feature p-values
// (mdo_agent_drift_p_value) but no bin counts, so each pod's window is tested alone and the
// family is features × pods, which has less power than pooling (docs/drift.md). Pure.
import type { DriftEvidence, DriftTest } from "../drift-evidence.ts";
import { AGENT_METRICS } from "../metric-names.ts";
import type { AnalysisTarget } from "../provider.ts";
import type { Sample } from "./client.ts";
import { TARGET_LABELS } from "./labels.ts";
import { revisionMatchers } from "./template.ts";

export interface DriftQueries {
  /** Per pod and feature: the latest window's p-value. */
  readonly pValues: string;
  /** Per pod and feature: the latest window's PSI. */
  readonly psi: string;
  /** Per pod with a report: the latest window's rows. */
  readonly windows: string;
}

export function driftQueries(target: AnalysisTarget): DriftQueries {
  const revision = revisionMatchers(target);
  return {
    pValues: `${AGENT_METRICS.driftPValue}{${revision}}`,
    psi: `${AGENT_METRICS.driftPsi}{${revision}}`,
    windows: `${AGENT_METRICS.driftWindowSamples}{${revision}} and (${AGENT_METRICS.driftAvailable}{${revision}} == 1)`,
  };
}

export interface DriftSeries {
  readonly pValues: readonly Sample[];
  readonly psi: readonly Sample[];
  readonly windows: readonly Sample[];
}

/**
 * The tests of pods whose window has at least minWindow rows; undefined when no pod has a
 * report. `rows` is the largest tested window (or the largest window, when none is tested).
 */
export function driftEvidenceFromSeries(series: DriftSeries, minWindow: number): { evidence: DriftEvidence; note: string } | undefined {
  const pod = (s: Sample): string => s.labels[TARGET_LABELS.pod] ?? "";
  const windows = new Map(series.windows.filter((s) => Number.isFinite(s.value)).map((s) => [pod(s), s.value]));
  if (windows.size === 0) return undefined;
  const tested = new Set([...windows].filter(([, rows]) => rows >= minWindow).map(([p]) => p));
  const psiOf = new Map(series.psi.map((s) => [`${pod(s)}\u0000${s.labels.feature ?? ""}`, s.value]));
  const tests: DriftTest[] = series.pValues
    .filter((s) => tested.has(pod(s)) && Number.isFinite(s.value))
    .map((s) => ({ feature: s.labels.feature ?? "", against: "baseline" as const, pod: pod(s), pValue: s.value, psi: psiOf.get(`${pod(s)}\u0000${s.labels.feature ?? ""}`) ?? 0 }));
  const largest = (pods: Iterable<string>): number => Math.max(0, ...[...pods].map((p) => windows.get(p) ?? 0));
  const maxPSI = Math.max(0, ...series.psi.map((s) => s.value).filter(Number.isFinite));
  const evidence: DriftEvidence = {
    rows: tested.size > 0 ? largest(tested) : largest(windows.keys()),
    maxPSI,
    testable: series.pValues.length > 0,
    tests,
  };
  const note = `each pod's window tested alone (Prometheus has no bin counts to pool): ${tested.size} of ${windows.size} pods with at least ${minWindow} rows; compared with the baseline only`;
  return { evidence, note };
}
