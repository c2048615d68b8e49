// What the machine asks the reconciler to do, as data, and the traffic and scale each state wants.
import type { WebhookCall } from "./hook-state.ts";
import type { RolloutPolicy } from "./policy.ts";
import type { RolloutState } from "./state.ts";

/**
 * How big a revision should be: Full (its whole replica count), ForWeight (the replicas its share
 * of the current SetWeights needs; the Replicas router computes them with splitReplicas), Shadow
 * (enough for the mirrored share of the traffic: the budget times the sample rate, at least 1), Zero.
 */
export type RevisionSize = "Full" | "ForWeight" | "Shadow" | "Zero";

/**
 * Actions. SetWeights and ScaleRevision are level-triggered: every call returns the traffic and
 * sizes the current state wants, so applying them again is harmless. The others are edges,
 * returned once, on the transition: the reconciler executes all actions, in order, before it
 * persists `next`, so a crash in between repeats them (each must be idempotent) and never loses
 * one. Weights are percents and add up to 100.
 */
export type Action =
  | { kind: "SetWeights"; stableRevision: string; stable: number; canaryRevision?: string; canary: number }
  | { kind: "ScaleRevision"; revision: string; size: RevisionSize }
  | { kind: "RunAnalysis"; revision: string; shadowing: boolean }
  /** Level: the stable revision's agents mirror requests to the candidate (the shadow phase); absent, they mirror nothing. */
  | { kind: "Mirror"; stableRevision: string; candidateRevision: string }
  | { kind: "CallWebhooks"; call: WebhookCall }
  | { kind: "Promote"; revision: string }
  | { kind: "Rollback"; revision: string; reason: string; message: string }
  | { kind: "RetireRevision"; revision: string };

/** An Event to record on the ModelDeployment; reason is CamelCase. */
export interface RolloutEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

/**
 * The traffic and sizes `state` wants, in the order to apply them. When the stable revision must
 * take all traffic (Stable, RolledBack), SetWeights comes first, before any scale-down.
 * Rolling sets no weights: both revisions sit behind the one Service and traffic follows ready pods.
 * Until the PreRollout hooks passed, the new revision has no traffic and no replicas (with the
 * Replicas router a ready pod would get traffic).
 */
export function desiredActions(state: RolloutState, policy: RolloutPolicy): Action[] {
  const stable = state.stable.revision;
  const canary = state.canary?.revision;
  if (state.phase === "Stable" || canary === undefined) {
    const previous = state.previous?.revision;
    const keepAtZero = previous !== undefined && previous !== state.retiring?.revision && previous !== stable;
    return [
      { kind: "SetWeights", stableRevision: stable, stable: 100, canary: 0 },
      { kind: "ScaleRevision", revision: stable, size: "Full" },
      ...(keepAtZero ? [{ kind: "ScaleRevision", revision: previous, size: "Zero" } as const] : []),
    ];
  }
  if (state.phase === "RolledBack" || state.hooks.preRolloutPending === true) {
    return [
      { kind: "SetWeights", stableRevision: stable, stable: 100, canaryRevision: canary, canary: 0 },
      { kind: "ScaleRevision", revision: stable, size: "Full" },
      { kind: "ScaleRevision", revision: canary, size: "Zero" },
    ];
  }
  if (policy.strategy === "Rolling") {
    return [
      { kind: "ScaleRevision", revision: canary, size: "Full" },
      { kind: "ScaleRevision", revision: stable, size: "Full" },
    ];
  }
  if (state.shadowing === true && policy.strategy === "Canary") {
    return [
      { kind: "SetWeights", stableRevision: stable, stable: 100, canaryRevision: canary, canary: 0 },
      { kind: "ScaleRevision", revision: stable, size: "Full" },
      { kind: "ScaleRevision", revision: canary, size: "Shadow" },
      { kind: "Mirror", stableRevision: stable, candidateRevision: canary },
    ];
  }
  const weights: Action = { kind: "SetWeights", stableRevision: stable, stable: 100 - state.weight, canaryRevision: canary, canary: state.weight };
  if (policy.strategy === "BlueGreen") {
    return [
      weights,
      { kind: "ScaleRevision", revision: stable, size: "Full" },
      { kind: "ScaleRevision", revision: canary, size: "Full" },
    ];
  }
  return [
    weights,
    { kind: "ScaleRevision", revision: stable, size: "ForWeight" },
    { kind: "ScaleRevision", revision: canary, size: state.phase === "Promoting" ? "Full" : "ForWeight" },
  ];
}
