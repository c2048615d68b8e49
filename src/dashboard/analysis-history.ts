// The analysis intervals of each rollout, as the dashboard saw them go by. Status keeps only the
// last interval (status.canary.analysis); every status the watch delivers with a new evaluatedAt
// is one more interval, so the timeline starts when the dashboard started (or the rollout did).
import type { ModelDeploymentObject } from "../controllers/modeldeployment/resource.ts";

export interface IntervalCheck {
  name: string;
  status: string;
  value?: number;
  reason: string;
  message: string;
}

/** One analysed interval: when, at which step and weight, and each check's verdict. */
export interface Interval {
  evaluatedAt: string;
  revision: string;
  step: number;
  weight: number;
  checks: IntervalCheck[];
}

/** Intervals kept per ModelDeployment; the oldest go first. */
export const MAX_INTERVALS = 200;

/**
 * Records intervals per `namespace/name`. A new canary revision starts a new timeline; a deleted
 * ModelDeployment loses its own. Not safe to share between processes; one per dashboard.
 */
export class AnalysisHistory {
  private readonly byKey = new Map<string, Interval[]>();

  /** Takes the interval `md`'s status describes, if it is one not yet recorded. */
  observe(key: string, md: ModelDeploymentObject): void {
    const canary = md.status?.canary;
    const analysis = canary?.analysis;
    if (canary === undefined || analysis?.evaluatedAt === undefined) return;
    const intervals = (this.byKey.get(key) ?? []).filter((i) => i.revision === canary.revision);
    if (intervals.some((i) => i.evaluatedAt === analysis.evaluatedAt)) return;
    intervals.push({
      evaluatedAt: analysis.evaluatedAt,
      revision: canary.revision,
      step: canary.step,
      weight: canary.weight,
      checks: (analysis.checks ?? []).map((c) => ({ ...c })),
    });
    this.byKey.set(key, intervals.slice(-MAX_INTERVALS));
  }

  forget(key: string): void {
    this.byKey.delete(key);
  }

  /** The recorded intervals, oldest first (copies). */
  intervals(key: string): Interval[] {
    return (this.byKey.get(key) ?? []).map((i) => ({ ...i, checks: i.checks.map((c) => ({ ...c })) }));
  }
}
