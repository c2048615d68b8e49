import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { POD_NETWORK_CIDR, REAL_NODE_IP } from "../addresses.ts";
import { renderKubeconfig } from "../kubeconfig.ts";
import type { Pki } from "../pki.ts";
import { startProcess, type ManagedProcess } from "../processes.ts";
import { REAL_NODE_NAME } from "./identity.ts";
import type { NodePaths } from "./paths.ts";

export interface ProxyPorts {
  healthz: number;
  metrics: number;
}

/**
 * KubeProxyConfiguration: iptables mode for the real node's Services, health and metrics on
 * loopback, NodePorts only on the bridge address and never on localhost (so route_localnet stays
 * as it was), and conntrack sysctls left alone (0 = do not set). Syncs at most every 100 ms, so a
 * new endpoint is programmed almost as soon as the EndpointSlice changes.
 */
export function kubeProxyConfig(paths: NodePaths, ports: ProxyPorts): object {
  return {
    apiVersion: "kubeproxy.config.k8s.io/v1alpha1",
    kind: "KubeProxyConfiguration",
    mode: "iptables",
    clientConnection: { kubeconfig: paths.proxyKubeconfig },
    hostnameOverride: REAL_NODE_NAME,
    clusterCIDR: POD_NETWORK_CIDR,
    healthzBindAddress: `127.0.0.1:${ports.healthz}`,
    metricsBindAddress: `127.0.0.1:${ports.metrics}`,
    nodePortAddresses: [`${REAL_NODE_IP}/32`],
    iptables: { localhostNodePorts: false, minSyncPeriod: "100ms", syncPeriod: "30s" },
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: "0s", tcpCloseWaitTimeout: "0s", udpTimeout: "0s", udpStreamTimeout: "0s" },
    logging: { format: "text" },
  };
}

/** Writes kube-proxy's config and kubeconfig (user system:kube-proxy) and starts it. */
export async function startKubeProxy(paths: NodePaths, binDir: string, pki: Pki, apiServerUrl: string, ports: ProxyPorts): Promise<ManagedProcess> {
  await writeFile(paths.proxyConfig, JSON.stringify(kubeProxyConfig(paths, ports), null, 2));
  await writeFile(paths.proxyKubeconfig, renderKubeconfig(apiServerUrl, pki.caCert, pki.proxyToken, "mdo-kube-proxy"), { mode: 0o600 });
  return startProcess("kube-proxy", join(binDir, "kube-proxy"), [`--config=${paths.proxyConfig}`], paths.logs);
}
