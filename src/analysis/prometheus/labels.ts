// The labels the prometheus provider selects agent series by. Two kinds:
//   - set by the agent itself on every series (src/agent/metrics.ts): model (the
//     ModelDeployment's name), version, revision;
//   - target labels the user's scrape config must produce from Kubernetes service discovery:
//     namespace (from __meta_kubernetes_namespace) and, for per-pod queries, pod (from
//     __meta_kubernetes_pod_name). docs/analysis.md has a kubernetes_sd_configs example.

/** Labels the agent exports on every series. */
export const AGENT_LABELS = { model: "model", version: "version", revision: "revision" } as const;

/** Target labels the scrape config must attach to every agent target. */
export const TARGET_LABELS = { namespace: "namespace", pod: "pod" } as const;
