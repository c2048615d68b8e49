// Asking for webhook calls the way analysis is asked for: the machine returns a CallWebhooks
// action, the reconciler calls every hook of that type and steps again, from the same input
// state, with their answers. Also the bookkeeping transitions share (notifications, resets).
import type { RolloutEvent } from "./actions.ts";
import type { RolloutOutcome, WebhookCall, WebhookResult, WebhookType } from "./hook-state.ts";
import type { RolloutState } from "./state.ts";
import type { Context } from "./context.ts";

/** ConfirmPromotion hooks that did not answer 2xx are asked again after this long. */
export const CONFIRM_RETRY_MS = 30_000;
/** Rollback hooks are asked every analysis interval, or this often without analysis. */
export const ROLLBACK_ASK_MS = 30_000;

export function hasHooks(ctx: Context, type: WebhookType): boolean {
  return ctx.policy.webhooks.includes(type);
}

/** How often the Rollback hooks are asked. */
export function rollbackAskMs(ctx: Context): number {
  return ctx.policy.analysis?.intervalMs ?? ROLLBACK_ASK_MS;
}

/** The call describing the rollout in progress to hooks of `type`. */
export function callOf(s: RolloutState, type: WebhookType): WebhookCall {
  return {
    type,
    phase: s.phase,
    stableRevision: s.stable.revision,
    ...(s.canary === undefined ? {} : { canaryRevision: s.canary.revision }),
    ...(s.canary?.modelVersion === undefined ? {} : { modelVersion: s.canary.modelVersion }),
    step: s.step,
    weight: s.weight,
  };
}

/**
 * The answers of the hooks of `call.type` when the caller gives them (an Event for each), or
 * undefined after asking for them: a CallWebhooks action and a call again now.
 */
export function callHooks(ctx: Context, call: WebhookCall, results: readonly WebhookResult[] | undefined): readonly WebhookResult[] | undefined {
  if (results === undefined) {
    ctx.actions.push({ kind: "CallWebhooks", call });
    ctx.timers.push(ctx.now);
    return undefined;
  }
  for (const r of results) ctx.events.push(resultEvent(call.type, r));
  return results;
}

/**
 * WebhookPassed for a 2xx answer, otherwise WebhookFailed: a Warning when no answer came or when
 * the failure matters (PreRollout, PostRollout); Normal for a ConfirmPromotion or Rollback hook
 * that answered, where anything but 2xx is the ordinary "not yet" / "carry on".
 */
function resultEvent(type: WebhookType, r: WebhookResult): RolloutEvent {
  const text = `${type} webhook ${r.name} ${r.message}`;
  if (r.passed) return { type: "Normal", reason: "WebhookPassed", message: text };
  const warn = r.status === undefined || type === "PreRollout" || type === "PostRollout";
  return { type: warn ? "Warning" : "Normal", reason: "WebhookFailed", message: text };
}

/** "name (message); name (message)" of some answers, for status and Events. */
export function describeResults(results: readonly WebhookResult[]): string {
  return results.map((r) => `${r.name} ${r.message}`).join("; ");
}

/** Webhook bookkeeping of a rollout that starts, ends or is dropped: only a notification survives. */
export function resetHooks(s: RolloutState): void {
  s.hooks = s.hooks.notify === undefined ? {} : { notify: s.hooks.notify };
}

/** The new revision may get traffic now: the Rollback hooks are first asked one interval later. */
export function openHooks(s: RolloutState, ctx: Context): void {
  if (hasHooks(ctx, "Rollback")) s.hooks.rollbackAt = new Date(ctx.now + rollbackAskMs(ctx)).toISOString();
}

/** Remembers to call the PostRollout hooks (on the next call, once this one's actions are applied). */
export function queueNotification(s: RolloutState, ctx: Context, outcome: RolloutOutcome): void {
  const canary = s.canary;
  if (!hasHooks(ctx, "PostRollout") || canary === undefined) return;
  s.hooks.notify = {
    revision: canary.revision,
    ...(canary.modelVersion === undefined ? {} : { modelVersion: canary.modelVersion }),
    outcome,
    time: new Date(ctx.now).toISOString(),
    step: s.step,
    weight: outcome === "Promoted" ? 100 : s.weight,
  };
  ctx.timers.push(ctx.now);
}
