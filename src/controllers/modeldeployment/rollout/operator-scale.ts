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
}

/**
 * `decision` with the stable revision's replicas from the autoscaler when `model` scales on
 * concurrency or rps and no rollout runs: its recommendation, else (no load read yet, e.g. after
 * a restart) the count the Deployment has, else minReplicas. Tracks or untracks the revision.
 */
export function withOperatorScaling(
  key: string, model: ModelDeployment, decision: RolloutDecision, deployments: readonly V1Deployment[], deps: Pick<ReconcilerDeps, "autoscaler">,
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
  const desired = recommendation?.desired ?? live ?? policy.minReplicas;
  const replicas = new Map(decision.plan.replicas).set(revision, desired);
  return {
    decision: { ...decision, plan: { ...decision.plan, replicas } },
    scaling: { policy, desired, ...(recommendation === undefined ? {} : { recommendation }) },
  };
}
