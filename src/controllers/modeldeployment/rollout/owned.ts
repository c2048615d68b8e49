// The children of one ModelDeployment in the controller's caches.
import type { KubeObject } from "../../../runtime/client/kube-client.ts";
import { Resources, type ResourceRef } from "../../../runtime/client/resource.ts";
import { LABEL_MODEL_DEPLOYMENT } from "../labels.ts";
import type { ReconcilerDeps } from "../deps.ts";
import { ownedBy } from "../ownership.ts";
import type { ModelDeploymentObject } from "../resource.ts";

/** The cache of an owned kind; throws for a kind the controller does not cache. */
export function cacheOf(deps: ReconcilerDeps, ref: ResourceRef): { get(key: string): KubeObject | undefined; list(): KubeObject[] } {
  if (ref === Resources.deployments) return deps.caches.deployments;
  const informer = deps.caches.owned.get(ref.plural);
  if (informer === undefined) throw new Error(`No cache for ${ref.plural}`);
  return informer;
}

/** True when the controller caches `ref` (the built-in owned kinds; not e.g. HTTPRoutes). */
export function isCached(deps: ReconcilerDeps, ref: ResourceRef): boolean {
  return ref === Resources.deployments || deps.caches.owned.has(ref.plural);
}

/** Cached objects of kind `ref` labelled for, and controlled by, `md`. */
export function ownedChildren(md: ModelDeploymentObject, deps: ReconcilerDeps, ref: ResourceRef): KubeObject[] {
  const name = md.metadata?.name;
  return cacheOf(deps, ref).list().filter((o) =>
    o.metadata?.namespace === md.metadata?.namespace && o.metadata?.labels?.[LABEL_MODEL_DEPLOYMENT] === name && ownedBy(o, md));
}
