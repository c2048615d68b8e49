// The PodDisruptionBudget of a ModelDeployment, over all its revisions.
import type { V1PodDisruptionBudget } from "@kubernetes/client-node";
import type { ModelDeployment } from "../../../api/index.ts";
import { childNames, podSelector } from "../labels.ts";
import type { BuildContext } from "./context.ts";
import { childMetadata } from "./metadata.ts";

/** The most replicas the spec allows at once: spec.replicas, else spec.autoscaling.maxReplicas. */
export function maxReplicas(md: ModelDeployment): number {
  return md.spec.replicas ?? md.spec.autoscaling?.maxReplicas ?? 0;
}

/**
 * policy/v1 PDB `<name>` allowing one voluntary disruption at a time over the pods of every
 * revision, whenever more than one replica can run (maxReplicas > 1, so an autoscaled 1–10
 * deployment is covered while it runs several). maxUnavailable 1, not minAvailable, because it
 * never blocks a node drain: a single replica can always be evicted. Unhealthy pods may always
 * be evicted (AlwaysAllow), so a crash-looping revision never blocks maintenance. Null otherwise.
 */
export function buildPodDisruptionBudget(ctx: BuildContext): V1PodDisruptionBudget | null {
  const { md } = ctx;
  if (maxReplicas(md) <= 1) return null;
  const name = md.metadata.name ?? "";
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: childMetadata(md, childNames.podDisruptionBudget(name)),
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: podSelector(name) },
      unhealthyPodEvictionPolicy: "AlwaysAllow",
    },
  };
}
