// spec.rollout.trafficRouter: how traffic is split between the stable and the canary revision.
import { z } from "zod";
import { listAtomic, listSet } from "./lists.ts";
import { dnsLabel, dnsSubdomain } from "./names.ts";
import { tiedField, withRules } from "./rules.ts";

export const TRAFFIC_ROUTER_TYPES = ["Replicas", "GatewayAPI", "Istio"] as const;
export type TrafficRouterType = (typeof TRAFFIC_ROUTER_TYPES)[number];

/** Host names as Gateway API and Istio take them: a DNS subdomain, optionally with a "*." prefix. */
const HOSTNAME = /^([*][.])?[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function hostnames(description: string) {
  return listSet(z.array(z.string().min(1).max(253).regex(HOSTNAME)).min(1).max(16))
    .optional()
    .describe(description);
}

const ParentRef = z
  .strictObject({
    name: dnsSubdomain("Name of the Gateway."),
    namespace: dnsLabel(
      "Namespace of the Gateway; when absent, the ModelDeployment's namespace. The Gateway " +
        "must allow routes from this namespace.",
    ).optional(),
    sectionName: dnsSubdomain("Name of one listener of the Gateway; when absent, all listeners.").optional(),
  })
  .describe("A Gateway the HTTPRoute attaches to.");

const GatewayAPIRouter = z
  .strictObject({
    httpRouteName: dnsSubdomain(
      "Name of the HTTPRoute the operator creates and owns in the ModelDeployment's namespace; " +
        "when absent, the ModelDeployment's name. An existing HTTPRoute of that name that the " +
        "operator does not own is reported as a Stalled condition, never taken over.",
    ).optional(),
    parentRefs: listAtomic(z.array(ParentRef).min(1).max(8)).describe(
      "Gateways the HTTPRoute attaches to, 1 to 8.",
    ),
    hostnames: hostnames("Host names the HTTPRoute matches, at most 16; when absent, all hosts of the parents."),
  })
  .describe(
    "Settings of the GatewayAPI router: exact weights through an HTTPRoute (gateway.networking.k8s.io/v1).",
  );

const IstioRouter = z
  .strictObject({
    hosts: hostnames(
      "Hosts of the VirtualService the operator creates; when absent, the ModelDeployment's Service host.",
    ),
    gateways: listSet(z.array(z.string().min(1).max(317).regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/)).min(1).max(8))
      .optional()
      .describe(
        "Istio Gateways as <namespace>/<name> or <name>, at most 8; when absent, the mesh only.",
      ),
  })
  .describe("Settings of the Istio router: exact weights through a VirtualService (networking.istio.io/v1).");

const TrafficRouterShape = z
  .strictObject({
    type: z
      .enum(TRAFFIC_ROUTER_TYPES)
      .describe(
        "Replicas splits traffic by the ratio of ready replicas behind one Service and works on " +
          "any cluster, with weights approximated to whole replicas; GatewayAPI and Istio set " +
          "exact weights and need those APIs installed.",
      ),
    gatewayAPI: GatewayAPIRouter.optional(),
    istio: IstioRouter.optional(),
  })
  .describe(
    "How traffic is split between the stable and the new revision during a rollout. When " +
      "absent, the Replicas router is used.",
  );

export const TrafficRouterSpec = withRules(TrafficRouterShape, [
  ...tiedField<z.output<typeof TrafficRouterShape>>({
    path: "spec.rollout.trafficRouter", field: "gatewayAPI", discriminator: "type", value: "GatewayAPI", required: true,
  }),
  ...tiedField<z.output<typeof TrafficRouterShape>>({ path: "spec.rollout.trafficRouter", field: "istio", discriminator: "type", value: "Istio" }),
]);
export type TrafficRouterSpec = z.output<typeof TrafficRouterSpec>;
