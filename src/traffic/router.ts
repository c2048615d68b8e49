// Traffic routers: how the canary weight the rollout wants becomes replicas and routing objects.
import type { ModelDeployment } from "../api/index.ts";
import type { TrafficRouterType } from "../api/traffic-router.ts";
import type { KubeObject } from "../runtime/client/kube-client.ts";
import type { ResourceRef } from "../runtime/client/resource.ts";
import type { OperatorSettings } from "../controllers/modeldeployment/settings.ts";

export interface TrafficInput {
  /** The parsed ModelDeployment (its spec describes the newest revision). */
  md: ModelDeployment;
  settings: OperatorSettings;
  stableRevision: string;
  /** The revision being rolled out; undefined when there is no rollout. */
  canaryRevision?: string;
  /** Percent of traffic the canary should receive, 0 to 100 (0 when there is no canary). */
  canaryWeight: number;
  /** Replicas the ModelDeployment may use for both revisions together (at least 1). */
  budget: number;
}

export interface TrafficPlan {
  /** Replicas each revision should run to serve `canaryWeight` (RevisionSize ForWeight). */
  replicas: { stable: number; canary: number };
  /**
   * Objects the router needs besides the shared Service (e.g. per-track Services, an
   * HTTPRoute), built purely, labelled and owned like every child. The reconciler applies them
   * with server-side apply and deletes owned objects of `kinds` that are not listed.
   */
  objects: KubeObject[];
  /** The canary weight these replicas and objects really give, never the desired one if it differs. */
  achievableWeight: number;
}

export interface TrafficRouter {
  readonly type: TrafficRouterType;
  /** Kinds of the objects this router creates (for pruning and RBAC). */
  readonly kinds: readonly ResourceRef[];
  plan(input: TrafficInput): TrafficPlan;
  /**
   * The canary weight traffic really follows now, from the ready replicas of each revision, or
   * undefined when the router sets exact weights and replicas do not change them.
   */
  measuredWeight(ready: { stable: number; canary: number }): number | undefined;
}
