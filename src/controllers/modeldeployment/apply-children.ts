// Applies the desired children that differ from the cache, refuses to touch objects MDO did not
// create, and deletes optional children no longer wanted. Revisions other than the spec's own
// are the rollout's business (rollout/apply-revisions.ts).
import type { V1Deployment } from "@kubernetes/client-node";
import { ApiError } from "../../runtime/client/api-error.ts";
import type { KubeObject } from "../../runtime/client/kube-client.ts";
import { Resources, type ResourceRef } from "../../runtime/client/resource.ts";
import type { Logger } from "../../runtime/logging.ts";
import type { Children } from "./builders/index.ts";
import { contains } from "./contains.ts";
import type { ReconcileProblem } from "./converge.ts";
import { LABEL_MODEL_DEPLOYMENT } from "./labels.ts";
import type { ReconcilerDeps } from "./deps.ts";
import { ownedBy } from "./ownership.ts";
import type { ModelDeploymentObject } from "./resource.ts";
import { cacheOf, isCached, ownedChildren } from "./rollout/owned.ts";

/** The kinds a ModelDeployment owns, in apply order (config before the pods that mount it). */
export const OWNED_KINDS: readonly ResourceRef[] = [
  Resources.configMaps,
  Resources.services,
  Resources.deployments,
  Resources.horizontalPodAutoscalers,
  Resources.podDisruptionBudgets,
  Resources.networkPolicies,
  // A scaled-to-zero ModelDeployment's Service endpoints at the activator (builders/activator-slice.ts).
  Resources.endpointSlices,
];

/**
 * Atomic maps of the children, by kind: replaced whole by server-side apply, so a key dropped
 * from the desired state must count as a change (the shared Service's revision selector during a
 * rollout is one; a nodeSelector key removed from the spec another).
 */
const ATOMIC_MAPS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["Service", new Set(["spec.selector"])],
  ["Deployment", new Set(["spec.template.spec.nodeSelector"])],
]);

/** Children the traffic router adds (per-track Services, an HTTPRoute…), with their kinds. */
export interface RouterChildren {
  objects: readonly KubeObject[];
  kinds: readonly ResourceRef[];
}

export function desiredList(children: Children): KubeObject[] {
  return [children.configMap, children.service, children.deployment, children.hpa, children.pdb, children.networkPolicy]
    .filter((c): c is NonNullable<typeof c> => c !== undefined && c !== null) as KubeObject[];
}

/**
 * Applies `desired` (the spec's revision's children) and the router's children. Returns a
 * Stalled problem when a name is taken by an object this ModelDeployment does not control: that
 * object is never modified or adopted. A clash with an object in the cache (labelled by MDO) is
 * found before anything is applied; a child of a cached kind missing from the cache is applied
 * without forcing ownership, so an unlabelled object of that name answers 409 (its fields belong
 * to another manager) and is then looked up — one request for a new child instead of a lookup
 * and an apply. Children applied before such a clash stay (they are owned and collected with the
 * ModelDeployment). An object with no managed fields and every value equal to ours would be
 * adopted; in practice that is this ModelDeployment's own orphan.
 */
export async function applyChildren(md: ModelDeploymentObject, desired: Children, router: RouterChildren, deps: ReconcilerDeps, log: Logger): Promise<ReconcileProblem | undefined> {
  const namespace = md.metadata?.namespace ?? "";
  const kinds = [...OWNED_KINDS, ...router.kinds.filter((k) => !OWNED_KINDS.includes(k))];
  const refOf = (kind: string | undefined): ResourceRef => {
    const ref = kinds.find((r) => r.kind === kind);
    if (ref === undefined) throw new Error(`Builders produced an unexpected kind ${kind}`);
    return ref;
  };
  const conflict = (ref: ResourceRef, name: string): ReconcileProblem => ({
    kind: "Stalled", reason: "ChildConflict",
    message: `${ref.kind} ${namespace}/${name} already exists and is not managed by this ModelDeployment; delete or rename it`,
  });
  const all = [...desiredList(desired), ...router.objects];
  // Look the names up first (the cache, or the API for kinds it does not hold), so a known clash leaves nothing applied.
  const existing: (KubeObject | null | "uncached")[] = [];
  for (const child of all) {
    const ref = refOf(child.kind);
    const name = child.metadata?.name ?? "";
    const found = isCached(deps, ref) ? (cacheOf(deps, ref).get(`${namespace}/${name}`) ?? "uncached") : await deps.client.get<KubeObject>(ref, namespace, name);
    if (found !== null && found !== "uncached" && !ownedBy(found, md)) return conflict(ref, name);
    existing.push(found);
  }
  for (const [i, child] of all.entries()) {
    const current = existing[i] ?? null;
    const ref = refOf(child.kind);
    if (current === "uncached") {
      if (!(await applyNewChild(ref, child, md, deps, log))) return conflict(ref, child.metadata?.name ?? "");
      continue;
    }
    if (current !== null && contains(current, child, ATOMIC_MAPS.get(child.kind ?? ""))) continue;
    await applyChild(ref, child, current, deps, log);
  }
  await pruneUnwanted(md, all, router.kinds, deps, log);
  return undefined;
}

