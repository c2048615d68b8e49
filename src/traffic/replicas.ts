// The Replicas router: one Service over both revisions, traffic split by ready replicas.
import { achievedWeight, splitReplicas } from "../rollout/replica-weights.ts";
import type { ResourceRef } from "../runtime/client/resource.ts";
import type { TrafficInput, TrafficPlan, TrafficRouter } from "./router.ts";
import { canaryPercent } from "./weights.ts";

/**
 * Works on any cluster: the shared Service (builders/service.ts) selects the pods of every
 * revision, so each ready pod takes about the same share of requests. The weight is therefore
 * approximated by whole replicas (splitReplicas: the budget is split, never exceeded) and the
 * approximation is reported as `achievableWeight`. It creates no objects of its own.
 */
export class ReplicasRouter implements TrafficRouter {
  readonly type = "Replicas";
  readonly kinds: readonly ResourceRef[] = [];

  plan(input: TrafficInput): TrafficPlan {
    const split = splitReplicas(canaryPercent(input), input.budget);
    return {
      replicas: { stable: split.stableReplicas, canary: split.canaryReplicas },
      objects: [],
      achievableWeight: split.achievedWeight,
    };
  }

  /** The share of ready pods that are canary pods: what kube-proxy really spreads requests over. */
  measuredWeight(ready: { stable: number; canary: number }): number {
    return achievedWeight(ready.stable, ready.canary);
  }
}
