// The transitions of the rollout state machine. Each mutates a draft of the state (a copy made by
// `step`) and records its edge actions, Events and timers in the context.
import { hasHooks, openHooks, queueNotification, resetHooks } from "./hook-calls.ts";
import type { RevisionRef, RolloutState } from "./state.ts";
import { appendHistory } from "./state.ts";
import type { Context } from "./context.ts";

export const iso = (ms: number): string => new Date(ms).toISOString();

/** Sets why the rollout is where it is. */
export function explain(s: RolloutState, reason: string, message: string): void {
  s.reason = reason;
  s.message = message;
}

function freshAnalysis(ctx: Context): RolloutState["analysis"] {
  const interval = ctx.policy.analysis?.intervalMs;
  return {
    ...(interval === undefined ? {} : { nextAt: iso(ctx.now + interval) }),
    failedChecks: 0,
    passedThisStep: false,
    values: {},
  };
}

/** Starts rolling out `target` from the first step, with counters reset. */
export function startRollout(s: RolloutState, ctx: Context, target: RevisionRef): void {
  if (s.retiring?.revision === target.revision) delete s.retiring;
  s.phase = "Progressing";
  s.canary = { ...target };
  s.pausedByPerson = false;
  s.analysis = freshAnalysis(ctx);
  delete s.lastFailure;
  enterStep(s, ctx, 0);
  if (ctx.policy.shadow !== undefined) {
    s.shadowing = true; // mirrored requests only, until the shadow phase passes (see advance)
    s.weight = 0;
  } else {
    delete s.shadowing;
  }
  resetHooks(s);
  if (hasHooks(ctx, "PreRollout")) {
    s.hooks.preRolloutPending = true; // no traffic until they pass (see gatePreRollout)
    s.weight = 0;
  } else {
    openHooks(s, ctx);
  }
  const how = s.shadowing === true ? " with a shadow phase (mirrored requests only)" : "";
  ctx.events.push({ type: "Normal", reason: "RolloutStarted", message: `Started ${ctx.policy.strategy} rollout of revision ${target.revision} beside stable revision ${s.stable.revision}${how}` });
}

/** Enters canary step `index` (always 0 for BlueGreen and Rolling): its weight, its clock. */
export function enterStep(s: RolloutState, ctx: Context, index: number): void {
  s.step = index;
  s.weight = ctx.policy.strategy === "Canary" ? ctx.policy.steps[index]?.weight ?? 0 : 0;
  s.stepStartedAt = iso(ctx.now);
  s.blockedSince = iso(ctx.now);
  s.analysis = { ...s.analysis, passedThisStep: false };
  const interval = ctx.policy.analysis?.intervalMs;
  if (interval !== undefined) s.analysis.nextAt = iso(ctx.now + interval);
  ctx.ready = false;
  ctx.timers.push(ctx.now + ctx.policy.progressDeadlineMs);
  if (ctx.policy.strategy === "Canary" && index > 0) {
    ctx.events.push({ type: "Normal", reason: "StepStarted", message: `Started step ${index + 1} of ${ctx.policy.steps.length}: ${s.weight}% of traffic to revision ${s.canary?.revision ?? ""}` });
  }
}

/** Completes the current step (or the shadow phase): the next one, or promotion after the last. */
export function advance(s: RolloutState, ctx: Context, why: string): void {
  if (s.shadowing === true) {
    delete s.shadowing;
    enterStep(s, ctx, 0);
    const first = ctx.policy.steps.length === 0 ? "" : `; step 1 of ${ctx.policy.steps.length} sends ${s.weight}% of traffic to revision ${s.canary?.revision ?? ""}`;
    ctx.events.push({ type: "Normal", reason: "ShadowCompleted", message: `Completed the shadow phase: ${why}${first}` });
    explain(s, "ShadowCompleted", `completed the shadow phase: ${why}`);
    return;
  }
  const next = s.step + 1;
  if (ctx.policy.strategy === "Canary" && next < ctx.policy.steps.length) {
    ctx.events.push({ type: "Normal", reason: "StepCompleted", message: `Completed step ${s.step + 1} at ${s.weight}%: ${why}` });
    enterStep(s, ctx, next);
  } else {
    beginPromotion(s, ctx, why);
  }
}

/** Scales the new revision to full size; traffic switches once it is ready (see `finishPromotion`). */
export function beginPromotion(s: RolloutState, ctx: Context, why: string): void {
  s.phase = "Promoting";
  s.blockedSince = iso(ctx.now);
  if (ctx.policy.strategy === "Canary") ctx.ready = false; // it was sized for its weight only
  ctx.timers.push(ctx.now + ctx.policy.progressDeadlineMs);
  ctx.events.push({ type: "Normal", reason: "PromotionStarted", message: `Promoting revision ${s.canary?.revision ?? ""}: ${why}` });
}

