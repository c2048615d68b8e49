// REST resources of the Gateway API that the GatewayAPI router writes.
import type { ResourceRef } from "../runtime/client/resource.ts";

export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";
export const GATEWAY_API_VERSION = "v1";

/** gateway.networking.k8s.io/v1 httproutes (namespaced). */
export const HTTP_ROUTES: ResourceRef = {
  group: GATEWAY_API_GROUP,
  version: GATEWAY_API_VERSION,
  plural: "httproutes",
  kind: "HTTPRoute",
  namespaced: true,
};
