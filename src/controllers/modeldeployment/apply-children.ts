// Applies the desired children that differ from the cache, refuses to touch objects MDO did not
// create, deletes optional children no longer wanted, and retires old revisions once the current
// one serves.
import type { V1Deployment } from "@kubernetes/client-node";
import { ApiError } from "../../runtime/client/api-error.ts";
import type { KubeObject } from "../../runtime/client/kube-client.ts";
import { Resources, type ResourceRef } from "../../runtime/client/resource.ts";
import type { Logger } from "../../runtime/logging.ts";
import type { Children } from "./builders/index.ts";
import { contains } from "./contains.ts";
import type { Convergence, Problem } from "./converge.ts";
import { LABEL_MODEL_DEPLOYMENT, LABEL_REVISION } from "./labels.ts";
import { ownedBy, type ReconcilerDeps } from "./reconciler.ts";
import type { ModelDeploymentObject } from "./resource.ts";

/** The kinds a ModelDeployment owns, in apply order (config before the pods that mount it). */
export const OWNED_KINDS: readonly ResourceRef[] = [
  Resources.configMaps,
  Resources.services,
  Resources.deployments,
  Resources.horizontalPodAutoscalers,
  Resources.podDisruptionBudgets,
  Resources.networkPolicies,
];

function refOf(kind: string | undefined): ResourceRef {
  const ref = OWNED_KINDS.find((r) => r.kind === kind);
  if (ref === undefined) throw new Error(`Builders produced an unexpected kind ${kind}`);
  return ref;
}

function desiredList(children: Children): KubeObject[] {
  return [children.configMap, children.service, children.deployment, children.hpa, children.pdb, children.networkPolicy]
    .filter((c): c is NonNullable<typeof c> => c !== undefined && c !== null) as KubeObject[];
}

/**
 * Returns a Stalled problem when a desired child's name is taken by an object this
 * ModelDeployment does not control (it is never modified or adopted).
 */
export async function applyChildren(md: ModelDeploymentObject, c: Convergence, deps: ReconcilerDeps, log: Logger): Promise<Problem | undefined> {
  if (c.desired === undefined) return undefined;
  const namespace = md.metadata?.namespace ?? "";
  const desired = desiredList(c.desired);
  // Look every name up first, so a clash leaves nothing half-applied.
  const existing: (KubeObject | null)[] = [];
  for (const child of desired) {
    const ref = refOf(child.kind);
    const name = child.metadata?.name ?? "";
    const found = cacheOf(deps, ref).get(`${namespace}/${name}`) ?? (await deps.client.get<KubeObject>(ref, namespace, name));
    if (found !== null && !ownedBy(found, md)) {
      return {
        kind: "Stalled", reason: "ChildConflict",
        message: `${ref.kind} ${namespace}/${name} already exists and is not managed by this ModelDeployment; delete or rename it`,
      };
    }
    existing.push(found);
  }
  for (const [i, child] of desired.entries()) {
    const current = existing[i] ?? null;
    if (current !== null && contains(current, child)) continue;
    await applyChild(child, current, deps, log);
  }
  await pruneUnwanted(md, desired, deps, log);
  await retireOldRevisions(md, c, deps, log);
  return undefined;
}

async function applyChild(child: KubeObject, current: KubeObject | null, deps: ReconcilerDeps, log: Logger): Promise<void> {
  const ref = refOf(child.kind);
  const name = child.metadata?.name ?? "";
  try {
    await deps.client.apply(ref, child);
    log.info(`${current ? "Updated" : "Created"} ${ref.kind}`, { child: name });
  } catch (error) {
    if (!(error instanceof ApiError && error.isInvalid && current !== null && ref !== Resources.deployments)) throw error;
    // A hand edit can leave an object that server-side apply cannot merge back (e.g. a Service
    // port changed in place keeps its name under another key). It is ours: recreate it.
    // Deployments are not recreated (that would restart every pod); their error is retried and shown.
    await deps.client.delete(ref, child.metadata?.namespace, name, { uid: current.metadata?.uid });
    await deps.client.apply(ref, child);
    log.info(`Recreated ${ref.kind} that server-side apply could not repair`, { child: name, error: error.message });
  }
}

/** Deletes owned optional children (HPA, PDB, NetworkPolicy…) that the spec no longer asks for. */
async function pruneUnwanted(md: ModelDeploymentObject, desired: KubeObject[], deps: ReconcilerDeps, log: Logger): Promise<void> {
  const wanted = new Set(desired.map((d) => `${d.kind}/${d.metadata?.name}`));
  for (const ref of [Resources.podDisruptionBudgets, Resources.networkPolicies, Resources.services]) {
    for (const object of ownedOf(md, deps, ref)) {
      if (wanted.has(`${ref.kind}/${object.metadata?.name}`)) continue;
      await deps.client.delete(ref, object.metadata?.namespace, object.metadata?.name ?? "", { uid: object.metadata?.uid });
      log.info(`Deleted ${ref.kind}`, { child: object.metadata?.name });
    }
  }
}

/**
 * Once the current revision's Deployment is fully rolled out, deletes the Deployments, HPAs and
 * agent ConfigMaps of every other revision. Before that, the old revision keeps serving.
 */
async function retireOldRevisions(md: ModelDeploymentObject, c: Convergence, deps: ReconcilerDeps, log: Logger): Promise<void> {
  const deployments = ownedOf(md, deps, Resources.deployments) as (V1Deployment & KubeObject)[];
  const current = deployments.find((d) => d.metadata?.labels?.[LABEL_REVISION] === c.revision);
  const currentServes = current !== undefined && isRolledOut(current);
  for (const ref of [Resources.deployments, Resources.horizontalPodAutoscalers, Resources.configMaps]) {
    for (const object of ownedOf(md, deps, ref)) {
      const revision = object.metadata?.labels?.[LABEL_REVISION];
      if (revision === c.revision) continue;
      // An HPA without a current counterpart (autoscaling switched off) goes at once.
      if (!currentServes && !(ref === Resources.horizontalPodAutoscalers && c.desired?.hpa == null)) continue;
      await deps.client.delete(ref, object.metadata?.namespace, object.metadata?.name ?? "", { uid: object.metadata?.uid });
      log.info(`Deleted ${ref.kind} of retired revision`, { child: object.metadata?.name, revision });
    }
  }
}

/** The Deployment's controller has seen its latest spec and every desired replica is updated and available. */
export function isRolledOut(d: V1Deployment): boolean {
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  return (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0)
    && (s.updatedReplicas ?? 0) >= want
    && (s.availableReplicas ?? 0) >= want
    && (s.replicas ?? 0) === (s.updatedReplicas ?? 0);
}

function cacheOf(deps: ReconcilerDeps, ref: ResourceRef): { get(key: string): KubeObject | undefined; list(): KubeObject[] } {
  if (ref === Resources.deployments) return deps.caches.deployments;
  const informer = deps.caches.owned.get(ref.plural);
  if (informer === undefined) throw new Error(`No cache for ${ref.plural}`);
  return informer;
}

function ownedOf(md: ModelDeploymentObject, deps: ReconcilerDeps, ref: ResourceRef): KubeObject[] {
  const name = md.metadata?.name;
  return cacheOf(deps, ref).list().filter((o) =>
    o.metadata?.namespace === md.metadata?.namespace && o.metadata?.labels?.[LABEL_MODEL_DEPLOYMENT] === name && ownedBy(o, md));
}
