import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { KWOK_POD_CIDR, REAL_NODE_IP, SERVICE_CIDR } from "./addresses.ts";
import type { Pki } from "./pki.ts";

/** Ports of one local control plane, all on 127.0.0.1. */
export interface Ports {
  etcdClient: number;
  etcdPeer: number;
  apiServer: number;
  controllerManager: number;
  scheduler: number;
}

/** Everything the command lines depend on. */
export interface Layout {
  dir: string;
  binDir: string;
  kwokStagesDir: string;
  kubeconfigPath: string;
  ports: Ports;
  pki: Pki;
  /**
   * A real node runs beside kwok: the apiserver also listens where pods reach it (the bridge
   * address, through the `kubernetes` Service), authorizes kubelets (Node, NodeRestriction) and
   * talks to the kubelet with its client certificate.
   */
  realNode?: boolean;
  /** Flags appended to a component's command line (benchmarks raise the controllers' API QPS with them). */
  extraArgs?: Partial<Record<ComponentName, readonly string[]>>;
}

export type ComponentName =
  | "etcd"
  | "kube-apiserver"
  | "kube-controller-manager"
  | "kube-scheduler"
  | "kwok";

export interface ComponentSpec {
  name: ComponentName;
  command: string;
  args: string[];
  /** Endpoint that answers 200 once the component serves; none for kwok. */
  health?: { url: string; caFile?: string };
}

/** MDO's extra kwok stages: pods whose image names a simulated failure fail like real ones. */
export const SIMULATED_FAILURE_STAGES = fileURLToPath(new URL("./kwok/simulate-failures.yaml", import.meta.url));

/** Pod IP pool handed out by kwok; nothing answers there, never contact it. */
export const POD_CIDR = KWOK_POD_CIDR;
export { SERVICE_CIDR };

/** kube-apiserver flags that differ when a real node runs beside kwok. */
function apiServerNetworkFlags(l: Layout): string[] {
  if (l.realNode !== true) {
    return [
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      "--authorization-mode=RBAC",
      // The `kubernetes` Service endpoint would be 127.0.0.1, which Endpoints reject.
      "--endpoint-reconciler-type=none",
    ];
  }
  return [
    // Host clients keep using 127.0.0.1; pods come through the `kubernetes` Service to REAL_NODE_IP.
    "--bind-address=0.0.0.0",
    `--advertise-address=${REAL_NODE_IP}`,
    "--endpoint-reconciler-type=lease",
    "--authorization-mode=Node,RBAC",
    "--enable-admission-plugins=NodeRestriction",
    "--kubelet-preferred-address-types=InternalIP",
    `--kubelet-client-certificate=${l.pki.kubeletClientCert}`,
    `--kubelet-client-key=${l.pki.kubeletClientKey}`,
    `--kubelet-certificate-authority=${l.pki.caCert}`,
  ];
}

/**
 * The command line of each component. Pure: the same layout gives the same commands,
 * so a component can be stopped and started again (apiserver restart tests) unchanged.
 */
export function componentSpecs(l: Layout): Record<ComponentName, ComponentSpec> {
  const specs = baseComponentSpecs(l);
  for (const [name, args] of Object.entries(l.extraArgs ?? {}) as [ComponentName, readonly string[]][]) specs[name].args.push(...args);
  return specs;
}

function baseComponentSpecs(l: Layout): Record<ComponentName, ComponentSpec> {
  const bin = (name: string): string => join(l.binDir, name);
  const etcdUrl = `http://127.0.0.1:${l.ports.etcdClient}`;
  const peerUrl = `http://127.0.0.1:${l.ports.etcdPeer}`;
  const kubeconfigFlags = [
    `--kubeconfig=${l.kubeconfigPath}`,
    `--authentication-kubeconfig=${l.kubeconfigPath}`,
    `--authorization-kubeconfig=${l.kubeconfigPath}`,
  ];
  return {
    etcd: {
      name: "etcd",
      command: bin("etcd"),
      args: [
        "--name=node0",
        `--data-dir=${join(l.dir, "etcd")}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=node0=${peerUrl}`,
        "--unsafe-no-fsync=true",
        "--log-level=warn",
      ],
      health: { url: `${etcdUrl}/health` },
    },
    "kube-apiserver": {
      name: "kube-apiserver",
      command: bin("kube-apiserver"),
      args: [
        `--etcd-servers=${etcdUrl}`,
        ...apiServerNetworkFlags(l),
        `--secure-port=${l.ports.apiServer}`,
        `--tls-cert-file=${l.pki.servingCert}`,
        `--tls-private-key-file=${l.pki.servingKey}`,
        `--client-ca-file=${l.pki.caCert}`,
        `--token-auth-file=${l.pki.tokenFile}`,
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        `--service-account-key-file=${l.pki.serviceAccountKey}`,
        `--service-account-signing-key-file=${l.pki.serviceAccountKey}`,
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        "--allow-privileged=true",
        "--profiling=false",
      ],
      health: { url: `https://127.0.0.1:${l.ports.apiServer}/readyz`, caFile: l.pki.caCert },
    },
    "kube-controller-manager": {
      name: "kube-controller-manager",
      command: bin("kube-controller-manager"),
      args: [
        ...kubeconfigFlags,
        "--bind-address=127.0.0.1",
        `--secure-port=${l.ports.controllerManager}`,
        "--leader-elect=false",
        "--controllers=*",
        "--use-service-account-credentials=false",
        `--service-account-private-key-file=${l.pki.serviceAccountKey}`,
        `--root-ca-file=${l.pki.caCert}`,
        "--horizontal-pod-autoscaler-sync-period=2s",
        "--horizontal-pod-autoscaler-downscale-stabilization=10s",
        "--profiling=false",
      ],
      health: { url: `https://127.0.0.1:${l.ports.controllerManager}/healthz` },
    },
    "kube-scheduler": {
      name: "kube-scheduler",
      command: bin("kube-scheduler"),
      args: [
        ...kubeconfigFlags,
        "--bind-address=127.0.0.1",
        `--secure-port=${l.ports.scheduler}`,
        "--leader-elect=false",
        "--profiling=false",
      ],
      health: { url: `https://127.0.0.1:${l.ports.scheduler}/healthz` },
    },
    kwok: {
      name: "kwok",
      command: bin("kwok"),
      args: [
        `--kubeconfig=${l.kubeconfigPath}`,
        // Node initialisation + heartbeat through Leases, pods Ready at once, Job pods complete.
        `--config=${join(l.kwokStagesDir, "fast")}`,
        `--config=${SIMULATED_FAILURE_STAGES}`,
        // Only its own fake node: the real node's kubelet reports for itself.
        "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
        "--node-lease-duration-seconds=40",
        `--cidr=${POD_CIDR}`,
      ],
    },
  };
}

/**
 * A fake Node that kwok manages: schedulable without tolerations, generous capacity — a pool's
 * worth (1000 CPUs), since every model server without resources requests its runtime's default
 * (1 CPU) and the tests' namespaces share the node.
 */
export function fakeNodeManifest(name: string): string {
  const node = {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      annotations: { "node.alpha.kubernetes.io/ttl": "0", "kwok.x-k8s.io/node": "fake" },
      labels: {
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        type: "kwok",
      },
    },
    status: {
      allocatable: { cpu: "1000", memory: "4Ti", pods: "500", "nvidia.com/gpu": "4" },
      capacity: { cpu: "1000", memory: "4Ti", pods: "500", "nvidia.com/gpu": "4" },
    },
  };
  return JSON.stringify(node);
}
