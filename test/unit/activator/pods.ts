// Pod objects for the activator's tests, shaped as the API server sends them (a model pod of a
// ModelDeployment, with the spec and status fields the activator's cache drops).
import type { V1PodSpec, V1PodStatus } from "@kubernetes/client-node";
import type { KubeObject } from "../../../src/runtime/client/kube-client.ts";

/** A pod as JSON from the API server (timestamps are strings; V1Pod's are Dates). */
export type Pod = KubeObject & { spec: V1PodSpec; status: V1PodStatus };

export interface PodShape {
  readonly name: string;
  readonly namespace?: string;
  /** The ModelDeployment label; null for none. */
  readonly owner?: string | null;
  readonly ready?: boolean;
  readonly ip?: string;
  readonly deleting?: boolean;
}

export function modelPod(shape: PodShape): Pod {
  const owner = shape.owner === undefined ? "iris" : shape.owner;
  return {
    apiVersion: "v1", kind: "Pod",
    metadata: {
      name: shape.name, namespace: shape.namespace ?? "ml", resourceVersion: "7", uid: `uid-${shape.name}`,
      labels: {
        "app.kubernetes.io/managed-by": "mdo", "app.kubernetes.io/component": "model-server", "mdo.dev/revision": "abc123", team: "vision",
        ...(owner === null ? {} : { "mdo.dev/model-deployment": owner }),
      },
      annotations: { "kubectl.kubernetes.io/restartedAt": "2024-01-01T00:00:00Z" },
      ...(shape.deleting === true ? { deletionTimestamp: "2024-01-01T00:00:00Z" } : {}),
    },
    spec: { nodeName: "node-1", containers: [{ name: "model", image: "mlserver:1", env: [{ name: "A", value: "x".repeat(1000) }] }, { name: "agent", image: "mdo:1" }] },
    status: {
      phase: "Running",
      ...(shape.ip === undefined ? {} : { podIP: shape.ip, podIPs: [{ ip: shape.ip }] }),
      conditions: [
        { type: "PodScheduled", status: "True" },
        { type: "ContainersReady", status: shape.ready === true ? "True" : "False" },
        { type: "Ready", status: shape.ready === true ? "True" : "False", reason: shape.ready === true ? undefined : "ContainersNotReady" },
      ],
      containerStatuses: [{ name: "model", ready: shape.ready === true, restartCount: 0, image: "mlserver:1", imageID: "x", started: true }],
    },
  };
}
