// The rollout state machine: one pure, deterministic function from (state, observations, policy,
// time) to the next state and what to do. No I/O, no clock, nothing kept in memory.
import type { Action, RolloutEvent } from "./actions.ts";
import { desiredActions } from "./actions.ts";
import type { Command } from "./commands.ts";
import { applyCommands } from "./control.ts";
import { notifyPostRollout } from "./hook-gates.ts";
import type { WebhookResults } from "./hook-state.ts";
import type { RolloutPolicy } from "./policy.ts";
import { progress, promoting } from "./progress.ts";
import type { RevisionRef, RolloutState } from "./state.ts";
import type { Context } from "./context.ts";
import { dropCanary, explain, revertToPrevious, startRollout } from "./transitions.ts";
import type { Verdict } from "./verdict.ts";

/** What the reconciler observed this time. */
export interface Observations {
  /** The revision the spec asks for now (a hash of what shapes the pod) and its model version. */
  desired: RevisionRef;
  /** The canary revision has, ready, the replicas the actions of the *given* state ask for. */
  canaryReady: boolean;
  /**
   * The canary revision's pods failed in a way no retry fixes (its model cannot be delivered:
   * a digest mismatch, access denied, not found): a Progressing rollout rolls back at once with
   * this reason instead of waiting for the progress deadline.
   */
  canaryFailure?: { reason: string; message: string };
  /** Verdicts of the checks the previous call asked for with RunAnalysis, if it did. */
  verdicts?: readonly Verdict[];
  /** Answers of the hooks the previous call asked for with CallWebhooks, by type, if it did. */
  webhooks?: WebhookResults;
  /** Manual commands from annotations (see commandsFromAnnotations). */
  commands: readonly Command[];
  /**
   * Return to the previous revision now (a drift action on the stable revision). Acted on only
   * when Stable with a previous revision; otherwise a RevertIgnored Event says why.
   */
  revert?: { reason: string; message: string };
}

export interface StepResult {
  next: RolloutState;
  /** Level actions of `next` (traffic, sizes), then this call's edges (promote, rollback, …). */
  actions: Action[];
  events: RolloutEvent[];
  /** Call again after this long (0: now, after executing RunAnalysis / CallWebhooks), or undefined: only on change. */
  requeueAfterMs: number | undefined;
}

/**
 * Moves the rollout one decision forward. The same inputs always give the same result, and the
 * state is the only memory: a restarted operator feeding its persisted state back continues where
 * it was, without skipping or repeating a step. The reconciler executes `actions` in order, then
 * persists `next` (in status), then requeues. `next.reason` / `next.message` say why the rollout
 * is where it is; `events` record each decision.
 */
export function step(state: RolloutState, obs: Observations, policy: RolloutPolicy, now: Date): StepResult {
  const s = structuredClone(state);
  const ctx: Context = {
    now: now.getTime(), policy, ready: obs.canaryReady, actions: [], events: [], timers: [],
    ...(obs.canaryFailure === undefined ? {} : { canaryFailure: obs.canaryFailure }),
  };
  followSpec(s, ctx, obs.desired);
  applyCommands(s, ctx, obs.commands);
  if (obs.revert !== undefined) {
    const refusal = revertToPrevious(s, ctx, obs.revert.reason, obs.revert.message);
    if (refusal !== undefined) ctx.events.push({ type: "Warning", reason: "RevertIgnored", message: `Cannot roll back (${obs.revert.message}): ${refusal}` });
  }
  if (s.phase === "Progressing") progress(s, ctx, obs.verdicts, obs.webhooks);
  if (s.phase === "Promoting") promoting(s, ctx);
  if (s.phase === "Stable") retire(s, ctx);
  notifyPostRollout(s, ctx, state.hooks.notify, obs.webhooks);
  const next = Math.min(...ctx.timers.filter((t) => t >= ctx.now));
  return {
    next: s,
    actions: [...desiredActions(s, policy), ...ctx.actions],
    events: ctx.events,
    requeueAfterMs: Number.isFinite(next) ? next - ctx.now : undefined,
  };
}

/** Starts, supersedes or drops a rollout when the spec's revision changed. */
function followSpec(s: RolloutState, ctx: Context, desired: RevisionRef): void {
  if (s.phase === "Stable") {
    if (desired.revision !== s.stable.revision) startRollout(s, ctx, desired);
    return;
  }
  if (desired.revision === s.canary?.revision) return;
  dropCanary(s, ctx, desired.revision);
  if (desired.revision !== s.stable.revision) startRollout(s, ctx, desired);
}

/** Stable: retire the replaced revision once its delay is over. */
function retire(s: RolloutState, ctx: Context): void {
  explain(s, "Stable", `revision ${s.stable.revision} serves all traffic`);
  if (s.retiring === undefined) return;
  const at = Date.parse(s.retiring.at);
  if (ctx.now < at) {
    ctx.timers.push(at);
    return;
  }
  ctx.actions.push({ kind: "RetireRevision", revision: s.retiring.revision });
  ctx.events.push({ type: "Normal", reason: "RevisionRetired", message: `Retired revision ${s.retiring.revision}` });
  delete s.retiring;
}
