// What the operator's cache keeps of a worker pod: its metadata (labels: the Job, the completion
// index) and status (the worker's termination message); no spec. Pure.
import type { V1Pod } from "@kubernetes/client-node";
import type { KubeObject } from "../../runtime/client/kube-client.ts";

export function workerPodForCache(object: KubeObject): KubeObject {
  const { spec: _spec, ...kept } = object as V1Pod & KubeObject;
  return kept;
}
