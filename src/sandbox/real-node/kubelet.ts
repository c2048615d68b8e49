import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { REAL_NODE_IP } from "../addresses.ts";
import { renderKubeconfig } from "../kubeconfig.ts";
import { signCertificate, type Pki } from "../pki.ts";
import { startProcess, type ManagedProcess } from "../processes.ts";
import { REAL_NODE_LABEL, REAL_NODE_NAME, REAL_NODE_TAINT } from "./identity.ts";
import type { NodePaths } from "./paths.ts";

export interface KubeletPorts {
  /** The kubelet API on REAL_NODE_IP (logs, exec, metrics through the apiserver). */
  server: number;
  /** /healthz on 127.0.0.1. */
  healthz: number;
}

/**
 * KubeletConfiguration for a kubelet that shares the host with the rest of the test machine:
 * cgroup v1 accepted, cgroupfs (no systemd), swap tolerated, evictions only when the disk is
 * really full, no read-only port, its API authenticated (client certificates from the cluster
 * CA, bearer tokens through TokenReview; anonymous off) and authorized by the apiserver
 * (SubjectAccessReview), health on loopback, pod logs and volume plugins under the node dir,
 * no iptables chains of its own (kube-proxy makes what it needs), and a resolv.conf with no
 * nameserver: pods never ask the machine's resolver.
 */
export function kubeletConfig(paths: NodePaths, pki: Pki, ports: KubeletPorts, servingCert: { cert: string; key: string }): object {
  return {
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    address: REAL_NODE_IP,
    port: ports.server,
    readOnlyPort: 0,
    healthzBindAddress: "127.0.0.1",
    healthzPort: ports.healthz,
    tlsCertFile: servingCert.cert,
    tlsPrivateKeyFile: servingCert.key,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: pki.caCert },
    },
    authorization: { mode: "Webhook" },
    containerRuntimeEndpoint: `unix://${paths.containerdSocket}`,
    cgroupDriver: "cgroupfs",
    failCgroupV1: false,
    failSwapOn: false,
    makeIPTablesUtilChains: false,
    resolvConf: paths.resolvConf,
    clusterDomain: "cluster.local",
    podLogsDir: paths.podLogsDir,
    volumePluginDir: join(paths.kubeletRoot, "volume-plugins"),
    registerNode: true,
    registerWithTaints: [REAL_NODE_TAINT],
    serializeImagePulls: false,
    evictionHard: { "memory.available": "50Mi", "nodefs.available": "1%", "nodefs.inodesFree": "1%", "imagefs.available": "1%" },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    nodeStatusUpdateFrequency: "5s",
    logging: { format: "text" },
  };
}

/**
 * Writes the kubelet's config, kubeconfig (the node's static token), serving certificate (signed
 * by the cluster CA for REAL_NODE_IP, so the apiserver verifies it) and resolv.conf, then starts it.
 * Registration, readiness and the node's version are the caller's to wait for.
 */
export async function startKubelet(paths: NodePaths, binDir: string, pki: Pki, apiServerUrl: string, ports: KubeletPorts): Promise<ManagedProcess> {
  await mkdir(paths.kubeletPki, { recursive: true });
  await mkdir(paths.podLogsDir, { recursive: true });
  const servingCert = await signCertificate(pki.dir, {
    name: "kubelet-serving", subject: `/CN=${REAL_NODE_NAME}`, usage: "serverAuth", keyType: "ec",
    sans: [`IP:${REAL_NODE_IP}`, `DNS:${REAL_NODE_NAME}`],
  });
  await writeFile(paths.resolvConf, "search cluster.local\n");
  await writeFile(paths.kubeletConfig, JSON.stringify(kubeletConfig(paths, pki, ports, servingCert), null, 2));
  await writeFile(paths.kubeletKubeconfig, renderKubeconfig(apiServerUrl, pki.caCert, pki.nodeToken, "mdo-real-node"), { mode: 0o600 });
  return startProcess("kubelet", join(binDir, "kubelet"), [
    `--config=${paths.kubeletConfig}`,
    `--kubeconfig=${paths.kubeletKubeconfig}`,
    `--root-dir=${paths.kubeletRoot}`,
    `--hostname-override=${REAL_NODE_NAME}`,
    `--node-ip=${REAL_NODE_IP}`,
    `--node-labels=${REAL_NODE_LABEL.key}=${REAL_NODE_LABEL.value}`,
  ], paths.logs);
}
