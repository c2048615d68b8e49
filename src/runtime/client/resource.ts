/** Identifies a REST resource of the Kubernetes API (e.g. apps/v1 deployments). */
export interface ResourceRef {
  /** API group; "" for the core group. */
  group: string;
  version: string;
  /** Lower-case plural name used in URLs, e.g. "deployments". */
  plural: string;
  kind: string;
  namespaced: boolean;
}

export function apiVersionOf(ref: ResourceRef): string {
  return ref.group === "" ? ref.version : `${ref.group}/${ref.version}`;
}

/**
 * The URL path of a collection (no name) or one object, optionally a subresource.
 * A namespaced resource without a namespace addresses all namespaces (lists and watches).
 */
export function resourcePath(ref: ResourceRef, namespace?: string, name?: string, subresource?: string): string {
  const base = ref.group === "" ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`;
  const ns = ref.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  const object = name === undefined ? "" : `/${encodeURIComponent(name)}`;
  const sub = subresource === undefined ? "" : `/${subresource}`;
  return `${base}${ns}/${ref.plural}${object}${sub}`;
}

export const Resources = {
  namespaces: { group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false },
  configMaps: { group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true },
  secrets: { group: "", version: "v1", plural: "secrets", kind: "Secret", namespaced: true },
  services: { group: "", version: "v1", plural: "services", kind: "Service", namespaced: true },
  persistentVolumeClaims: { group: "", version: "v1", plural: "persistentvolumeclaims", kind: "PersistentVolumeClaim", namespaced: true },
  pods: { group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true },
  events: { group: "events.k8s.io", version: "v1", plural: "events", kind: "Event", namespaced: true },
  deployments: { group: "apps", version: "v1", plural: "deployments", kind: "Deployment", namespaced: true },
  replicaSets: { group: "apps", version: "v1", plural: "replicasets", kind: "ReplicaSet", namespaced: true },
  horizontalPodAutoscalers: {
    group: "autoscaling", version: "v2", plural: "horizontalpodautoscalers", kind: "HorizontalPodAutoscaler", namespaced: true,
  },
  podDisruptionBudgets: { group: "policy", version: "v1", plural: "poddisruptionbudgets", kind: "PodDisruptionBudget", namespaced: true },
  networkPolicies: { group: "networking.k8s.io", version: "v1", plural: "networkpolicies", kind: "NetworkPolicy", namespaced: true },
  endpointSlices: { group: "discovery.k8s.io", version: "v1", plural: "endpointslices", kind: "EndpointSlice", namespaced: true },
  jobs: { group: "batch", version: "v1", plural: "jobs", kind: "Job", namespaced: true },
  cronJobs: { group: "batch", version: "v1", plural: "cronjobs", kind: "CronJob", namespaced: true },
  leases: { group: "coordination.k8s.io", version: "v1", plural: "leases", kind: "Lease", namespaced: true },
} as const satisfies Record<string, ResourceRef>;
