// Whether a ModelDeployment's Service sends requests to the activator, and the slices that do it:
// only when it may scale to zero (minReplicas 0), while none of its pods is ready — at zero,
// during the cold start until the first pod is ready, and through a rollout that began at zero
// (the rollout sizes the revisions then, at least one pod each).
import type { V1EndpointSlice, V1Pod } from "@kubernetes/client-node";
import type { ModelDeployment } from "../../../api/index.ts";
import { buildActivatorEndpointSlices } from "../builders/activator-slice.ts";
import { LABEL_MODEL_DEPLOYMENT } from "../labels.ts";
import type { ActivatorEndpoint } from "./activator-endpoints.ts";

/** A pod that can answer: Ready, not terminating. */
export function isReadyPod(pod: V1Pod): boolean {
  return pod.metadata?.deletionTimestamp === undefined && (pod.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
}

/**
 * The activator slices `md`'s Service should have: none unless `md` may scale to zero and none
 * of its pods (of any revision) among `pods` is ready.
 */
export function activatorSlicesFor(md: ModelDeployment, pods: readonly V1Pod[], endpoints: readonly ActivatorEndpoint[]): V1EndpointSlice[] {
  if (md.spec.autoscaling?.minReplicas !== 0) return [];
  const name = md.metadata.name ?? "";
  const namespace = md.metadata.namespace ?? "";
  const ready = pods.some((p) => p.metadata?.namespace === namespace && p.metadata.labels?.[LABEL_MODEL_DEPLOYMENT] === name && isReadyPod(p));
  return ready ? [] : buildActivatorEndpointSlices(md, endpoints);
}
