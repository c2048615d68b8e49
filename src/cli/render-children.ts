// The children a new ModelDeployment gets on its first reconcile, computed without a cluster by
// the operator's own functions: defaults (defaults.ts), revision and builders (builders/), the
// rollout decision for a ModelDeployment with no status and no Deployments (decide-rollout.ts),
// the autoscaler's size for a revision it has no load for (operator-scale.ts), the rollout's
// shape of the children (execute.ts) and the traffic router's objects.
import type { ModelDeployment } from "../api/index.ts";
import type { RuntimeCatalog } from "../catalog/catalog.ts";
import { desiredList } from "../controllers/modeldeployment/apply-children.ts";
import { buildChildren, buildShadowSettings, computeRevision, resolveModelVersion } from "../controllers/modeldeployment/builders/index.ts";
import { withOperatorDefaults } from "../controllers/modeldeployment/defaults.ts";
import { decideRollout } from "../controllers/modeldeployment/rollout/decide-rollout.ts";
import { shapeForRollout } from "../controllers/modeldeployment/rollout/execute.ts";
import { withOperatorScaling } from "../controllers/modeldeployment/rollout/operator-scale.ts";
import type { OperatorSettings } from "../controllers/modeldeployment/settings.ts";
import type { KubeObject } from "../runtime/client/kube-client.ts";
import { routerFor } from "../traffic/index.ts";

/** Stands in for metadata.uid, which only the API server assigns; owner references are dropped from the output. */
const PLACEHOLDER_UID = "00000000-0000-0000-0000-000000000000";

export interface RenderDeps {
  catalog: RuntimeCatalog;
  settings: OperatorSettings;
  /** The time of the (first) rollout decision. */
  now: Date;
}

/**
 * The objects the operator applies for `md` (parsed, defaulted by parseModelDeployment) when it
 * is new: ConfigMap, Service, Deployment, then those the spec asks for (HPA, PDB,
 * NetworkPolicy), the traffic router's, and the shadow settings. ownerReferences are left out
 * (they name the ModelDeployment's uid). Not included: what depends on the live cluster (a
 * scaled-to-zero Service's activator EndpointSlices, other revisions). Throws
 * RuntimeResolutionError (unknown runtime), BuildError (a spec the builders cannot build) and
 * UnknownTrafficRouterError.
 */
export async function renderChildren(md: ModelDeployment, deps: RenderDeps): Promise<KubeObject[]> {
  const withUid = { ...md, metadata: { ...md.metadata, uid: md.metadata.uid ?? PLACEHOLDER_UID } };
  const runtime = deps.catalog.resolve(md.spec.model.format, md.spec.protocol, md.spec.model.runtime);
  const { md: model } = withOperatorDefaults(withUid, runtime);
  const revision = computeRevision(model, runtime, deps.settings);
  const desired = buildChildren({ md: model, runtime, settings: deps.settings, revision });
  const router = routerFor(model.spec.rollout?.trafficRouter?.type);
  const decided = await decideRollout({
    md: model, status: undefined, desired: { revision, modelVersion: resolveModelVersion(model) }, deployments: [], router,
    settings: deps.settings, analyzer: undefined, webhooks: { call: () => Promise.resolve([]) }, now: deps.now,
  });
  const key = `${md.metadata.namespace ?? ""}/${md.metadata.name ?? ""}`;
  const { decision } = withOperatorScaling(key, model, decided, [], {
    autoscaler: { track: () => undefined, untrack: () => undefined, recommendation: () => undefined },
    activatorEndpoints: () => [],
  });
  const shadow = model.spec.rollout?.shadow === undefined ? [] : [buildShadowSettings(model, undefined) as KubeObject];
  const objects = [...desiredList(shapeForRollout(desired, decision, revision)), ...decision.plan.traffic.objects, ...shadow];
  return objects.map(withoutOwner);
}

function withoutOwner(object: KubeObject): KubeObject {
  if (object.metadata?.ownerReferences === undefined) return object;
  const { ownerReferences: _owners, ...metadata } = object.metadata;
  return { ...object, metadata };
}
