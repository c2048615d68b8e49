// The EndpointSlices that send a scaled-to-zero ModelDeployment's Service traffic to the MDO
// activator. The Service keeps its selector: while no pod is ready, the slices the endpoint
// controller keeps for it are empty and kube-proxy routes only to these; once a pod is ready,
// the operator deletes them (the activator forwards whatever still reaches it straight to the pod).
import type { V1EndpointSlice } from "@kubernetes/client-node";
import type { ModelDeployment } from "../../../api/index.ts";
import { childNames } from "../labels.ts";
import type { ActivatorEndpoint } from "../scale-to-zero/activator-endpoints.ts";
import { childMetadata } from "./metadata.ts";
import { PORT_HTTP } from "./paths.ts";

/** kube-proxy joins a slice to the Service this label names. */
export const LABEL_SERVICE_NAME = "kubernetes.io/service-name";
/** Tells the endpoint-slice controllers that these slices are not theirs to manage. */
export const LABEL_SLICE_MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
export const SLICE_MANAGER = "operator.mdo.dev";

/**
 * One slice per activator port (replicas usually share one), named `<service>-activator-<port>`,
 * each activator address ready, under the Service's port name "http". Empty when there is no
 * activator endpoint: then nothing can hold requests and the operator does not scale to zero.
 */
export function buildActivatorEndpointSlices(md: ModelDeployment, endpoints: readonly ActivatorEndpoint[]): V1EndpointSlice[] {
  const service = childNames.service(md.metadata.name ?? "");
  const byPort = new Map<number, string[]>();
  for (const { ip, port } of endpoints) byPort.set(port, [...(byPort.get(port) ?? []), ip]);
  return [...byPort.entries()].map(([port, ips]) => ({
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: childMetadata(md, `${service}-activator-${port}`, { [LABEL_SERVICE_NAME]: service, [LABEL_SLICE_MANAGED_BY]: SLICE_MANAGER }),
    addressType: "IPv4",
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
    ports: [{ name: PORT_HTTP, port, protocol: "TCP" }],
  }));
}
