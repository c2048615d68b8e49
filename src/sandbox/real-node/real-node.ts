import { spawn } from "node:child_process";
import { appendFile, mkdir } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { SandboxError } from "../errors.ts";
import type { KubectlResult } from "../kubectl.ts";
import type { Pki } from "../pki.ts";
import { freePorts } from "../ports.ts";
import { isAlive, REAL_NODE_TEARDOWN, type ManagedProcess } from "../processes.ts";
import { importImages, startContainerd, waitForContainerd } from "./containerd.ts";
import { exists, recordHostState, snapshotHostState } from "./host-state.ts";
import { REAL_NODE_NAME } from "./identity.ts";
import { startKubeProxy } from "./kube-proxy.ts";
import { startKubelet } from "./kubelet.ts";
import { claimBridge, setupNetwork } from "./network.ts";
import { nodePaths, type NodePaths } from "./paths.ts";

/** What state.json says about the real node. */
export interface RealNodeInfo {
  name: string;
  /** As the Node reports it, e.g. containerd://2.4.2. */
  containerRuntimeVersion: string;
  kubeletVersion: string;
}

export interface RealNodeOptions {
  clusterDir: string;
  binDir: string;
  pki: Pki;
  /** The apiserver as host processes reach it (https://127.0.0.1:<port>). */
  apiServerUrl: string;
  /**
   * Resolves once the apiserver serves; the runtime starts and imports images before that.
   * If it rejects, `start` rejects after the runtime is up or failed (so teardown never races it).
   */
  apiServerReady: Promise<void>;
  /** Image archives to import (scripts/images); must include the pause image. */
  images: string[];
  kubectl: (args: string[], input?: string) => Promise<KubectlResult>;
  log: (message: string) => void;
}

/** Lets the apiserver (CN kube-apiserver-kubelet-client) use the kubelet API: logs, exec, metrics. */
const KUBELET_CLIENT_BINDING = {
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "ClusterRoleBinding",
  metadata: { name: "mdo-sandbox:kube-apiserver-kubelet-client" },
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:kubelet-api-admin" },
  subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "kube-apiserver-kubelet-client" }],
};

/**
 * Host half of the node, to run before the apiserver starts (it advertises the bridge address):
 * snapshots the host, claims the bridge, records the snapshot for teardown in the node dir, then
 * creates the rest of the network. If the bridge is taken, nothing is changed or recorded (the
 * node dir does not exist, so teardown leaves the other node alone); after that, on failure, the
 * caller runs `teardownRealNode`, which undoes whatever part was done.
 */
export async function prepareRealNodeHost(clusterDir: string): Promise<void> {
  const paths = nodePaths(clusterDir);
  const snapshot = await snapshotHostState();
  await claimBridge();
  await mkdir(paths.root, { recursive: true });
  await recordHostState(paths.hostState, snapshot);
  await setupNetwork(paths);
}

/**
 * A real node (containerd + runc + kubelet + kube-proxy on the host bridge) beside kwok's fake
 * one. Its processes are not in the control plane's pid file: they are stopped, and the host
 * restored, only by scripts/real-node-teardown (`stop`, or the reaper if the owner died).
 */
export class RealNode {
  readonly info: RealNodeInfo;
  private readonly clusterDir: string;

  private constructor(clusterDir: string, info: RealNodeInfo) {
    this.clusterDir = clusterDir;
    this.info = info;
  }

