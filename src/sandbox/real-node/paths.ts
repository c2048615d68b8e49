import { join } from "node:path";

/**
 * Where the real node keeps everything, all under `<clusterDir>/real-node` (sockets included),
 * so deleting the cluster directory after teardown leaves nothing behind. scripts/real-node-teardown
 * relies on `pids`, `host-state`, the containerd socket and the kubelet root dir being where this says.
 */
export interface NodePaths {
  root: string;
  /** Shared with the control plane: <name>.log per process. */
  logs: string;
  /** One `<name> <pid>` line per started process (containerd, kubelet, kube-proxy). */
  pidFile: string;
  /** What setup changed on the host and the values to restore (see host-state.ts). */
  hostState: string;
  containerdConfig: string;
  containerdRoot: string;
  containerdState: string;
  containerdSocket: string;
  /** hosts.toml per registry host; `_default` sends every registry to a closed loopback port. */
  registryConfigDir: string;
  /**
   * Shim sockets: containerd accepts at most 42 characters here (a socket path must fit in 108
   * bytes), so under the node dir when that is short enough, else SHIM_SOCKET_FALLBACK.
   */
  shimSocketDir: string;
  runcRoot: string;
  cniConfDir: string;
  cniIpamDir: string;
  kubeletRoot: string;
  kubeletConfig: string;
  kubeletKubeconfig: string;
  kubeletPki: string;
  podLogsDir: string;
  resolvConf: string;
  proxyConfig: string;
  proxyKubeconfig: string;
}

/** containerd's limit for `socket_dir` (core/runtime/v2/socket_linux.go). */
const MAX_SHIM_SOCKET_DIR = 42;
/** One real node per machine, so one fixed short directory will do; teardown removes it. */
export const SHIM_SOCKET_FALLBACK = "/run/mdo-real-node/s";

export function nodePaths(clusterDir: string): NodePaths {
  const root = join(clusterDir, "real-node");
  const p = (...parts: string[]): string => join(root, ...parts);
  return {
    root,
    logs: join(clusterDir, "logs"),
    pidFile: p("pids"),
    hostState: p("host-state"),
    containerdConfig: p("containerd", "config.toml"),
    containerdRoot: p("containerd", "root"),
    containerdState: p("containerd", "state"),
    containerdSocket: p("containerd", "containerd.sock"),
    registryConfigDir: p("containerd", "certs.d"),
    shimSocketDir: p("s").length <= MAX_SHIM_SOCKET_DIR ? p("s") : SHIM_SOCKET_FALLBACK,
    runcRoot: p("containerd", "runc"),
    cniConfDir: p("cni", "net.d"),
    cniIpamDir: p("cni", "ipam"),
    kubeletRoot: p("kubelet"),
    kubeletConfig: p("kubelet-config.yaml"),
    kubeletKubeconfig: p("kubelet.kubeconfig"),
    kubeletPki: p("pki"),
    podLogsDir: p("pod-logs"),
    resolvConf: p("resolv.conf"),
    proxyConfig: p("kube-proxy-config.yaml"),
    proxyKubeconfig: p("kube-proxy.kubeconfig"),
  };
}
