// What the answers of spec.rollout.webhooks do to a rollout: PreRollout gates its start,
// Rollback hooks may end it, ConfirmPromotion gates its promotion, PostRollout is told how it
// ended. Each asks through callHooks and decides only once the answers are given.
import { CONFIRM_RETRY_MS, callHooks, callOf, describeResults, hasHooks, openHooks, rollbackAskMs } from "./hook-calls.ts";
import type { PendingNotification, WebhookResults } from "./hook-state.ts";
import type { RolloutState } from "./state.ts";
import type { Context } from "./context.ts";
import { enterStep, explain, iso, rollback } from "./transitions.ts";

/** open: nothing (more) to wait for; pending: answers asked for; rolledBack: the rollout ended. */
export type GateOutcome = "open" | "pending" | "rolledBack";

/**
 * Progressing with PreRollout hooks not passed yet: asks them; when all answered 2xx the first
 * step starts now (its weight, its clock, the analysis clock), otherwise the rollout is rolled
 * back (PreRolloutWebhookFailed) naming the hooks that failed and their answers.
 */
export function gatePreRollout(s: RolloutState, ctx: Context, results: WebhookResults | undefined): GateOutcome {
  if (s.hooks.preRolloutPending !== true) return "open";
  const answers = callHooks(ctx, callOf(s, "PreRollout"), results?.PreRollout);
  if (answers === undefined) {
    explain(s, "RunningPreRolloutWebhooks", `calling the PreRollout webhooks before revision ${s.canary?.revision ?? ""} gets traffic`);
    return "pending";
  }
  const failed = answers.filter((a) => !a.passed);
  if (failed.length > 0) {
    rollback(s, ctx, "PreRolloutWebhookFailed", `PreRollout webhook ${describeResults(failed)}`, "RolledBack");
    return "rolledBack";
  }
  delete s.hooks.preRolloutPending;
  enterStep(s, ctx, 0);
  openHooks(s, ctx);
  return "open";
}

/**
 * Progressing: asks the Rollback hooks every interval (analysis interval, else 30 s), whether the
 * canary is ready or not, paused or not. Any 2xx answer rolls the rollout back (RollbackWebhook);
 * any other answer, or none, lets it continue.
 */
export function askRollbackHooks(s: RolloutState, ctx: Context, results: WebhookResults | undefined): GateOutcome {
  if (!hasHooks(ctx, "Rollback")) return "open";
  const dueAt = s.hooks.rollbackAt === undefined ? ctx.now : Date.parse(s.hooks.rollbackAt);
  if (ctx.now < dueAt) {
    ctx.timers.push(dueAt);
    return "open";
  }
  const answers = callHooks(ctx, callOf(s, "Rollback"), results?.Rollback);
  if (answers === undefined) return "pending";
  const next = ctx.now + rollbackAskMs(ctx);
  s.hooks.rollbackAt = iso(next);
  ctx.timers.push(next);
  const yes = answers.filter((a) => a.passed);
  if (yes.length === 0) return "open";
  rollback(s, ctx, "RollbackWebhook", `Rollback webhook ${describeResults(yes)}`, "RolledBack");
  return "rolledBack";
}

/**
 * Before an automatic promotion: true once every ConfirmPromotion hook answered 2xx in this call
 * (or none is configured). Until then the rollout waits like for a person — the progress deadline
 * does not run (no blockedSince) — with reason WaitingForConfirmation, asking again every 30 s.
 */
export function promotionConfirmed(s: RolloutState, ctx: Context, results: WebhookResults | undefined): boolean {
  if (!hasHooks(ctx, "ConfirmPromotion")) return true;
  delete s.blockedSince;
  const dueAt = s.hooks.confirmAt === undefined ? ctx.now : Date.parse(s.hooks.confirmAt);
  if (ctx.now < dueAt) {
    ctx.timers.push(dueAt);
    if (s.reason !== "WaitingForConfirmation") explain(s, "WaitingForConfirmation", `waiting for the ConfirmPromotion webhooks; asking again at ${iso(dueAt)}`);
    return false;
  }
  const answers = callHooks(ctx, callOf(s, "ConfirmPromotion"), results?.ConfirmPromotion);
  if (answers === undefined) {
    explain(s, "WaitingForConfirmation", "asking the ConfirmPromotion webhooks");
    return false;
  }
  const refused = answers.filter((a) => !a.passed);
  if (refused.length === 0) {
    delete s.hooks.confirmAt;
    return true;
  }
  const next = ctx.now + CONFIRM_RETRY_MS;
  s.hooks.confirmAt = iso(next);
  ctx.timers.push(next);
  explain(s, "WaitingForConfirmation", `waiting for the ConfirmPromotion webhooks to answer 2xx, asking again at ${iso(next)}: ${describeResults(refused)}`);
  return false;
}

/**
 * Calls the PostRollout hooks for `pending`, the notification the *input* state held (so they
 * are told only once the promotion or rollback was applied), and forgets it once answered.
 * Failures are only reported (Warning Events); they change nothing.
 */
export function notifyPostRollout(s: RolloutState, ctx: Context, pending: PendingNotification | undefined, results: WebhookResults | undefined): void {
  if (pending === undefined) return;
  const call = {
    type: "PostRollout" as const,
    phase: pending.outcome,
    stableRevision: s.stable.revision,
    canaryRevision: pending.revision,
    ...(pending.modelVersion === undefined ? {} : { modelVersion: pending.modelVersion }),
    step: pending.step,
    weight: pending.weight,
  };
  if (callHooks(ctx, call, results?.PostRollout) === undefined) return;
  const now = s.hooks.notify;
  if (now?.revision === pending.revision && now.time === pending.time) delete s.hooks.notify;
}