/**
 * Applies a child the cache does not hold without forcing: false when its name belongs to an
 * object this ModelDeployment does not control (nothing was written). A 409 on an object that
 * is ours (the cache lags behind) is applied again, forcing.
 */
async function applyNewChild(ref: ResourceRef, child: KubeObject, md: ModelDeploymentObject, deps: ReconcilerDeps, log: Logger): Promise<boolean> {
  const name = child.metadata?.name ?? "";
  try {
    rememberApplied(deps, await deps.client.apply(ref, child, { force: false }));
    log.info(`Created ${ref.kind}`, { child: name });
    return true;
  } catch (error) {
    if (!(error instanceof ApiError && error.isConflict)) throw error;
  }
  const found = await deps.client.get<KubeObject>(ref, md.metadata?.namespace, name);
  if (found !== null && !ownedBy(found, md)) return false;
  await applyChild(ref, child, found, deps, log);
  return true;
}

async function applyChild(ref: ResourceRef, child: KubeObject, current: KubeObject | null, deps: ReconcilerDeps, log: Logger): Promise<void> {
  const name = child.metadata?.name ?? "";
  try {
    rememberApplied(deps, await deps.client.apply(ref, child));
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

/** Keeps an applied Deployment for status until the cache shows it (see runtime/applied-objects.ts). */
function rememberApplied(deps: ReconcilerDeps, applied: KubeObject): void {
  if (applied.kind === "Deployment") deps.applied?.remember(applied as V1Deployment & KubeObject);
}

/** Deletes owned optional children (HPA, PDB, NetworkPolicy, activator EndpointSlices, Services, router objects…) no longer asked for. */
async function pruneUnwanted(md: ModelDeploymentObject, desired: KubeObject[], routerKinds: readonly ResourceRef[], deps: ReconcilerDeps, log: Logger): Promise<void> {
  const wanted = new Set(desired.map((d) => `${d.kind}/${d.metadata?.name}`));
  const kinds = [Resources.podDisruptionBudgets, Resources.networkPolicies, Resources.endpointSlices, Resources.services, ...routerKinds.filter((k) => k !== Resources.services)];
  for (const ref of kinds) {
    for (const object of await ownedOf(md, ref, deps)) {
      if (wanted.has(`${ref.kind}/${object.metadata?.name}`)) continue;
      await deps.client.delete(ref, object.metadata?.namespace, object.metadata?.name ?? "", { uid: object.metadata?.uid });
      log.info(`Deleted ${ref.kind}`, { child: object.metadata?.name });
    }
  }
}

/** Owned objects of `ref`: from the cache, or listed by label for kinds the controller does not cache. */
async function ownedOf(md: ModelDeploymentObject, ref: ResourceRef, deps: ReconcilerDeps): Promise<KubeObject[]> {
  if (isCached(deps, ref)) return ownedChildren(md, deps, ref);
  const page = await deps.client.list<KubeObject>(ref, { namespace: md.metadata?.namespace, labelSelector: `${LABEL_MODEL_DEPLOYMENT}=${md.metadata?.name ?? ""}` });
  return page.items.filter((o) => ownedBy(o, md));
}
