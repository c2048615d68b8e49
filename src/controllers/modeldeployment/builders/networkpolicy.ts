// The NetworkPolicy that isolates a ModelDeployment's pods.
import type {
  V1NetworkPolicy, V1NetworkPolicyIngressRule, V1NetworkPolicyPeer, V1NetworkPolicySpec,
} from "@kubernetes/client-node";
import { childNames, LABEL_ACTIVATOR, podSelector } from "../labels.ts";
import type { BuildContext } from "./context.ts";
import { childMetadata } from "./metadata.ts";
import { PORT_HTTP, PORT_METRICS } from "./paths.ts";

/**
 * V1NetworkPolicy as the API reads it. client-node's model calls an ingress rule's `from` field
 * `_from` (its generator avoids the keyword) and renames it only through its own serializer;
 * our objects go to the API server as they are, so they carry `from`.
 */
export type NetworkPolicyIngressRule = Omit<V1NetworkPolicyIngressRule, "_from"> & { from?: V1NetworkPolicyPeer[] };
export type NetworkPolicy = Omit<V1NetworkPolicy, "spec"> & {
  spec: Omit<V1NetworkPolicySpec, "ingress"> & { ingress?: NetworkPolicyIngressRule[] };
};

/** The label the API server puts on every namespace, holding its name. */
const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/**
 * networking.k8s.io/v1 NetworkPolicy `<name>` when spec.networkPolicy.enabled; null otherwise.
 * Ingress only (the fetcher must reach object stores, the agent its spec.serving.payloadLogging
 * sink):
 * - the agent's http port from pods in the same namespace and in allowedNamespaces, and, for a
 *   ModelDeployment that scales to zero, from the MDO activator's pods (label mdo.dev/activator,
 *   in any namespace: the chart installs it in its own);
 * - the agent's metrics port from pods in any namespace, because the operator (agent-direct
 *   canary metrics) and Prometheus run in namespaces the operator settings do not name yet;
 *   metrics carry counts, latencies and binned feature histograms, never payloads;
 * - nothing else: the model server's port is unreachable from outside the pod.
 * Traffic entering through a Gateway comes from the gateway's namespace, which must be listed
 * in allowedNamespaces. Kubelet probes come from the node and are not subject to the policy.
 */
export function buildNetworkPolicy(ctx: BuildContext): NetworkPolicy | null {
  const { md } = ctx;
  const spec = md.spec.networkPolicy;
  if (spec?.enabled !== true) return null;
  const name = md.metadata.name ?? "";
  const callers: V1NetworkPolicyPeer[] = [{ podSelector: {} }];
  if (spec.allowedNamespaces !== undefined) {
    callers.push({
      namespaceSelector: {
        matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: "In", values: [...spec.allowedNamespaces] }],
      },
    });
  }
  if (md.spec.autoscaling?.minReplicas === 0) callers.push({ namespaceSelector: {}, podSelector: { matchLabels: { [LABEL_ACTIVATOR]: "true" } } });
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: childMetadata(md, childNames.networkPolicy(name)),
    spec: {
      podSelector: { matchLabels: podSelector(name) },
      policyTypes: ["Ingress"],
      ingress: [
        { from: callers, ports: [{ protocol: "TCP", port: PORT_HTTP }] },
        { from: [{ namespaceSelector: {} }], ports: [{ protocol: "TCP", port: PORT_METRICS }] },
      ],
    },
  };
}
