// The GatewayAPI router: exact weights through an HTTPRoute over one Service per revision.
import type { KubeObject } from "../runtime/client/kube-client.ts";
import { Resources, type ResourceRef } from "../runtime/client/resource.ts";
import { buildHttpRoute } from "./httproute.ts";
import { HTTP_ROUTES } from "./resources.ts";
import type { TrafficInput, TrafficPlan, TrafficRouter } from "./router.ts";
import { buildTrackService } from "./track-service.ts";
import { canaryPercent, wholeBudget } from "./weights.ts";

/**
 * Needs the Gateway API CRDs (see gatewayApiAvailable) and a Gateway implementation. Plan:
 * - objects: the Services `<name>-stable` and, with a canary, `<name>-canary`, and the HTTPRoute
 *   with backendRefs stable 100−w and canary w (only stable at 100 without a canary);
 * - replicas: the stable keeps the whole budget, so a rollback only changes weights; the canary
 *   runs max(1, ceil(budget × w / 100)) replicas while w > 0, none at w = 0 (it may run more
 *   than its share of the budget: the budget is not split, exact weights do not need it);
 * - achievableWeight: w exactly, as the Gateway applies weights whatever the replica counts.
 */
export class GatewayApiRouter implements TrafficRouter {
  readonly type = "GatewayAPI";
  readonly kinds: readonly ResourceRef[] = [Resources.services, HTTP_ROUTES];

  plan(input: TrafficInput): TrafficPlan {
    const { md, settings, stableRevision, canaryRevision } = input;
    const weight = canaryPercent(input);
    const budget = wholeBudget(input.budget);
    const objects: KubeObject[] = [toKubeObject(buildTrackService(md, settings, "stable", stableRevision))];
    if (canaryRevision !== undefined) objects.push(toKubeObject(buildTrackService(md, settings, "canary", canaryRevision)));
    const route = buildHttpRoute(md, canaryRevision === undefined ? { stable: 100 } : { stable: 100 - weight, canary: weight });
    objects.push(toKubeObject(route));
    return {
      replicas: { stable: budget, canary: weight > 0 ? Math.max(1, Math.ceil((budget * weight) / 100)) : 0 },
      objects,
      achievableWeight: weight,
    };
  }

  /** Undefined: the HTTPRoute's weights hold whatever the ready replicas of each revision. */
  measuredWeight(): undefined {
    return undefined;
  }
}


/**
 * Builders type metadata as client-node's V1ObjectMeta (timestamps as Date, which built objects
 * never carry); as sent to the API server they are plain KubeObjects.
 */
function toKubeObject(object: { apiVersion?: string; kind?: string; metadata?: object }): KubeObject {
  return object;
}
