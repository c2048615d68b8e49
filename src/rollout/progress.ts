// How a rollout in progress moves: wait for readiness and analysis, hold a step's pause, promote,
// and give up at the progress deadline.
import type { RolloutState } from "./state.ts";
import type { Context } from "./context.ts";
import { advance, beginPromotion, explain, finishPromotion, iso, rollback } from "./transitions.ts";
import { runAnalysis } from "./analysis-run.ts";
import { askRollbackHooks, gatePreRollout, promotionConfirmed } from "./hook-gates.ts";
import type { WebhookResults } from "./hook-state.ts";
import type { Verdict } from "./verdict.ts";

/**
 * Progressing: the step (or the blue-green preview, or the rolling update) is done once the
 * canary is ready and, with analysis, passed an interval since the step started; then the hold
 * applies: a canary step's pause (timed, or a person's promote when empty), a blue-green switch
 * waiting for a person when autoPromote is false, none for Rolling. Analysis keeps running while
 * held. A person's pause holds everything but analysis and stops the deadline clock.
 * A canary whose pods can never start (Observations.canaryFailure) is rolled back at once.
 * Webhooks: nothing happens before the PreRollout hooks passed; the Rollback hooks are asked
 * alongside analysis; an automatic promotion waits for the ConfirmPromotion hooks (a person's
 * promote command does not: it is itself the confirmation).
 */
export function progress(s: RolloutState, ctx: Context, verdicts: readonly Verdict[] | undefined, hooks: WebhookResults | undefined): void {
  if (gatePreRollout(s, ctx, hooks) !== "open") return;
  if (ctx.canaryFailure !== undefined) return rollback(s, ctx, ctx.canaryFailure.reason, ctx.canaryFailure.message, "RolledBack");
  if (askRollbackHooks(s, ctx, hooks) === "rolledBack") return;
  const outcome = runAnalysis(s, ctx, verdicts);
  if (outcome === "rolledBack") return;
  if (s.pausedByPerson) return holdForPerson(s, "PausedByPerson", "paused by a person; resume or promote to continue");
  const analysed = ctx.policy.analysis === undefined || s.analysis.passedThisStep;
  if (!ctx.ready || !analysed || outcome === "pending") {
    const what = !ctx.ready ? "WaitingForReadiness" : outcome === "pending" ? "RunningAnalysis" : "WaitingForAnalysis";
    return blocked(s, ctx, what, !ctx.ready ? `waiting for revision ${s.canary?.revision ?? ""} to become ready` : "waiting for a passing analysis interval");
  }
  delete s.blockedSince;
  const strategy = ctx.policy.strategy;
  if (strategy === "Rolling") return beginPromotion(s, ctx, "all replicas of the new revision are ready");
  if (strategy === "BlueGreen") {
    if (!ctx.policy.autoPromote) return holdForPerson(s, "WaitingForPromotion", "preview ready and analysed; waiting for a person to promote");
    if (!promotionConfirmed(s, ctx, hooks)) return;
    return beginPromotion(s, ctx, confirmedWhy(ctx, "preview ready and analysis passed"));
  }
  if (s.shadowing === true) return shadow(s, ctx);
  const pauseMs = ctx.policy.steps[s.step]?.pauseMs;
  if (ctx.policy.steps[s.step] === undefined) {
    if (!promotionConfirmed(s, ctx, hooks)) return;
    return beginPromotion(s, ctx, confirmedWhy(ctx, "no steps left"));
  }
  if (pauseMs === undefined) return holdForPerson(s, "WaitingForPromotion", `step ${s.step + 1} at ${s.weight}% waits for a person to promote`);
  const endsAt = Date.parse(s.stepStartedAt ?? iso(ctx.now)) + pauseMs;
  if (ctx.now < endsAt) {
    ctx.timers.push(endsAt);
    return explain(s, "Pausing", `holding step ${s.step + 1} at ${s.weight}% until ${iso(endsAt)}`);
  }
  const last = s.step + 1 >= ctx.policy.steps.length;
  if (last && !promotionConfirmed(s, ctx, hooks)) return;
  advance(s, ctx, last ? confirmedWhy(ctx, analysedWhy(ctx)) : analysedWhy(ctx));
}

/**
 * The shadow phase, once the candidate is ready (and analysed, with analysis): mirrored requests
 * for spec.rollout.shadow.duration from the phase's start, then step 1. The kubelet may take up
 * to about a minute to hand the mirror settings to the stable pods; analysis.agreement's minRows
 * keeps the phase from passing before enough answers were compared.
 */
function shadow(s: RolloutState, ctx: Context): void {
  const endsAt = Date.parse(s.stepStartedAt ?? iso(ctx.now)) + (ctx.policy.shadow?.durationMs ?? 0);
  if (ctx.now < endsAt) {
    ctx.timers.push(endsAt);
    const share = Math.round((ctx.policy.shadow?.spec.sampleRate ?? 1) * 1000) / 10;
    return explain(s, "Shadowing", `revision ${s.canary?.revision ?? ""} gets ${share}% of requests mirrored, no user traffic, until ${iso(endsAt)}`);
  }
  advance(s, ctx, ctx.policy.analysis === undefined ? "its duration elapsed" : "its duration elapsed and analysis passed");
}

/** Promoting: switch all traffic once the new revision is ready at full size. */
export function promoting(s: RolloutState, ctx: Context): void {
  if (s.pausedByPerson) return holdForPerson(s, "PausedByPerson", "promotion paused by a person; resume to continue");
  if (ctx.ready) return finishPromotion(s, ctx);
  blocked(s, ctx, "Promoting", `waiting for revision ${s.canary?.revision ?? ""} to be ready at full size`);
}

function analysedWhy(ctx: Context): string {
  return ctx.policy.analysis === undefined ? "pause elapsed" : "pause elapsed and analysis passed";
}

function confirmedWhy(ctx: Context, why: string): string {
  return ctx.policy.webhooks.includes("ConfirmPromotion") ? `${why}; ConfirmPromotion webhooks answered 2xx` : why;
}

function holdForPerson(s: RolloutState, reason: string, message: string): void {
  delete s.blockedSince; // pauses waiting for a person do not count against the deadline
  explain(s, reason, message);
}

/** Waiting on something the operator does not control; rolls back once the deadline passes. */
function blocked(s: RolloutState, ctx: Context, reason: string, message: string): void {
  s.blockedSince ??= iso(ctx.now);
  const deadline = Date.parse(s.blockedSince) + ctx.policy.progressDeadlineMs;
  if (ctx.now >= deadline) {
    const why = `no progress for ${ctx.policy.progressDeadlineMs / 1000}s since ${s.blockedSince}: ${message}`;
    return rollback(s, ctx, "ProgressDeadlineExceeded", why, "RolledBack");
  }
  ctx.timers.push(deadline);
  explain(s, reason, message);
}
