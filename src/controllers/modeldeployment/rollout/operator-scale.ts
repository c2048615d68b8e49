// Revisions that scale on concurrency or rps are sized by the operator's autoscaler
// (src/autoscaler/), the way an HPA sizes cpu ones: only while the stable revision serves alone.
// Mid-rollout the rollout's plan sizes every revision and the autoscaler lets go (ADR 0005).
import type { V1Deployment } from "@kubernetes/client-node";
import type { ModelDeployment } from "../../../api/index.ts";
import { scalingPolicyOf, type ScalingPolicy } from "../../../autoscaler/policy.ts";
import type { Recommendation } from "../../../autoscaler/recommend.ts";
import type { ReconcilerDeps } from "../deps.ts";
import { childNames } from "../labels.ts";
import type { RolloutDecision } from "./decide-rollout.ts";

/** What the autoscaler decided for this reconcile (status.autoscaling). */
export interface OperatorScaling {
  readonly policy: ScalingPolicy;
  /** Replicas the serving revision gets. */
  readonly desired: number;
  /** The autoscaler's latest recommendation; undefined before it has load to go on (the count is kept). */
  readonly recommendation?: Recommendation;
  /** Why `desired` is not the recommendation's count (no activator to scale to zero with). */
  readonly note?: string;
  /** Set by the reconcile: the Service sends requests to the activator (no ready pod). */
  readonly routedToActivator?: boolean;
}

/** Why a revision that may scale to zero keeps a pod. */
export const NO_ACTIVATOR_NOTE =
  "kept at 1: no MDO activator is ready to hold requests at zero (operator flag --activator-service; chart value activator.enabled)";

/**
 * `decision` with the stable revision's replicas from the autoscaler when `model` scales on
 * concurrency or rps and no rollout runs: its recommendation, else (no load read yet, e.g. after
 * a restart) the count the Deployment has, else minReplicas but at least 1 (a new revision shows
 * that its model loads before it may idle to zero). Zero only when an activator is ready to hold
 * the requests that come then. Tracks or untracks the revision.
 */
export function withOperatorScaling(
  key: string, model: ModelDeployment, decision: RolloutDecision, deployments: readonly V1Deployment[], deps: Pick<ReconcilerDeps, "autoscaler" | "activatorEndpoints">,
): { decision: RolloutDecision; scaling?: OperatorScaling } {
  const policy = scalingPolicyOf(model.spec.autoscaling);
  const { state } = decision;
  if (policy === undefined || state.phase !== "Stable" || deps.autoscaler === undefined) {
    deps.autoscaler?.untrack(key);
    return { decision };
  }
  const revision = state.stable.revision;
  const name = model.metadata.name ?? "";
  deps.autoscaler.track(key, { namespace: model.metadata.namespace ?? "", name, revision, policy });
  const recommendation = deps.autoscaler.recommendation(key);
  const live = deployments.find((d) => d.metadata?.name === childNames.deployment(name, revision))?.spec?.replicas;
  const wanted = recommendation?.desired ?? live ?? Math.max(1, policy.minReplicas);
  const noActivator = wanted === 0 && (deps.activatorEndpoints?.() ?? []).length === 0;
  const desired = noActivator ? 1 : wanted;
  const replicas = new Map(decision.plan.replicas).set(revision, desired);
  return {
    decision: { ...decision, plan: { ...decision.plan, replicas } },
    scaling: { policy, desired, ...(recommendation === undefined ? {} : { recommendation }), ...(noActivator ? { note: NO_ACTIVATOR_NOTE } : {}) },
  };
}
