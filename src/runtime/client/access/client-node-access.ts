// Kubeconfigs the small loader does not serve (exec plugins as EKS and GKE use, auth-providers,
// proxies) go through @kubernetes/client-node's KubeConfig, imported only then: the library costs
// about 90 MB of memory and most of a second of start-up.
import type { RequestOptions } from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { ClusterAccessError, type AccessOptions, type ClusterAccess } from "./types.ts";
import type { KubeconfigSelection } from "./kubeconfig-file.ts";

/** Access through client-node for the selection's merged kubeconfig; `reason` says why (for `source`). */
export async function clientNodeAccess(selection: KubeconfigSelection, reason: string): Promise<ClusterAccess> {
  const { KubeConfig: KubeConfigClass } = await import("@kubernetes/client-node");
  const kubeConfig = new KubeConfigClass();
  try {
    // JSON is YAML; the paths in `merged` are already absolute.
    kubeConfig.loadFromString(JSON.stringify(selection.merged));
  } catch (error) {
    throw new ClusterAccessError(`@kubernetes/client-node could not load the kubeconfig ${selection.files.join(", ")}`, { cause: error });
  }
  return accessFromKubeConfig(kubeConfig, `the context "${selection.context.name}" of ${selection.files.join(", ")} (through @kubernetes/client-node for ${reason})`);
}

/** Adapts a loaded KubeConfig (its current context) to ClusterAccess. */
export function accessFromKubeConfig(kubeConfig: KubeConfig, source = "a KubeConfig"): ClusterAccess {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) throw new ClusterAccessError(`${source} has no current cluster`);
  const namespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace;
  const viaProxy = cluster.proxyUrl !== undefined && cluster.proxyUrl !== "";
  return {
    server: new URL(cluster.server),
    ...(namespace === undefined ? {} : { namespace }),
    source,
    async requestOptions(): Promise<AccessOptions> {
      const options: RequestOptions = {};
      await kubeConfig.applyToHTTPSOptions(options);
      const picked: AccessOptions = {};
      if (options.ca !== undefined) picked.ca = options.ca;
      if (options.cert !== undefined) picked.cert = options.cert;
      if (options.key !== undefined) picked.key = options.key;
      if (options.rejectUnauthorized !== undefined) picked.rejectUnauthorized = options.rejectUnauthorized;
      if (options.servername !== undefined) picked.servername = options.servername;
      if (options.auth !== undefined && options.auth !== null) picked.auth = options.auth;
      if (options.headers !== undefined) picked.headers = options.headers as Record<string, string>;
      // client-node's agent is a plain (not kept-alive) one except through a proxy: use it only then.
      if (viaProxy) picked.agent = options.agent;
      return picked;
    },
  };
}
