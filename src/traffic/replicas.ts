// The Replicas router: one Service over both revisions, traffic split by ready replicas.
import { achievedWeight, splitReplicas } from "../rollout/replica-weights.ts";
import type { KubeObject } from "../runtime/client/kube-client.ts";
import { Resources, type ResourceRef } from "../runtime/client/resource.ts";
import { buildTrackService } from "./track-service.ts";
import type { TrafficInput, TrafficPlan, TrafficRouter } from "./router.ts";
import { canaryPercent } from "./weights.ts";

/**
 * Works on any cluster: while a canary has weight, the shared Service (builders/service.ts)
 * selects the pods of every revision, so each ready pod takes about the same share of requests.
 * The weight is therefore approximated by whole replicas (splitReplicas: the budget is split,
 * never exceeded) and the approximation is reported as `achievableWeight`. While a new revision
 * exists it also gets the track Service `<name>-canary` over its pods only: the way to reach a
 * blue-green preview (which the shared Service does not select) for tests and analysis.
 */
export class ReplicasRouter implements TrafficRouter {
  readonly type = "Replicas";
  readonly kinds: readonly ResourceRef[] = [Resources.services];

  plan(input: TrafficInput): TrafficPlan {
    const split = splitReplicas(canaryPercent(input), input.budget);
    const canary = input.canaryRevision;
    return {
      replicas: { stable: split.stableReplicas, canary: split.canaryReplicas },
      objects: canary === undefined ? [] : [buildTrackService(input.md, input.settings, "canary", canary) as KubeObject],
      achievableWeight: split.achievedWeight,
    };
  }

  /** The share of ready pods that are canary pods: what kube-proxy really spreads requests over. */
  measuredWeight(ready: { stable: number; canary: number }): number {
    return achievedWeight(ready.stable, ready.canary);
  }
}
