// What the BatchPrediction controller's cache keeps of a ModelDeployment: what a run that
// references it needs (its stable revision, protocol and drift settings) and its identity; the
// rest of its spec and status (analysis, drift windows, history) stays out of this second cache.
// Pure.
import type { KubeObject } from "../../runtime/client/kube-client.ts";
import type { ModelDeploymentObject } from "../modeldeployment/resource.ts";

export function modelDeploymentForCache(object: KubeObject): KubeObject {
  const md = object as ModelDeploymentObject;
  const { name, namespace, uid, resourceVersion, generation } = md.metadata ?? {};
  const drift = md.spec?.monitoring?.drift;
  const stable = md.status?.stable;
  return {
    apiVersion: md.apiVersion, kind: md.kind,
    metadata: { name, namespace, uid, resourceVersion, generation },
    spec: { ...(md.spec?.protocol !== undefined && { protocol: md.spec.protocol }), ...(drift !== undefined && { monitoring: { drift } }) },
    ...(stable !== undefined && { status: { stable } }),
  } as KubeObject;
}

/** The name a BatchPrediction (as stored, not yet validated) references in spec.modelDeploymentRef. */
export function referencedModelDeployment(object: KubeObject): string | undefined {
  const name = (object as { spec?: { modelDeploymentRef?: { name?: unknown } } }).spec?.modelDeploymentRef?.name;
  return typeof name === "string" ? name : undefined;
}
