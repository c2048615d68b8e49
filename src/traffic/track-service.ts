// The per-track Services of the GatewayAPI router: one Service over the pods of one revision.
import type { V1Service } from "@kubernetes/client-node";
import type { ModelDeployment } from "../api/index.ts";
import { childMetadata } from "../controllers/modeldeployment/builders/metadata.ts";
import { PORT_HTTP, PORT_METRICS, SERVICE_HTTP_PORT } from "../controllers/modeldeployment/builders/paths.ts";
import { LABEL_REVISION, podSelector } from "../controllers/modeldeployment/labels.ts";
import type { OperatorSettings } from "../controllers/modeldeployment/settings.ts";
import { LABEL_TRACK, trackServiceName, type Track } from "./names.ts";

/**
 * ClusterIP Service `<name>-<track>` selecting the pods of `revision` only (the shared pod
 * selector plus mdo.dev/revision), with the same ports as the shared Service (builders/service.ts):
 * 80 → http and the metrics port → metrics. An HTTPRoute backendRef names it, so the Gateway
 * sends the track's share of requests to that revision whatever its replica count.
 */
export function buildTrackService(md: ModelDeployment, settings: OperatorSettings, track: Track, revision: string): V1Service {
  const name = md.metadata.name ?? "";
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: childMetadata(md, trackServiceName(name, track), { [LABEL_TRACK]: track }),
    spec: {
      type: "ClusterIP",
      selector: { ...podSelector(name), [LABEL_REVISION]: revision },
      ports: [
        { name: PORT_HTTP, port: SERVICE_HTTP_PORT, targetPort: PORT_HTTP, protocol: "TCP" },
        { name: PORT_METRICS, port: settings.agentMetricsPort, targetPort: PORT_METRICS, protocol: "TCP" },
      ],
    },
  };
}
