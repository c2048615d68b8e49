// Runs one rollout decision against the cluster, in the order that never leaves traffic without
// a ready backend: grow other revisions, apply the spec's revision and the router's objects,
// shrink other revisions, retire. The decision's state is persisted only after all of it
// succeeded (the caller writes status), so a crash in between repeats the actions.
import type { V1Deployment, V1Service } from "@kubernetes/client-node";
import type { Logger } from "../../../runtime/logging.ts";
import {
  ALL_ROUTER_KINDS, GATEWAY_API_NOT_INSTALLED, GATEWAY_API_NOT_INSTALLED_MESSAGE, HTTP_ROUTES, routerFor, UnknownTrafficRouterError, type TrafficRouter,
} from "../../../traffic/index.ts";
import { applyChildren } from "../apply-children.ts";
import { buildShadowSettings, type Children, type Mirror } from "../builders/index.ts";
import { trackServiceName } from "../../../traffic/names.ts";
import type { RevisionPlan } from "./revision-plan.ts";
import type { Convergence, ReconcileProblem } from "../converge.ts";
import { childNames, LABEL_REVISION } from "../labels.ts";
import type { ReconcilerDeps } from "../deps.ts";
import type { ModelDeploymentObject } from "../resource.ts";
import { withOperatorScaling, type OperatorScaling } from "./operator-scale.ts";
import { deleteAutoscalersExcept, isRolledOut, retireRevisions, scaleOtherRevisions } from "./apply-revisions.ts";
import { decideRollout, type RolloutDecision } from "./decide-rollout.ts";
import { ownedChildren } from "./owned.ts";
import { undeliverableRevisions } from "./undeliverable.ts";
import { activatorSlicesFor } from "../scale-to-zero/route.ts";
import { Resources } from "../../../runtime/client/resource.ts";
import type { KubeObject } from "../../../runtime/client/kube-client.ts";

/** How often a ModelDeployment stalled on a missing Gateway API looks again. */
export const GATEWAY_API_RECHECK_MS = 30_000;

export interface ExecutedRollout {
  decision: RolloutDecision;
  router: TrafficRouter;
  /** Set while the operator's autoscaler sizes the serving revision (operator-scale.ts). */
  scaling?: OperatorScaling;
}

/**
 * Decides and applies. Returns the executed decision, or a Stalled problem (unknown router, a
 * child name taken) with nothing of the decision applied. API errors are thrown.
 */
export async function executeRollout(md: ModelDeploymentObject, c: Convergence, deps: ReconcilerDeps, log: Logger, revert?: { reason: string; message: string }): Promise<ExecutedRollout | ReconcileProblem> {
  const { model, desired, revision } = c;
  if (model === undefined || desired === undefined || revision === undefined) throw new Error("executeRollout needs a converged ModelDeployment");
  let router: TrafficRouter;
  try {
    router = routerFor(model.spec.rollout?.trafficRouter?.type);
  } catch (error) {
    if (error instanceof UnknownTrafficRouterError) return { kind: "Stalled", reason: error.reason, message: error.message };
    throw error;
  }
  const gatewayApi = (await deps.gatewayApiAvailable?.()) ?? false;
  if (router.kinds.includes(HTTP_ROUTES) && !gatewayApi) {
    return { kind: "Stalled", reason: GATEWAY_API_NOT_INSTALLED, message: GATEWAY_API_NOT_INSTALLED_MESSAGE, recheckAfterMs: GATEWAY_API_RECHECK_MS };
  }
  // Prune what any router may have left (a switch from GatewayAPI leaves an HTTPRoute), where it can exist.
  const pruneKinds = ALL_ROUTER_KINDS.filter((k) => k !== HTTP_ROUTES || gatewayApi);
  const deployments = ownedChildren(md, deps, Resources.deployments) as (V1Deployment)[];
  const decided = await decideRollout({
    md: model, status: md.status, desired: { revision, modelVersion: c.modelVersion }, deployments, router,
    settings: deps.settings, analyzer: deps.analyzer, webhooks: deps.webhooks, now: new Date(deps.clock.now()), ...(revert === undefined ? {} : { revert }),
    failures: undeliverableRevisions(deps.caches.pods.list(), md.metadata?.namespace ?? "", md.metadata?.name ?? ""),
    ...(deps.signal === undefined ? {} : { signal: deps.signal }),
  });
  const operatorScaled = withOperatorScaling(`${md.metadata?.namespace ?? ""}/${md.metadata?.name ?? ""}`, model, decided, deployments, deps);
  const { decision } = operatorScaled;
  const { plan, state } = decision;
  // While a scale-to-zero ModelDeployment has no ready pod, its Service also points at the activator.
  const toActivator = activatorSlicesFor(model, deps.caches.pods.list(), deps.activatorEndpoints?.() ?? []);
  const scaling = operatorScaled.scaling === undefined || model.spec.autoscaling?.minReplicas !== 0
    ? operatorScaled.scaling
    : { ...operatorScaled.scaling, routedToActivator: toActivator.length > 0 };
  await scaleOtherRevisions(md, plan.replicas, revision, "up", deps, log);
  const mirror = plan.mirror === undefined ? undefined : candidateAddress(md, deps, plan.mirror);
  const shadowSettings = model.spec.rollout?.shadow === undefined && plan.mirror === undefined ? [] : [buildShadowSettings(model, mirror) as KubeObject];
  const conflict = await applyChildren(md, shapeForRollout(desired, decision, revision), { objects: [...plan.traffic.objects, ...shadowSettings, ...(toActivator as KubeObject[])], kinds: pruneKinds }, deps, log);
  if (conflict !== undefined) return conflict;
  if (shadowSettings.length === 0) await deleteShadowSettings(md, deps, log);
  await scaleOtherRevisions(md, plan.replicas, revision, "down", deps, log);
  // Only a revision that serves alone has an HPA (metric cpu): mid-rollout the plan sizes every
  // revision, and with concurrency or rps the operator does.
  await deleteAutoscalersExcept(md, state.phase === "Stable" && desired.hpa !== undefined ? state.stable.revision : undefined, deps, log);
  // The previous revision is kept (at zero replicas) for a drift rollback; every other one goes.
  const kept = [state.stable, state.canary, state.previous].flatMap((r) => (r === undefined ? [] : [r.revision]));
  const keep = new Set([revision, ...kept, ...(state.retiring ? [state.retiring.revision] : [])]);
  const stable = deployments.find((d) => d.metadata?.name === childNames.deployment(model.metadata.name ?? "", state.stable.revision));
  const retire = plan.retire.filter((r) => r !== state.previous?.revision);
  await retireRevisions(md, retire, keep, stable !== undefined && isRolledOut(stable), deps, log);
  return { decision, router, ...(scaling === undefined ? {} : { scaling }) };
}

