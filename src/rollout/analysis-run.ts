// Analysis during a rollout: ask for the checks when an interval is due, consume their verdicts,
// count failures against failureLimit.
import type { RolloutState } from "./state.ts";
import type { Context } from "./context.ts";
import { iso, rollback } from "./transitions.ts";
import type { Verdict } from "./verdict.ts";
import { summarise } from "./verdict.ts";
import { BUILTIN_CHECKS, DRIFT_P_VALUE_KEY } from "./status-fields.ts";

/** idle: nothing due; pending: checks requested, no decision until their verdicts arrive. */
export type AnalysisOutcome = "idle" | "pending" | "consumed" | "rolledBack";

/**
 * Runs one analysis interval when due and the canary is ready (checks of a canary still starting
 * would only measure its start). Due without verdicts → a RunAnalysis action and "pending"; the
 * reconciler runs the checks and calls again with them. Verdicts given when nothing is due are
 * ignored (stale). A pass marks the step as analysed; a fail counts, and the rollout is rolled
 * back once more than failureLimit intervals failed; noData does neither.
 */
export function runAnalysis(s: RolloutState, ctx: Context, verdicts: readonly Verdict[] | undefined): AnalysisOutcome {
  const policy = ctx.policy.analysis;
  const canary = s.canary;
  if (policy === undefined || canary === undefined || !ctx.ready) return "idle";
  const dueAt = s.analysis.nextAt === undefined ? ctx.now : Date.parse(s.analysis.nextAt);
  if (ctx.now < dueAt) {
    ctx.timers.push(dueAt);
    return "idle";
  }
  if (verdicts === undefined) {
    ctx.actions.push({ kind: "RunAnalysis", revision: canary.revision, shadowing: s.shadowing === true });
    ctx.timers.push(ctx.now);
    return "pending";
  }
  const summary = summarise(verdicts);
  s.analysis.nextAt = iso(ctx.now + policy.intervalMs);
  ctx.timers.push(ctx.now + policy.intervalMs);
  s.analysis.values = Object.fromEntries(verdicts.flatMap((v) => (v.value === undefined ? [] : [[valueKey(v), v.value]])));
  if (summary.status === "pass") {
    if (!s.analysis.passedThisStep) ctx.events.push({ type: "Normal", reason: summary.reason, message: summary.message });
    s.analysis.passedThisStep = true;
    return "consumed";
  }
  if (summary.status === "noData") {
    ctx.events.push({ type: "Normal", reason: summary.reason, message: summary.message });
    return "consumed";
  }
  s.analysis.failedChecks += 1;
  const failed = s.analysis.failedChecks;
  const allowed = policy.failureLimit;
  ctx.events.push({ type: "Warning", reason: summary.reason, message: `Interval failed (${failed} of at most ${allowed} tolerated): ${summary.message}` });
  if (failed > allowed) {
    rollback(s, ctx, "AnalysisFailed", `${failed} analysis intervals failed, more than failureLimit ${allowed}; last: ${summary.message}`, "RolledBack");
    return "rolledBack";
  }
  return "consumed";
}

/** The drift test's value (an adjusted p-value, judged against a minimum) is kept apart from the PSI rule's. */
function valueKey(v: Verdict): string {
  return v.check === BUILTIN_CHECKS.drift && v.threshold.min !== undefined ? DRIFT_P_VALUE_KEY : v.check;
}
