// How the CLI's read commands (get, list) reach the cluster: kubectl's order of kubeconfig
// sources, the context's namespace as the default, one client whose requests share a signal.
import { loadClusterAccess } from "../runtime/client/access/load.ts";
import { KubeClient } from "../runtime/client/kube-client.ts";
import { KubeTransport } from "../runtime/client/transport.ts";

export interface CliConnection {
  readonly client: KubeClient;
  /** `--namespace`, else the kubeconfig context's, else "default". */
  readonly namespace: string;
  /** Closes the transport's connections; call once, when done. */
  close(): void;
}

/**
 * Connects as kubectl would: `kubeconfig` when given, else KUBECONFIG or ~/.kube/config, and a
 * pod's service account last. Throws ClusterAccessError when no configuration is found.
 */
export async function connect(options: { kubeconfig?: string; namespace?: string; signal?: AbortSignal }): Promise<CliConnection> {
  const access = await loadClusterAccess(options.kubeconfig === undefined ? { inClusterFirst: false } : { kubeconfig: options.kubeconfig });
  const transport = new KubeTransport(access);
  return {
    client: new KubeClient(transport, options.signal),
    namespace: options.namespace ?? access.namespace ?? "default",
    close: () => transport.close(),
  };
}
