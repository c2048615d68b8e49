// Traffic routers: the contract, the registry, the routers and what the reconciler needs around them.
export type { TrafficInput, TrafficPlan, TrafficRouter } from "./router.ts";
export { ALL_ROUTER_KINDS, DEFAULT_TRAFFIC_ROUTER, routerFor } from "./registry.ts";
export { UnknownTrafficRouterError, type TrafficRouterErrorReason } from "./errors.ts";
export { ReplicasRouter } from "./replicas.ts";
export { GatewayApiRouter } from "./gateway-api.ts";
export { buildHttpRoute, type HTTPRoute, type RouteWeights } from "./httproute.ts";
export { buildTrackService } from "./track-service.ts";
export { LABEL_TRACK, httpRouteName, trackServiceName, type Track } from "./names.ts";
export { GATEWAY_API_GROUP, HTTP_ROUTES } from "./resources.ts";
export { GATEWAY_API_NOT_INSTALLED, GATEWAY_API_NOT_INSTALLED_MESSAGE, gatewayApiAvailable } from "./discovery.ts";