  /**
   * Starts containerd and imports the images (needs only `prepareRealNodeHost`), then, once the
   * apiserver serves, kubelet and kube-proxy, and resolves when the Node is Ready and schedulable
   * and every image is imported.
   */
  static async start(o: RealNodeOptions): Promise<RealNode> {
    const paths = nodePaths(o.clusterDir);
    const started: ManagedProcess[] = [];
    const record = async (p: ManagedProcess): Promise<void> => {
      started.push(p);
      await appendFile(paths.pidFile, `${p.name} ${p.pid}\n`);
    };
    let t = Date.now();
    const containerd = await startContainerd(paths, o.binDir);
    await record(containerd);
    o.log(`containerd ${await waitForContainerd(paths, o.binDir, containerd)} up in ${Date.now() - t} ms`);
    const importStarted = Date.now();
    const imported = importImages(paths, o.binDir, o.images).then((names) => {
      for (const name of names) o.log(`Imported image ${name}`);
      o.log(`${o.images.length} image archive(s) imported in ${Date.now() - importStarted} ms`);
    });
    imported.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    try {
      await o.apiServerReady;
      const bound = await o.kubectl(["apply", "-f", "-"], JSON.stringify(KUBELET_CLIENT_BINDING));
      if (bound.code !== 0) throw new SandboxError(`Could not bind the apiserver's kubelet client: ${bound.stderr.trim()}`);
      const [server, healthz, proxyHealthz, proxyMetrics] = await freePorts(4);
      t = Date.now();
      await record(await startKubelet(paths, o.binDir, o.pki, o.apiServerUrl, { server: server!, healthz: healthz! }));
      await record(await startKubeProxy(paths, o.binDir, o.pki, o.apiServerUrl, { healthz: proxyHealthz!, metrics: proxyMetrics! }));
      const info = await waitForReadyNode(o.kubectl, started, paths);
      o.log(`Node ${REAL_NODE_NAME} Ready (${info.containerRuntimeVersion}, kubelet ${info.kubeletVersion}) ${Date.now() - t} ms after kubelet started`);
      await imported;
      return new RealNode(o.clusterDir, info);
    } catch (error) {
      await imported.catch(() => undefined); // teardown must not race an import still running
      throw error;
    }
  }

  /** Stops the node's processes and pods and restores the host (scripts/real-node-teardown). */
  async stop(): Promise<void> {
    await teardownRealNode(this.clusterDir);
  }
}

/**
 * Runs scripts/real-node-teardown on `clusterDir`: idempotent, and a no-op when no real node was
 * ever prepared there. Fails (SandboxError with the script's output) if something could not be
 * undone, e.g. a mount under the cluster directory; the directory must then not be deleted.
 */
export async function teardownRealNode(clusterDir: string): Promise<void> {
  if (!(await exists(nodePaths(clusterDir).root))) return;
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve, reject) => {
    const child = spawn("bash", [REAL_NODE_TEARDOWN, clusterDir], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.once("error", reject);
    child.once("close", (exit) => resolve({ code: exit ?? -1, output }));
  });
  if (code !== 0) throw new SandboxError(`scripts/real-node-teardown ${clusterDir} failed (exit ${code}):\n${output.trim()}`);
}

interface NodeStatus {
  spec?: { taints?: { key: string }[] };
  status?: {
    conditions?: { type: string; status: string }[];
    nodeInfo?: { containerRuntimeVersion?: string; kubeletVersion?: string };
  };
}

async function waitForReadyNode(kubectl: RealNodeOptions["kubectl"], processes: ManagedProcess[], paths: NodePaths): Promise<RealNodeInfo> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const got = await kubectl(["get", "node", REAL_NODE_NAME, "-o", "json"]);
    if (got.code === 0) {
      const node = JSON.parse(got.stdout) as NodeStatus;
      const ready = node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
      const notReadyTaint = node.spec?.taints?.some((t) => t.key.startsWith("node.kubernetes.io/")) ?? false;
      if (ready && !notReadyTaint) {
        return {
          name: REAL_NODE_NAME,
          containerRuntimeVersion: node.status?.nodeInfo?.containerRuntimeVersion ?? "",
          kubeletVersion: node.status?.nodeInfo?.kubeletVersion ?? "",
        };
      }
    }
    const dead = processes.find((p) => !isAlive(p.pid));
    if (dead !== undefined) throw new SandboxError(`${dead.name} exited while waiting for Node ${REAL_NODE_NAME}; see ${paths.logs}/${dead.name}.log`);
    await sleep(200);
  }
  throw new SandboxError(`Node ${REAL_NODE_NAME} was not Ready within 90 s; see ${paths.logs}/kubelet.log`);
}