/**
 * The mirror with the ClusterIP of the candidate's track Service, from the cache; undefined until
 * the Service exists with one (its creation is an event: the next reconcile fills it in).
 */
function candidateAddress(md: ModelDeploymentObject, deps: ReconcilerDeps, mirror: NonNullable<RevisionPlan["mirror"]>): Mirror | undefined {
  const name = trackServiceName(md.metadata?.name ?? "", "canary");
  const service = ownedChildren(md, deps, Resources.services).find((s) => s.metadata?.name === name) as V1Service | undefined;
  const clusterIP = service?.spec?.clusterIP;
  return clusterIP === undefined || clusterIP === "" || clusterIP === "None" ? undefined : { ...mirror, clusterIP };
}

/** Deletes the shadow settings ConfigMap once spec.rollout.shadow is gone (only ours; the cache says whether there is one). */
async function deleteShadowSettings(md: ModelDeploymentObject, deps: ReconcilerDeps, log: Logger): Promise<void> {
  const name = childNames.shadowConfigMap(md.metadata?.name ?? "");
  const found = ownedChildren(md, deps, Resources.configMaps).find((c) => c.metadata?.name === name);
  if (found === undefined) return;
  await deps.client.delete(Resources.configMaps, md.metadata?.namespace, name, { uid: found.metadata?.uid });
  log.info("Deleted ConfigMap", { child: name });
}

/**
 * The spec's revision's children as the rollout wants them: the replicas it decided (none when
 * an HPA owns them), no HPA while a rollout shares the replica budget between revisions, and the
 * shared Service over the stable revision's pods only whenever no other revision should get
 * traffic from it: when Stable (a replaced revision waiting for its scale-down delay serves
 * nothing) and while a new revision is meant to get 0% (a blue-green preview, a rolled-back
 * canary). While a canary has weight, and during a Rolling update, it selects every revision.
 */
export function shapeForRollout(desired: Children, decision: RolloutDecision, revision: string): Children {
  const { state, plan } = decision;
  const replicas = plan.replicas.get(revision);
  const deployment = replicas === undefined ? desired.deployment : { ...desired.deployment, spec: { ...desired.deployment.spec, replicas } } as Children["deployment"];
  const inRollout = state.phase !== "Stable" || state.stable.revision !== revision;
  const stableOnly = state.phase === "Stable" || (plan.weights.canaryRevision !== undefined && plan.weights.canary === 0);
  const service = stableOnly
    ? { ...desired.service, spec: { ...desired.service.spec, selector: { ...desired.service.spec?.selector, [LABEL_REVISION]: state.stable.revision } } } as Children["service"]
    : desired.service;
  const { hpa, ...rest } = desired;
  return { ...rest, deployment, service, ...(hpa !== undefined && !inRollout ? { hpa } : {}) };
}
