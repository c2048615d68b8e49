// The rollout's Prometheus metrics, from what one reconcile decided.
import type { ModelDeploymentStatus } from "../../../api/index.ts";
import { ROLLOUT_PHASES } from "../../../api/rollout-status.ts";
import { summarise } from "../../../rollout/verdict.ts";
import type { OperatorMetrics } from "../../../runtime/metrics.ts";
import type { RolloutDecision } from "./decide-rollout.ts";

/**
 * Sets the weight and phase gauges of `namespace/name`, counts the analysis interval this
 * decision ran and the rollouts it finished (history entries beyond `previous`'s).
 */
export function recordRolloutMetrics(metrics: OperatorMetrics, namespace: string, name: string, decision: RolloutDecision, previous: ModelDeploymentStatus | undefined): void {
  const { state } = decision;
  const inRollout = state.phase === "Progressing" || state.phase === "Promoting";
  metrics.canaryWeight.set({ namespace, name }, inRollout ? state.weight : 0);
  for (const phase of ROLLOUT_PHASES) metrics.rolloutPhase.set({ namespace, name, phase }, phase === state.phase ? 1 : 0);
  if (decision.verdicts !== undefined) metrics.analysisIntervals.inc({ namespace, name, result: summarise(decision.verdicts).status });
  const before = previous?.history ?? [];
  const seen = new Set(before.map((h) => `${h.revision}/${h.outcome}/${h.time}`));
  for (const entry of state.history) {
    if (!seen.has(`${entry.revision}/${entry.outcome}/${entry.time}`)) metrics.rollouts.inc({ namespace, name, outcome: entry.outcome });
  }
}

/** Drops the gauges of a ModelDeployment that no longer exists. */
export function forgetRolloutMetrics(metrics: OperatorMetrics, namespace: string, name: string): void {
  metrics.canaryWeight.remove({ namespace, name });
  for (const phase of ROLLOUT_PHASES) metrics.rolloutPhase.remove({ namespace, name, phase });
}
