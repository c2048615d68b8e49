// Where the client finds its cluster: an explicit kubeconfig, the pod's service account, the
// KUBECONFIG files, ~/.kube/config. Only a kubeconfig the small loader cannot serve (exec plugin,
// auth-provider, proxy-url) loads @kubernetes/client-node.
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { clientNodeAccess } from "./client-node-access.ts";
import { exists, inClusterAccess, SERVICE_ACCOUNT_DIR } from "./in-cluster.ts";
import { kubeconfigAccess, needsClientNode } from "./kubeconfig-access.ts";
import { readKubeconfig } from "./kubeconfig-file.ts";
import { ClusterAccessError, type ClusterAccess } from "./types.ts";

export interface LoadClusterAccessOptions {
  /** A kubeconfig file; when given, the only place looked at. */
  kubeconfig?: string;
  /**
   * Without `kubeconfig`: true (the operator's documented order) tries in-cluster, then the
   * KUBECONFIG files, then ~/.kube/config; false (kubectl's order, for commands people run)
   * tries KUBECONFIG or ~/.kube/config first and in-cluster last.
   */
  inClusterFirst?: boolean;
  /** Default process.env: KUBERNETES_SERVICE_HOST/PORT, KUBECONFIG, HOME. */
  env?: NodeJS.ProcessEnv;
  serviceAccountDir?: string;
  now?: () => number;
}

/**
 * The cluster access to use; throws ClusterAccessError naming the file and field at fault, or
 * every place looked at when none holds a configuration. KUBECONFIG may list files (separated as
 * PATH is); they are merged as kubectl merges them and missing ones are skipped.
 */
export async function loadClusterAccess(options: LoadClusterAccessOptions = {}): Promise<ClusterAccess> {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  if (options.kubeconfig !== undefined) return fromKubeconfig([options.kubeconfig], now);
  const inCluster = (): Promise<ClusterAccess | undefined> => inClusterAccess(env, options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR, now);
  const inClusterFirst = options.inClusterFirst ?? true;
  if (inClusterFirst) {
    const access = await inCluster();
    if (access !== undefined) return access;
  }
  const { files, looked } = await kubeconfigFiles(env);
  if (files.length > 0) return fromKubeconfig(files, now);
  if (!inClusterFirst) {
    const access = await inCluster();
    if (access !== undefined) return access;
  }
  throw new ClusterAccessError(`Found no cluster to connect to: not in a pod (KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT and a service account token), and ${looked}`);
}

async function fromKubeconfig(files: readonly string[], now: () => number): Promise<ClusterAccess> {
  const selection = await readKubeconfig(files);
  const reason = needsClientNode(selection);
  return reason === undefined ? kubeconfigAccess(selection, now) : clientNodeAccess(selection, reason);
}

/** The existing kubeconfig files, and what was looked at (for the error when there is none). */
async function kubeconfigFiles(env: NodeJS.ProcessEnv): Promise<{ files: string[]; looked: string }> {
  const list = env.KUBECONFIG ?? "";
  if (list !== "") {
    const candidates = list.split(delimiter).filter((p) => p !== "");
    const found = await Promise.all(candidates.map(exists));
    return { files: candidates.filter((_, i) => found[i]), looked: `no file of KUBECONFIG (${list}) exists` };
  }
  const home = join(env.HOME ?? homedir(), ".kube", "config");
  return { files: (await exists(home)) ? [home] : [], looked: `KUBECONFIG is not set and ${home} does not exist` };
}
