// Which router serves a spec.rollout.trafficRouter.type.
import type { TrafficRouterType } from "../api/traffic-router.ts";
import type { ResourceRef } from "../runtime/client/resource.ts";
import { UnknownTrafficRouterError } from "./errors.ts";
import { GatewayApiRouter } from "./gateway-api.ts";
import { ReplicasRouter } from "./replicas.ts";
import type { TrafficRouter } from "./router.ts";

/** The router used when spec.rollout.trafficRouter is absent. */
export const DEFAULT_TRAFFIC_ROUTER: TrafficRouterType = "Replicas";

/** Routers are stateless: one instance each serves every ModelDeployment. */
const ROUTERS: ReadonlyMap<string, TrafficRouter> = new Map<string, TrafficRouter>(
  [new ReplicasRouter(), new GatewayApiRouter()].map((router) => [router.type, router]),
);

/**
 * Kinds any router may have created. Prune owned objects of these kinds that the current plan
 * does not list, so switching routers (GatewayAPI → Replicas) removes the old route and Services.
 * HTTPRoutes can only be listed where the Gateway API is installed (gatewayApiAvailable).
 */
export const ALL_ROUTER_KINDS: readonly ResourceRef[] = [...new Map(
  [...ROUTERS.values()].flatMap((router) => router.kinds).map((ref) => [`${ref.group}/${ref.plural}`, ref] as const),
).values()];

/** Types the API admits but this version does not implement. */
const NOT_AVAILABLE: ReadonlySet<string> = new Set<TrafficRouterType>(["Istio"]);

function available(): string {
  return [...ROUTERS.keys()].join(" or ");
}

/**
 * The router for spec.rollout.trafficRouter.type; `undefined` (no trafficRouter) gives Replicas.
 * Throws UnknownTrafficRouterError (TrafficRouterNotAvailable for Istio, UnknownTrafficRouter for
 * any other name): never a silent fallback to another router.
 */
export function routerFor(type: string | undefined): TrafficRouter {
  const name = type ?? DEFAULT_TRAFFIC_ROUTER;
  const router = ROUTERS.get(name);
  if (router !== undefined) return router;
  if (NOT_AVAILABLE.has(name)) {
    throw new UnknownTrafficRouterError(
      "TrafficRouterNotAvailable", name,
      `spec.rollout.trafficRouter.type ${name} is not available in this version; use ${available()}`,
    );
  }
  throw new UnknownTrafficRouterError(
    "UnknownTrafficRouter", name,
    `spec.rollout.trafficRouter.type ${JSON.stringify(name)} is not a traffic router this operator knows; use ${available()}`,
  );
}
