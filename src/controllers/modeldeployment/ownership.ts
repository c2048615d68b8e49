// Ownership of children: MDO acts only on objects whose controller owner is the ModelDeployment.
import type { KubeObject } from "../../runtime/client/kube-client.ts";

/** True when `child` has `md` as its controller owner (by uid). */
export function ownedBy(child: KubeObject, md: KubeObject): boolean {
  return child.metadata?.ownerReferences?.some((o) => o.controller === true && o.uid === md.metadata?.uid) ?? false;
}
