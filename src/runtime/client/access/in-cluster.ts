// Cluster access of a pod: the API server from KUBERNETES_SERVICE_HOST/PORT, the service
// account's token (projected and rotated by the kubelet, so re-read every minute) and CA.
import { access, readFile } from "node:fs/promises";
import { isIPv6 } from "node:net";
import { join } from "node:path";
import { ClusterAccessError, type AccessOptions, type ClusterAccess } from "./types.ts";
import { RefreshingFile } from "./refreshing-file.ts";

export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * The pod's access, or undefined when this process does not run in a pod (the environment
 * variables unset, or no token mounted: automountServiceAccountToken false).
 */
export async function inClusterAccess(env: NodeJS.ProcessEnv, dir = SERVICE_ACCOUNT_DIR, now: () => number = Date.now): Promise<ClusterAccess | undefined> {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (host === undefined || host === "" || port === undefined || port === "") return undefined;
  const tokenPath = join(dir, "token");
  if (!(await exists(tokenPath))) return undefined;
  const token = new RefreshingFile(tokenPath, "service account token", now);
  const ca = new RefreshingFile(join(dir, "ca.crt"), "service account CA", now);
  const namespace = await readFile(join(dir, "namespace"), "utf8").then((n) => n.trim(), () => "");
  return {
    server: new URL(`https://${isIPv6(host) ? `[${host}]` : host}:${port}`),
    ...(namespace === "" ? {} : { namespace }),
    source: `in-cluster (${dir})`,
    async requestOptions(): Promise<AccessOptions> {
      const bearer = await token.text();
      if (bearer === "") throw new ClusterAccessError(`The service account token ${tokenPath} is empty`);
      return { ca: await ca.read(), headers: { Authorization: `Bearer ${bearer}` } };
    },
  };
}

export function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}
