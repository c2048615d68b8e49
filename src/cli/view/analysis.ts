// Analysis intervals and drift as `mdo get` shows them. status.canary.analysis holds only the
// last interval; `--watch` keeps the earlier ones it saw (rememberIntervals). Pure.
import type { ModelDeploymentSpec, ModelDeploymentStatus } from "../../api/index.ts";
import { planChecks } from "../../analysis/checks.ts";
import type { Threshold } from "../../rollout/verdict.ts";
import type { DriftView, IntervalView } from "./schema.ts";

/** Intervals kept by `--watch`, newest first. */
export const MAX_INTERVALS = 5;
/** Drifted features shown. */
export const TOP_FEATURES = 5;

/** The threshold of each check the spec configures, by check name (shadow and regular checks). */
function thresholds(spec: ModelDeploymentSpec): Map<string, Threshold> {
  const analysis = spec.rollout?.analysis;
  if (analysis === undefined) return new Map();
  const checks = [...planChecks(analysis, { shadowing: true }), ...planChecks(analysis)];
  return new Map(checks.map((c) => [c.name, c.threshold]));
}

/** The last analysed interval of the canary, from status.canary.analysis; undefined before the first. */
export function lastInterval(spec: ModelDeploymentSpec, status: ModelDeploymentStatus | undefined): IntervalView | undefined {
  const analysis = status?.canary?.analysis;
  if (analysis?.checks === undefined || analysis.checks.length === 0) return undefined;
  const bounds = thresholds(spec);
  const checks = analysis.checks.map((c) => ({
    name: c.name,
    status: c.status,
    ...(c.value === undefined ? {} : { value: c.value }),
    threshold: { ...bounds.get(c.name) },
    reason: c.reason,
    message: c.message,
  }));
  const verdict = checks.some((c) => c.status === "fail") ? "fail" : checks.some((c) => c.status === "noData") ? "noData" : "pass";
  return {
    ...(status?.canary?.revision === undefined ? {} : { revision: status.canary.revision }),
    ...(analysis.evaluatedAt === undefined ? {} : { evaluatedAt: analysis.evaluatedAt }),
    status: verdict,
    checks,
  };
}

/**
 * `seen` (newest first) with `latest` in front when it is a new interval (another evaluatedAt or
 * revision), at most MAX_INTERVALS; the same interval seen again replaces the front one.
 */
export function rememberIntervals(seen: readonly IntervalView[], latest: IntervalView | undefined): IntervalView[] {
  if (latest === undefined) return [...seen];
  const [front, ...rest] = seen;
  const same = front !== undefined && front.evaluatedAt === latest.evaluatedAt && front.revision === latest.revision;
  return [latest, ...(same ? rest : seen)].slice(0, MAX_INTERVALS);
}

/** status.drift with its top features (largest PSI first); undefined when not monitored yet. */
export function buildDrift(status: ModelDeploymentStatus | undefined): DriftView | undefined {
  const drift = status?.drift;
  if (drift === undefined) return undefined;
  const features = [...(drift.features ?? [])].sort((a, b) => b.psi - a.psi || a.name.localeCompare(b.name));
  return {
    ...(drift.revision === undefined ? {} : { revision: drift.revision }),
    evaluatedAt: drift.evaluatedAt,
    window: drift.window,
    maxPSI: drift.maxPSI,
    features: features.slice(0, TOP_FEATURES).map((f) => ({ name: f.name, psi: f.psi, ...(f.pValue === undefined ? {} : { pValue: f.pValue }) })),
    driftedFeatures: features.length,
    ...(drift.prediction === undefined ? {} : { prediction: { ...drift.prediction } }),
  };
}
