// The replica budget of a rollout: how many replicas the stable and the new revision share.
import type { ModelDeployment } from "../../../api/index.ts";

/**
 * spec.replicas when set. With autoscaling the budget is fixed when the rollout starts — the
 * stable revision's replica count then (as its HPA left it), at least minReplicas — and kept in
 * status.rollout.replicaBudget until the rollout ends, so scaling the stable down for the canary
 * never shrinks the budget itself. Autoscaling resumes on the promoted revision (ADR 0005).
 */
export function replicaBudget(md: ModelDeployment, persisted: number | undefined, stableReplicas: number | undefined): { budget: number } {
  if (md.spec.replicas !== undefined) return { budget: Math.max(1, md.spec.replicas) };
  if (persisted !== undefined) return { budget: persisted };
  const min = md.spec.autoscaling?.minReplicas ?? 1;
  return { budget: Math.max(1, min, stableReplicas ?? 0) };
}
