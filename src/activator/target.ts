// Which ModelDeployment a request is for, read from its Host header. The activator stands in for
// a ModelDeployment's Service while it has no ready pod, so the Host a client used to reach that
// Service names the ModelDeployment.

/** A ModelDeployment the activator holds or forwards requests for. */
export interface ActivationTarget {
  readonly namespace: string;
  readonly name: string;
}

export interface TargetOptions {
  /** The namespace of a bare `<name>` Host (the namespace the client's own pod runs in). */
  readonly defaultNamespace: string;
  /** The cluster's DNS domain; default "cluster.local". */
  readonly clusterDomain?: string;
}

export const DEFAULT_CLUSTER_DOMAIN = "cluster.local";

/** An RFC 1123 DNS label, the shape of both a namespace and a Service (ModelDeployment) name. */
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** `namespace/name`: the one string form of a target (map keys, logs). */
export function targetKey(target: ActivationTarget): string {
  return `${target.namespace}/${target.name}`;
}

/**
 * The target a Host header names, or undefined when it has none of the Service forms
 * `<name>`, `<name>.<namespace>`, `<name>.<namespace>.svc`, `<name>.<namespace>.svc.<clusterDomain>`
 * (any of them with a `:port` suffix, case-insensitive, one trailing dot allowed). IP literals,
 * other domains and labels that are not DNS labels name no target.
 */
export function parseTarget(host: string | undefined, options: TargetOptions): ActivationTarget | undefined {
  if (host === undefined) return undefined;
  const hostname = withoutPort(host.trim().toLowerCase());
  if (hostname === undefined || hostname === "") return undefined;
  const labels = (hostname.endsWith(".") ? hostname.slice(0, -1) : hostname).split(".");
  const [name, namespace, svc, ...domain] = labels;
  if (name === undefined || !DNS_LABEL.test(name)) return undefined;
  if (namespace === undefined) return { namespace: options.defaultNamespace, name };
  if (!DNS_LABEL.test(namespace)) return undefined;
  if (svc === undefined) return { namespace, name };
  if (svc !== "svc") return undefined;
  if (domain.length === 0 || domain.join(".") === (options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN).toLowerCase()) return { namespace, name };
  return undefined;
}

/** The host without its `:port`; undefined for a malformed port or a bracketed IPv6 literal. */
function withoutPort(host: string): string | undefined {
  if (host.startsWith("[")) return undefined;
  const colon = host.indexOf(":");
  if (colon < 0) return host;
  return /^\d{1,5}$/.test(host.slice(colon + 1)) ? host.slice(0, colon) : undefined;
}
