import type { V1Toleration } from "@kubernetes/client-node";

/**
 * Who the real node is to the cluster. Only pods that tolerate its taint land on it, so
 * ordinary test pods keep going to kwok's fake node (and never try to pull an image).
 */
export const REAL_NODE_NAME = "mdo-real-node";
/** The kubelet's user in the static token file; the Node authorizer keys on it. */
export const REAL_NODE_USER = `system:node:${REAL_NODE_NAME}`;
export const REAL_NODE_LABEL = { key: "mdo.dev/node", value: "real" } as const;
/** nodeSelector that picks the real node. */
export const REAL_NODE_SELECTOR: Readonly<Record<string, string>> = { [REAL_NODE_LABEL.key]: REAL_NODE_LABEL.value };
/** Registered by the kubelet itself (--register-with-taints), so it exists from the first moment. */
export const REAL_NODE_TAINT = { key: "mdo.dev/real-node", value: "true", effect: "NoSchedule" } as const;
/** What a pod needs to be allowed onto the real node (it still needs REAL_NODE_SELECTOR to be sent there). */
export const REAL_NODE_TOLERATION: Readonly<V1Toleration> = {
  key: REAL_NODE_TAINT.key,
  operator: "Equal",
  value: REAL_NODE_TAINT.value,
  effect: REAL_NODE_TAINT.effect,
};
