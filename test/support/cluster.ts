// The cluster shared by one integration test run; each test works in its own namespace.
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { KubeConfig } from "@kubernetes/client-node";
import { LocalControlPlane, type ControlPlaneState } from "../../src/sandbox/control-plane.ts";
import { runKubectl, type KubectlResult } from "../../src/sandbox/kubectl.ts";

export const CLUSTER_DIR_ENV = "MDO_TEST_CLUSTER_DIR";
/**
 * Why the cluster has no real node (unset when it has one): set by the global setup, or before the
 * run by a developer who wants none (then the global setup does not start one).
 */
export const NO_REAL_NODE_ENV = "MDO_TEST_NO_REAL_NODE";

export interface TestCluster {
  dir: string;
  kubeconfigPath: string;
  kubectlPath: string;
  /** kube-apiserver's reported version, e.g. v1.37.2. */
  version: string;
  kubeConfig: KubeConfig;
  state: ControlPlaneState;
  kubectl(args: string[], opts?: { input?: string }): Promise<KubectlResult>;
}

let cached: Promise<TestCluster> | undefined;

/** The run's cluster, started by test/support/global-setup.ts (npm run test:integration). */
export function sharedCluster(): Promise<TestCluster> {
  cached ??= connect();
  return cached;
}

async function connect(): Promise<TestCluster> {
  const dir = process.env[CLUSTER_DIR_ENV];
  if (dir === undefined) {
    throw new Error(`${CLUSTER_DIR_ENV} is not set: run integration tests with npm run test:integration`);
  }
  const state = await LocalControlPlane.readState(dir);
  if (state === null) throw new Error(`No control plane state in ${dir}`);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(state.kubeconfigPath);
  return {
    dir,
    kubeconfigPath: state.kubeconfigPath,
    kubectlPath: state.kubectlPath,
    version: state.version,
    kubeConfig,
    state,
    kubectl: (args, opts) => runKubectl(state.kubectlPath, state.kubeconfigPath, args, opts?.input),
  };
}

/** Runs kubectl and fails with its stderr unless it exits 0. */
export async function kubectlOk(cluster: TestCluster, args: string[], input?: string): Promise<string> {
  const result = await cluster.kubectl(args, input === undefined ? undefined : { input });
  if (result.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

/**
 * Creates a namespace unique to one test (`<prefix>-<random>`) and waits for its default
 * ServiceAccount, so pods can be created in it at once.
 */
export async function createNamespace(cluster: TestCluster, prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString("hex")}`;
  await kubectlOk(cluster, ["create", "namespace", name]);
  await waitFor(`ServiceAccount default in ${name}`, 30_000, async () =>
    (await cluster.kubectl(["get", "serviceaccount", "default", "-n", name])).code === 0);
  return name;
}

/** Polls `check` every 200 ms until it returns true; fails after `timeoutMs`. */
export async function waitFor(what: string, timeoutMs: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(200);
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}
