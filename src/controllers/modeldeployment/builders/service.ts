// The Service of a ModelDeployment, shared by all its revisions.
import type { V1Service } from "@kubernetes/client-node";
import { childNames, podSelector } from "../labels.ts";
import type { BuildContext } from "./context.ts";
import { childMetadata } from "./metadata.ts";
import { PORT_HTTP, PORT_METRICS, SERVICE_HTTP_PORT } from "./paths.ts";

/**
 * ClusterIP Service `<name>` over the pods of every revision, so traffic keeps flowing during a
 * roll (the Replicas router splits it by ready replicas). Only the agent's ports are exposed:
 * 80 → http and the metrics port → metrics; the model server's port never is.
 */
export function buildService(ctx: BuildContext): V1Service {
  const { md, settings } = ctx;
  const name = md.metadata.name ?? "";
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: childMetadata(md, childNames.service(name)),
    spec: {
      type: "ClusterIP",
      selector: podSelector(name),
      ports: [
        { name: PORT_HTTP, port: SERVICE_HTTP_PORT, targetPort: PORT_HTTP, protocol: "TCP" },
        { name: PORT_METRICS, port: settings.agentMetricsPort, targetPort: PORT_METRICS, protocol: "TCP" },
      ],
    },
  };
}
