// The drift of a revision from its agents' latest drift reports: the largest PSI over features
// and pods, per feature its largest PSI over pods, and — when every reporting agent sent its bin
// counts — the homogeneity test of the pods' pooled counts against the baseline's (pooling has
// more power than testing each pod at the same false-alarm rate: docs/drift.md). Pure.
import { homogeneityTest } from "../../drift/homogeneity.ts";
import type { AgentDriftReport } from "./scrape.ts";

/** A revision's drift as status.drift shows it. */
export interface RevisionDrift {
  /** Largest PSI of any feature on any agent. */
  readonly maxPSI: number;
  /** Rows in the latest windows, summed over the reporting agents. */
  readonly window: number;
  /**
   * Per feature its largest PSI over agents, largest first; all of them (status shows the first
   * 64). `pValue`: the pooled homogeneity test, present when every reporting agent sent counts.
   */
  readonly features: readonly PooledFeature[];
  /** The model's predictions against the baseline's prediction profile, when the agents report them. */
  readonly prediction?: PooledFeature;
  /** Agents that had a report, of `agents` located. */
  readonly reporting: number;
  readonly agents: number;
}

/** One feature of a revision: largest PSI over its agents and, when every agent sent counts, the pooled test. */
export interface PooledFeature {
  readonly name: string;
  readonly psi: number;
  readonly pValue?: number;
  /** The agents' window counts summed, and the baseline's counts (the same on every agent). */
  readonly pooled?: { readonly counts: readonly number[]; readonly baseline: readonly number[] };
}

/**
 * Combines reports (undefined: that agent had none). Undefined when no agent had a report with a
 * PSI; features without a PSI in the window are left out. Every feature is kept, so whoever counts
 * drifted features counts them all (they were cut at 10 once, and "10 features drifted" was the
 * most status could say). The model's predictions, when the agents report them, are pooled the
 * same way into `prediction`.
 */
export function combineDrift(reports: readonly (AgentDriftReport | undefined)[]): RevisionDrift | undefined {
  const present = reports.filter((r): r is AgentDriftReport => r !== undefined);
  const names = [...new Set(present.flatMap((r) => r.features.map((f) => f.name)))];
  const features = names
    .map((name) => poolVariable(name, present.map((r) => r.features.find((f) => f.name === name))))
    .filter((f): f is PooledFeature => f !== undefined)
    .sort((a, b) => b.psi - a.psi || a.name.localeCompare(b.name));
  if (features.length === 0) return undefined;
  const predictionName = present.find((r) => r.prediction !== undefined)?.prediction?.name;
  const prediction = predictionName === undefined ? undefined : poolVariable(predictionName, present.map((r) => r.prediction));
  return {
    maxPSI: features[0]!.psi,
    window: present.reduce((sum, r) => sum + r.windowSamples, 0),
    features,
    ...(prediction !== undefined && { prediction }),
    reporting: present.length,
    agents: reports.length,
  };
}

type Entry = AgentDriftReport["features"][number];

/** One variable over the reporting agents (undefined: that agent's report lacks it); undefined without any PSI. */
function poolVariable(name: string, entries: readonly (Entry | undefined)[]): PooledFeature | undefined {
  let psi: number | undefined;
  let pool: Pool | undefined = { counts: undefined, baseline: entries.find((e) => e !== undefined)?.baselineCounts, agents: 0 };
  for (const entry of entries) {
    pool = entry === undefined ? undefined : addToPool(pool, entry);
    if (entry?.psi !== null && entry?.psi !== undefined && Number.isFinite(entry.psi)) psi = Math.max(psi ?? 0, entry.psi);
  }
  if (psi === undefined) return undefined;
  const complete = pool?.counts !== undefined && pool.baseline !== undefined ? { counts: pool.counts, baseline: pool.baseline } : undefined;
  const pValue = complete === undefined ? Number.NaN : homogeneityTest(complete.counts, complete.baseline).pValue;
  return { name, psi, ...(Number.isFinite(pValue) && { pValue }), ...(complete !== undefined && { pooled: complete }) };
}

/** A feature's counts summed over the agents so far; undefined once one agent's cannot be pooled. */
interface Pool {
  readonly counts: number[] | undefined;
  readonly baseline: readonly number[] | undefined;
  readonly agents: number;
}

function addToPool(pool: Pool | undefined, feature: Entry): Pool | undefined {
  const { counts, baselineCounts } = feature;
  if (pool === undefined || counts === undefined || baselineCounts === undefined || counts.length !== baselineCounts.length) return undefined;
  if (pool.baseline !== undefined && (pool.baseline.length !== counts.length || pool.baseline.some((b, i) => b !== baselineCounts[i]))) return undefined;
  const sum = pool.counts === undefined ? [...counts] : pool.counts.map((c, i) => c + (counts[i] ?? 0));
  return { counts: sum, baseline: baselineCounts, agents: pool.agents + 1 };
}
