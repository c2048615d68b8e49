// What the operator's pod cache keeps of a pod. At 1000 ModelDeployments the pods' specs
// (containers with env, args, probes, volumes, security contexts) were the largest part of the
// cache and nothing reads them: diagnosis and rollout read the status, the labels and three facts
// of the containers' specs. Keeping only those is controller-runtime's cache transform.
import type { V1Container, V1Pod } from "@kubernetes/client-node";
import type { KubeObject } from "../../runtime/client/kube-client.ts";

/** What diagnosis reads of a container's spec: its name, restart policy (native sidecars) and memory limit. */
function containerFacts(container: V1Container): V1Container {
  const memoryLimit = container.resources?.limits?.["memory"];
  return {
    name: container.name,
    ...(container.restartPolicy === undefined ? {} : { restartPolicy: container.restartPolicy }),
    ...(memoryLimit === undefined ? {} : { resources: { limits: { memory: memoryLimit } } }),
  };
}

/**
 * `pod` as the cache keeps it: metadata and status whole, of the spec only the node and each
 * container's name, restart policy and memory limit. Pure; readers of the cache must not need more
 * (status/diagnose.ts, status/container-failures.ts, rollout/undeliverable.ts, the analyzer's labels).
 */
export function podForCache(object: KubeObject): KubeObject {
  const pod = object as V1Pod & KubeObject;
  const spec = pod.spec;
  if (spec === undefined) return object;
  const kept: V1Pod & KubeObject = {
    ...pod,
    spec: {
      ...(spec.nodeName === undefined ? {} : { nodeName: spec.nodeName }),
      containers: spec.containers.map(containerFacts),
      ...(spec.initContainers === undefined ? {} : { initContainers: spec.initContainers.map(containerFacts) }),
    },
  };
  return kept;
}
