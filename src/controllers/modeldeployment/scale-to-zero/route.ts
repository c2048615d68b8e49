// Whether a ModelDeployment's Service sends requests to the activator, and the slices that do it:
// only for a revision that may scale to zero (minReplicas 0), sized by the operator (phase
// Stable: never mid-rollout), while none of its pods is ready — at zero, and during the cold
// start until the first pod is ready.
import type { V1EndpointSlice, V1Pod } from "@kubernetes/client-node";
import type { ModelDeployment } from "../../../api/index.ts";
import { buildActivatorEndpointSlices } from "../builders/activator-slice.ts";
import { LABEL_MODEL_DEPLOYMENT, LABEL_REVISION } from "../labels.ts";
import type { ActivatorEndpoint } from "./activator-endpoints.ts";

/** A pod that can answer: Ready, not terminating. */
export function isReadyPod(pod: V1Pod): boolean {
  return pod.metadata?.deletionTimestamp === undefined && (pod.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
}

/**
 * The activator slices `md`'s Service should have: none unless `servingRevision` (the revision
 * the operator sizes) may scale to zero and has no ready pod among `pods`.
 */
export function activatorSlicesFor(
  md: ModelDeployment, servingRevision: string | undefined, pods: readonly V1Pod[], endpoints: readonly ActivatorEndpoint[],
): V1EndpointSlice[] {
  if (servingRevision === undefined || md.spec.autoscaling?.minReplicas !== 0) return [];
  const name = md.metadata.name ?? "";
  const namespace = md.metadata.namespace ?? "";
  const ready = pods.some((p) =>
    p.metadata?.namespace === namespace && p.metadata.labels?.[LABEL_MODEL_DEPLOYMENT] === name &&
    p.metadata.labels[LABEL_REVISION] === servingRevision && isReadyPod(p));
  return ready ? [] : buildActivatorEndpointSlices(md, endpoints);
}
