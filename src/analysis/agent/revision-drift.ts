// The drift of a revision from its agents' latest drift reports: the largest PSI over features
// and pods, and per feature its largest PSI over pods. Pure.
import type { AgentDriftReport } from "./scrape.ts";

/** A revision's drift as status.drift shows it. */
export interface RevisionDrift {
  /** Largest PSI of any feature on any agent. */
  readonly maxPSI: number;
  /** Rows in the latest windows, summed over the reporting agents. */
  readonly window: number;
  /** Per feature its largest PSI over agents, largest first; all of them (status shows the first 64). */
  readonly features: readonly { readonly name: string; readonly psi: number }[];
  /** Agents that had a report, of `agents` located. */
  readonly reporting: number;
  readonly agents: number;
}

/**
 * Combines reports (undefined: that agent had none). Undefined when no agent had a report with a
 * PSI; features without a PSI in the window are left out. Every feature is kept, so whoever counts
 * drifted features counts them all (they were cut at 10 once, and "10 features drifted" was the
 * most status could say).
 */
export function combineDrift(reports: readonly (AgentDriftReport | undefined)[]): RevisionDrift | undefined {
  const perFeature = new Map<string, number>();
  let window = 0;
  let reporting = 0;
  for (const report of reports) {
    if (report === undefined) continue;
    reporting++;
    window += report.windowSamples;
    for (const f of report.features) {
      if (f.psi === null || !Number.isFinite(f.psi)) continue;
      perFeature.set(f.name, Math.max(perFeature.get(f.name) ?? 0, f.psi));
    }
  }
  if (perFeature.size === 0) return undefined;
  const features = [...perFeature].map(([name, psi]) => ({ name, psi }))
    .sort((a, b) => b.psi - a.psi || a.name.localeCompare(b.name));
  return { maxPSI: features[0]!.psi, window, features, reporting, agents: reports.length };
}