/** Makes the new revision stable with all traffic; the old one retires after scaleDownDelay. */
export function finishPromotion(s: RolloutState, ctx: Context): void {
  const promoted = s.canary;
  if (promoted === undefined) return;
  if (s.retiring !== undefined) ctx.actions.push({ kind: "RetireRevision", revision: s.retiring.revision });
  ctx.actions.push({ kind: "Promote", revision: promoted.revision });
  ctx.events.push({ type: "Normal", reason: "Promoted", message: `Promoted revision ${promoted.revision}; it serves all traffic` });
  s.history = appendHistory(s.history, { revision: promoted.revision, ...version(promoted), outcome: "Promoted", time: iso(ctx.now) });
  queueNotification(s, ctx, "Promoted");
  s.retiring = { revision: s.stable.revision, at: iso(ctx.now + ctx.policy.scaleDownDelayMs) };
  s.previous = s.stable;
  s.stable = promoted;
  settle(s);
  delete s.lastFailure;
  s.analysis = { failedChecks: 0, passedThisStep: false, values: {} };
}

/**
 * Ends the rollout without promotion: all traffic to stable first (the level SetWeights of the
 * RolledBack state precede this edge), the new revision scaled to zero and held until retry.
 */
export function rollback(s: RolloutState, ctx: Context, reason: string, message: string, outcome: "RolledBack" | "Aborted"): void {
  const canary = s.canary;
  if (canary === undefined) return;
  ctx.actions.push({ kind: "Rollback", revision: canary.revision, reason, message });
  ctx.events.push({ type: "Warning", reason, message: `Rolled back revision ${canary.revision}: ${message}` });
  s.history = appendHistory(s.history, { revision: canary.revision, ...version(canary), outcome, time: iso(ctx.now) });
  resetHooks(s);
  queueNotification(s, ctx, outcome);
  s.phase = "RolledBack";
  s.weight = 0;
  s.pausedByPerson = false;
  delete s.shadowing;
  delete s.blockedSince;
  if (outcome === "RolledBack") s.lastFailure = { reason, message, time: iso(ctx.now) };
  explain(s, reason, message);
}

/**
 * Stable only: returns all traffic to the previous revision because the stable one misbehaves in
 * production (a drift action). The replaced revision is held back like a rolled-back canary
 * (phase RolledBack) until `retry` or a new revision. Returns why it cannot, or undefined.
 */
export function revertToPrevious(s: RolloutState, ctx: Context, reason: string, message: string): string | undefined {
  const previous = s.previous;
  if (s.phase !== "Stable") return `a rollout is in phase ${s.phase}`;
  if (previous === undefined) return `revision ${s.stable.revision} replaced no earlier revision that is kept`;
  const replaced = s.stable;
  ctx.actions.push({ kind: "Rollback", revision: replaced.revision, reason, message });
  ctx.events.push({ type: "Warning", reason, message: `Rolled back from revision ${replaced.revision} to the previous revision ${previous.revision}: ${message}` });
  s.history = appendHistory(s.history, { revision: replaced.revision, ...version(replaced), outcome: "RolledBack", time: iso(ctx.now) });
  if (s.retiring?.revision === previous.revision) delete s.retiring;
  delete s.previous;
  s.stable = previous;
  s.canary = replaced;
  s.phase = "RolledBack";
  s.step = 0;
  s.weight = 0;
  s.pausedByPerson = false;
  s.lastFailure = { reason, message, time: iso(ctx.now) };
  resetHooks(s);
  queueNotification(s, ctx, "RolledBack");
  explain(s, reason, message);
  return undefined;
}

/** Drops the in-progress or held-back revision because the spec no longer asks for it. */
export function dropCanary(s: RolloutState, ctx: Context, wanted: string): void {
  const canary = s.canary;
  if (canary === undefined) return;
  if (s.phase !== "RolledBack") {
    s.history = appendHistory(s.history, { revision: canary.revision, ...version(canary), outcome: "Superseded", time: iso(ctx.now) });
    ctx.events.push({ type: "Normal", reason: "RolloutSuperseded", message: `Stopped rollout of revision ${canary.revision}: the spec now asks for revision ${wanted}` });
  }
  ctx.actions.push({ kind: "RetireRevision", revision: canary.revision });
  settle(s);
  delete s.lastFailure;
}

/** Back to Stable with no rollout state left. */
function settle(s: RolloutState): void {
  s.phase = "Stable";
  delete s.canary;
  delete s.shadowing;
  delete s.stepStartedAt;
  delete s.blockedSince;
  s.step = 0;
  s.weight = 0;
  s.pausedByPerson = false;
  resetHooks(s);
}

function version(ref: RevisionRef): { modelVersion?: string } {
  return ref.modelVersion === undefined ? {} : { modelVersion: ref.modelVersion };
}
