// A fresh local cluster for one phase of the benchmark: the sandbox's control plane (etcd,
// kube-apiserver, controller-manager, scheduler, kwok) with the CRD installed and enough kwok
// nodes for the pods. The built-in controllers and the scheduler get a high API rate limit, so
// what is measured is the client under test, not the Deployment controller's default 20 QPS.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { resolveAssets } from "../../src/sandbox/assets.ts";
import { LocalControlPlane } from "../../src/sandbox/control-plane.ts";
import { fakeNodeManifest } from "../../src/sandbox/components.ts";
import { installCrd, CRD_FILES } from "../../src/sandbox/session.ts";
import { KubeClient } from "../../src/runtime/client/kube-client.ts";
import { loadClusterAccess } from "../../src/runtime/client/access/load.ts";
import { KubeTransport } from "../../src/runtime/client/transport.ts";
import type { Progress } from "../agent/progress.ts";

/** Pods per extra kwok node (the sandbox's own node takes 500 more). */
const PODS_PER_NODE = 1000;

/** The controllers' and the scheduler's API rate limits in the benchmark's clusters. */
export const CONTROL_PLANE_QPS = { qps: 1000, burst: 2000 } as const;

export interface BenchCluster {
  readonly plane: LocalControlPlane;
  /** An unthrottled client for the benchmark's own requests (creating objects, watching). */
  readonly client: KubeClient;
  readonly nodes: number;
  stop(): Promise<void>;
}

export async function startBenchCluster(label: string, pods: number, progress: Progress): Promise<BenchCluster> {
  const dir = await mkdtemp(join(tmpdir(), `mdo-bench-operator-${label}-`));
  const qps = [`--kube-api-qps=${CONTROL_PLANE_QPS.qps}`, `--kube-api-burst=${CONTROL_PLANE_QPS.burst}`];
  const plane = await LocalControlPlane.start({
    dir, ...(await resolveAssets()), ownerPid: process.pid,
    extraArgs: {
      "kube-controller-manager": [...qps, "--concurrent-deployment-syncs=20", "--concurrent-replicaset-syncs=20", "--concurrent-gc-syncs=40"],
      "kube-scheduler": qps,
      // The default in-flight limits (400 / 200) can answer 429 to a burst of 1000 creates.
      "kube-apiserver": ["--max-requests-inflight=2000", "--max-mutating-requests-inflight=1000"],
    },
    log: (m) => progress(`[${label} cluster] ${m}`),
  });
  try {
    for (const file of CRD_FILES) await installCrd(plane, resolve(import.meta.dirname, "../..", file));
    const nodes = Math.ceil(pods / PODS_PER_NODE);
    for (let i = 1; i <= nodes; i++) {
      const node = JSON.parse(fakeNodeManifest(`kwok-bench-${i}`)) as { status: { allocatable: Record<string, string>; capacity: Record<string, string> } };
      const capacity = { cpu: "4000", memory: "16Ti", pods: String(PODS_PER_NODE), "nvidia.com/gpu": "0" };
      node.status.allocatable = capacity;
      node.status.capacity = capacity;
      const applied = await plane.kubectl(["apply", "-f", "-"], JSON.stringify(node));
      if (applied.code !== 0) throw new Error(`Could not create kwok node ${i}: ${applied.stderr}`);
    }
    const client = new KubeClient(new KubeTransport(await loadClusterAccess({ kubeconfig: plane.kubeconfigPath })));
    return {
      plane, client, nodes,
      stop: async () => {
        client.transport.close();
        await plane.stop();
      },
    };
  } catch (error) {
    await plane.stop();
    throw error;
  }
}
