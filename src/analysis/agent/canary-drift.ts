// The drift check's evidence from agents' reports: the canary's windows pooled over its pods and
// tested per feature — and for the model's predictions, when the baseline profiles them — against
// the baseline's counts and, when the stable revision's pooled windows are large enough and
// binned by the same baseline, against those live windows too (the same traffic answered
// differently by the new model shows as prediction drift against the stable revision). Pure.
import { homogeneityTest } from "../../drift/homogeneity.ts";
import { psiOfCounts } from "../../drift/psi.ts";
import type { DriftEvidence, DriftTest } from "../drift-evidence.ts";
import type { PooledFeature, RevisionDrift } from "./revision-drift.ts";

export interface CanaryDriftInput {
  readonly canary: RevisionDrift;
  /** The stable revision's drift; undefined when it has none (or is the canary itself). */
  readonly stable: RevisionDrift | undefined;
  readonly minWindow: number;
}

/**
 * The tests of one interval, and a note for people on what was compared. Nothing is tested
 * while the canary's pooled windows have fewer than minWindow rows; the stable comparison is left
 * out (and the note says why) when the stable revision's pooled windows are that small, or
 * when its features were binned by another baseline (a new model version with a new profile).
 */
export function canaryDriftEvidence(input: CanaryDriftInput): { evidence: DriftEvidence; note: string } {
  const { canary, stable, minWindow } = input;
  const testable = canary.features.some((f) => f.pooled !== undefined);
  const evidence = (tests: DriftTest[]): DriftEvidence => ({ rows: canary.window, maxPSI: canary.maxPSI, testable, tests });
  if (!testable || canary.window < minWindow) return { evidence: evidence([]), note: `canary: ${reporting(canary)}` };
  const tests: DriftTest[] = [];
  const canaryVariables = variables(canary);
  for (const f of canaryVariables) {
    if (f.pooled === undefined) continue;
    const p = homogeneityTest(f.pooled.counts, f.pooled.baseline).pValue;
    if (Number.isFinite(p)) tests.push({ feature: f.name, against: "baseline", pValue: p, psi: psiOf(f.pooled.baseline, f.pooled.counts) });
  }
  let why = stableLeftOut(stable, minWindow);
  if (why === undefined && stable !== undefined) {
    const byName = new Map(variables(stable).map((f) => [f.name, f]));
    for (const f of canaryVariables) {
      const other = byName.get(f.name);
      if (f.pooled === undefined || other?.pooled === undefined || !sameBins(f, other)) continue;
      const p = homogeneityTest(f.pooled.counts, other.pooled.counts).pValue;
      if (Number.isFinite(p)) tests.push({ feature: f.name, against: "stable", pValue: p, psi: psiOf(other.pooled.counts, f.pooled.counts) });
    }
  }
  if (why === undefined && !tests.some((t) => t.against === "stable")) why = "the stable revision's features were binned by another baseline";
  const compared = why === undefined ? `compared with the baseline and the stable revision's ${stable?.window ?? 0} rows` : `compared with the baseline only (${why})`;
  return { evidence: evidence(tests), note: `canary: ${reporting(canary)}; ${compared}` };
}

/** The features, then the model's predictions (named "<name> (prediction)"): each is tested. */
function variables(drift: RevisionDrift): PooledFeature[] {
  return drift.prediction === undefined ? [...drift.features] : [...drift.features, { ...drift.prediction, name: `${drift.prediction.name} (prediction)` }];
}

function reporting(drift: RevisionDrift): string {
  return `${drift.reporting} of ${drift.agents} agents reporting, ${drift.window} rows`;
}

function stableLeftOut(stable: RevisionDrift | undefined, minWindow: number): string | undefined {
  if (stable === undefined) return "the stable revision has no drift report";
  if (stable.window < minWindow) return `the stable revision's windows have ${stable.window} rows, fewer than minWindow ${minWindow}`;
  if (!stable.features.some((f) => f.pooled !== undefined)) return "the stable revision's agents sent no bin counts";
  return undefined;
}

/** Same baseline counts: binned by the same profile, so the windows' bins line up. */
function sameBins(a: PooledFeature, b: PooledFeature): boolean {
  const x = a.pooled?.baseline;
  const y = b.pooled?.baseline;
  return x !== undefined && y !== undefined && x.length === y.length && x.every((v, i) => v === y[i]);
}

function psiOf(expectedCounts: readonly number[], actualCounts: readonly number[]): number {
  const psi = psiOfCounts(expectedCounts, actualCounts);
  return Number.isFinite(psi) ? psi : 0;
}
