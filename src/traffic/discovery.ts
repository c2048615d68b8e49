// Whether the cluster serves the Gateway API the GatewayAPI router writes.
import { ApiError } from "../runtime/client/api-error.ts";
import type { KubeClient } from "../runtime/client/kube-client.ts";
import { HTTP_ROUTES } from "./resources.ts";

/** Stalled reason when type GatewayAPI is asked for on a cluster without the Gateway API CRDs. */
export const GATEWAY_API_NOT_INSTALLED = "GatewayAPINotInstalled";

export const GATEWAY_API_NOT_INSTALLED_MESSAGE =
  "spec.rollout.trafficRouter.type GatewayAPI needs the Gateway API (gateway.networking.k8s.io/v1 " +
  "HTTPRoute), which this cluster does not serve; install the Gateway API CRDs and a Gateway " +
  "implementation, or use type Replicas";

interface APIResourceList {
  resources?: { name?: string }[];
}

/**
 * True when the API server's discovery lists httproutes in gateway.networking.k8s.io/v1, false
 * when the group version is not served (404). Other failures are thrown as ApiError (transient:
 * retry). Contract for the reconciler: false is a Stalled condition GatewayAPINotInstalled, not
 * an error; installing CRDs changes no spec, so look again later (requeueAfter), not only on a
 * spec change. One GET per call: call it only for ModelDeployments that use GatewayAPI.
 */
export async function gatewayApiAvailable(client: KubeClient, signal?: AbortSignal): Promise<boolean> {
  const path = `/apis/${HTTP_ROUTES.group}/${HTTP_ROUTES.version}`;
  try {
    const list = await client.transport.request<APIResourceList>({ verb: "GET", path, signal });
    return (list.resources ?? []).some((r) => r.name === HTTP_ROUTES.plural);
  } catch (error) {
    if (error instanceof ApiError && error.isNotFound) return false;
    throw error;
  }
}
