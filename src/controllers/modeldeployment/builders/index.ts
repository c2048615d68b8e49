// Pure desired-state builders: a parsed ModelDeployment in, the child objects to apply out.
import type {
  V1ConfigMap, V1Deployment, V1PodDisruptionBudget, V1Service, V2HorizontalPodAutoscaler,
} from "@kubernetes/client-node";
import { buildConfigMap } from "./configmap.ts";
import type { BuildContext } from "./context.ts";
import { buildDeployment } from "./deployment.ts";
import { buildHorizontalPodAutoscaler } from "./hpa.ts";
import { buildNetworkPolicy, type NetworkPolicy } from "./networkpolicy.ts";
import { buildPodDisruptionBudget } from "./pdb.ts";
import { buildService } from "./service.ts";

export { BuildError, type BuildErrorReason } from "./errors.ts";
export type { BuildContext } from "./context.ts";
export type { NetworkPolicy, NetworkPolicyIngressRule } from "./networkpolicy.ts";
export { computeRevision } from "./revision.ts";
export { resolveModelVersion, toLabelValue } from "./model-version.ts";
export { ownerReference } from "./owner.ts";
export { buildAgentConfig } from "./agent-config.ts";
export { buildShadowSettings, NO_SHADOW, type Mirror } from "./shadow-settings.ts";
export { buildPodTemplate } from "./pod.ts";
export {
  buildConfigMap, buildDeployment, buildHorizontalPodAutoscaler, buildNetworkPolicy, buildPodDisruptionBudget, buildService,
};

/**
 * The complete desired set of children for the context's revision. An absent optional child
 * must not exist: the controller deletes one it owns. Other revisions' Deployments and HPAs are
 * not here; the rollout decides when they go.
 */
export interface Children {
  readonly configMap: V1ConfigMap;
  readonly service: V1Service;
  readonly deployment: V1Deployment;
  readonly hpa?: V2HorizontalPodAutoscaler;
  readonly pdb?: V1PodDisruptionBudget;
  readonly networkPolicy?: NetworkPolicy;
}

/**
 * Builds every child. Pure and deterministic: the same context gives deep-equal objects, plain
 * JSON (no undefined, no shared references), with only the fields MDO owns under server-side
 * apply and never a status. Throws BuildError for a spec it cannot build.
 */
export function buildChildren(ctx: BuildContext): Children {
  const hpa = buildHorizontalPodAutoscaler(ctx);
  const pdb = buildPodDisruptionBudget(ctx);
  const networkPolicy = buildNetworkPolicy(ctx);
  return {
    configMap: buildConfigMap(ctx),
    service: buildService(ctx),
    deployment: buildDeployment(ctx),
    ...(hpa !== null && { hpa }),
    ...(pdb !== null && { pdb }),
    ...(networkPolicy !== null && { networkPolicy }),
  };
}
