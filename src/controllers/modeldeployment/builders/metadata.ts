// Metadata shared by every child: name, namespace, labels, controller owner reference.
import type { V1ObjectMeta } from "@kubernetes/client-node";
import type { ModelDeployment } from "../../../api/index.ts";
import { LABEL_MODEL_VERSION, LABEL_REVISION, childLabels } from "../labels.ts";
import { resolveModelVersion, toLabelValue } from "./model-version.ts";
import { ownerReference } from "./owner.ts";

/**
 * Label keys never copied from the ModelDeployment: ours, and those that GitOps tools use to
 * track what they applied (copying Argo CD's app.kubernetes.io/instance would make it prune
 * our children as strays).
 */
const RESERVED_KEYS = new Set(["app.kubernetes.io/instance", ...Object.keys(childLabels("x"))]);
/** Label key prefixes (the part before "/") never copied, including their subdomains. */
const RESERVED_DOMAINS = ["mdo.dev", "kubernetes.io", "k8s.io", "argoproj.io", "fluxcd.io", "helm.sh"];

function isReserved(key: string): boolean {
  if (RESERVED_KEYS.has(key)) return true;
  const slash = key.indexOf("/");
  if (slash < 0) return false;
  const prefix = key.slice(0, slash);
  if (prefix === "app.kubernetes.io") return false; // recommended labels such as part-of are the user's
  return RESERVED_DOMAINS.some((domain) => prefix === domain || prefix.endsWith(`.${domain}`));
}

/** The user's labels of `md` that children inherit (everything outside the reserved keys and domains). */
export function inheritedLabels(md: ModelDeployment): Record<string, string> {
  const labels = md.metadata.labels ?? {};
  return Object.fromEntries(Object.entries(labels).filter(([key]) => !isReserved(key)));
}

/** Labels of a revision's objects and pods: the revision and the label-safe model version. */
export function revisionLabels(md: ModelDeployment, revision: string): Record<string, string> {
  return { [LABEL_REVISION]: revision, [LABEL_MODEL_VERSION]: toLabelValue(resolveModelVersion(md)) };
}

/**
 * Metadata of a child named `name`: the namespace of `md` (omitted when `md` has none, for
 * rendering), inherited labels overridden by childLabels and `extraLabels`, and the controller
 * owner reference. Annotations are not copied: kubectl's and tools' annotations would follow.
 */
export function childMetadata(md: ModelDeployment, name: string, extraLabels: Record<string, string> = {}): V1ObjectMeta {
  const mdName = md.metadata.name ?? "";
  const namespace = md.metadata.namespace;
  return {
    name,
    ...(namespace !== undefined && { namespace }),
    labels: { ...inheritedLabels(md), ...childLabels(mdName), ...extraLabels },
    ownerReferences: [ownerReference(md)],
  };
}
