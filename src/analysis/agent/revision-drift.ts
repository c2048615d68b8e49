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
 * most status could say).
 */
export function combineDrift(reports: readonly (AgentDriftReport | undefined)[]): RevisionDrift | undefined {
  const perFeature = new Map<string, number>();
  const pooled = new Map<string, Pool | undefined>();
  let window = 0;
  let reporting = 0;
  for (const report of reports) {
    if (report === undefined) continue;
    reporting++;
    window += report.windowSamples;
    for (const f of report.features) {
      pooled.set(f.name, addToPool(pooled.has(f.name) ? pooled.get(f.name) : { counts: undefined, baseline: f.baselineCounts, agents: 0 }, f));
      if (f.psi === null || !Number.isFinite(f.psi)) continue;
      perFeature.set(f.name, Math.max(perFeature.get(f.name) ?? 0, f.psi));
    }
  }
  if (perFeature.size === 0) return undefined;
  const features = [...perFeature].map(([name, psi]) => {
    const pool = pooled.get(name);
    const complete = pool?.agents === reporting && pool.counts !== undefined && pool.baseline !== undefined ? { counts: pool.counts, baseline: pool.baseline } : undefined;
    const pValue = complete === undefined ? Number.NaN : homogeneityTest(complete.counts, complete.baseline).pValue;
    return { name, psi, ...(Number.isFinite(pValue) && { pValue }), ...(complete !== undefined && { pooled: complete }) };
  }).sort((a, b) => b.psi - a.psi || a.name.localeCompare(b.name));
  return { maxPSI: features[0]!.psi, window, features, reporting, agents: reports.length };
}

/** A feature's counts summed over the agents so far; undefined once one agent's cannot be pooled. */
interface Pool {
  readonly counts: number[] | undefined;
  readonly baseline: readonly number[] | undefined;
  readonly agents: number;
}

function addToPool(pool: Pool | undefined, feature: AgentDriftReport["features"][number]): Pool | undefined {
  const { counts, baselineCounts } = feature;
  if (pool === undefined || counts === undefined || baselineCounts === undefined || counts.length !== baselineCounts.length) return undefined;
  if (pool.baseline !== undefined && (pool.baseline.length !== counts.length || pool.baseline.some((b, i) => b !== baselineCounts[i]))) return undefined;
  const sum = pool.counts === undefined ? [...counts] : pool.counts.map((c, i) => c + (counts[i] ?? 0));
  return { counts: sum, baseline: baselineCounts, agents: pool.agents + 1 };
}
