// The HTTPRoute of the GatewayAPI router: exact weights between the two track Services.
import type { V1ObjectMeta } from "@kubernetes/client-node";
import type { ModelDeployment } from "../api/index.ts";
import { childMetadata } from "../controllers/modeldeployment/builders/metadata.ts";
import { SERVICE_HTTP_PORT } from "../controllers/modeldeployment/builders/paths.ts";
import { httpRouteName, trackServiceName } from "./names.ts";
import { GATEWAY_API_GROUP, HTTP_ROUTES } from "./resources.ts";

/** The parts of gateway.networking.k8s.io/v1 HTTPRoute that MDO writes. */
export interface HTTPRouteParentRef {
  group: string;
  kind: string;
  name: string;
  namespace?: string;
  sectionName?: string;
}

export interface HTTPBackendRef {
  group: string;
  kind: string;
  name: string;
  port: number;
  weight: number;
}

export interface HTTPRouteRule {
  matches: { path: { type: "PathPrefix"; value: string } }[];
  backendRefs: HTTPBackendRef[];
}

export interface HTTPRoute {
  apiVersion: string;
  kind: "HTTPRoute";
  metadata: V1ObjectMeta;
  spec: { parentRefs: HTTPRouteParentRef[]; hostnames?: string[]; rules: HTTPRouteRule[] };
}

/** Backend weights of the route: the stable's, and the canary's when a canary runs. */
export interface RouteWeights {
  stable: number;
  /** Absent when there is no canary: the route then names only the stable Service. */
  canary?: number;
}

function backend(name: string, weight: number): HTTPBackendRef {
  return { group: "", kind: "Service", name, port: SERVICE_HTTP_PORT, weight };
}

/**
 * HTTPRoute named httpRouteName(md), attached to spec.rollout.trafficRouter.gatewayAPI's
 * parentRefs (group and kind written out: Gateway) and hostnames, with one rule matching every
 * path whose backendRefs are `<name>-stable` and, with a canary, `<name>-canary` at exactly the
 * given weights. Labelled and owned like every child. Pure; a spec without gatewayAPI settings
 * gives a route without parents (admission requires them for type GatewayAPI).
 */
export function buildHttpRoute(md: ModelDeployment, weights: RouteWeights): HTTPRoute {
  const mdName = md.metadata.name ?? "";
  const settings = md.spec.rollout?.trafficRouter?.gatewayAPI;
  const backendRefs = [backend(trackServiceName(mdName, "stable"), weights.stable)];
  if (weights.canary !== undefined) backendRefs.push(backend(trackServiceName(mdName, "canary"), weights.canary));
  return {
    apiVersion: `${GATEWAY_API_GROUP}/${HTTP_ROUTES.version}`,
    kind: "HTTPRoute",
    metadata: childMetadata(md, httpRouteName(md)),
    spec: {
      parentRefs: (settings?.parentRefs ?? []).map((p) => ({
        group: GATEWAY_API_GROUP,
        kind: "Gateway",
        name: p.name,
        ...(p.namespace !== undefined && { namespace: p.namespace }),
        ...(p.sectionName !== undefined && { sectionName: p.sectionName }),
      })),
      ...(settings?.hostnames !== undefined && { hostnames: [...settings.hostnames] }),
      rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs }],
    },
  };
}
