// Ordering two copies of one object by resourceVersion. The API server hands out etcd revisions,
// which client-go's integer mutation cache compares as integers; anything else is opaque and
// ordered by nobody.
import type { KubeObject } from "./client/kube-client.ts";

/** True when both resourceVersions are integers and `a`'s is lower: `a` is an older copy than `b`. */
export function isOlderCopy(a: KubeObject, b: KubeObject): boolean {
  const [x, y] = [revision(a), revision(b)];
  return x !== undefined && y !== undefined && x < y;
}

function revision(object: KubeObject): bigint | undefined {
  const value = object.metadata?.resourceVersion;
  return value !== undefined && /^\d+$/.test(value) ? BigInt(value) : undefined;
}
