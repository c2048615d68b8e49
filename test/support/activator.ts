// Runs `mdo activator` as a child process of the test (so a test can kill it like a pod), on the
// real node's bridge address (kube-proxy can send a Service's traffic there; EndpointSlices may
// not hold loopback addresses), and describes it to the cluster the way the chart's Deployment
// and Service would: a selectorless Service with a port named http and one EndpointSlice per
// activator process.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { REAL_NODE_IP } from "../../src/sandbox/addresses.ts";
import { freePorts } from "../../src/sandbox/ports.ts";
import { kubectlOk, waitFor, type TestCluster } from "./cluster.ts";

const MDO = fileURLToPath(new URL("../../src/cmd/mdo.ts", import.meta.url));

export interface ActivatorProcess {
  /** `http://<bridge address>:<port>` of its data path. */
  readonly url: string;
  readonly port: number;
  /** What it wrote on stderr so far (for failure messages). */
  log(): string;
  /** SIGKILL (a crashed pod) or SIGTERM (a deleted pod); resolves when it exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts one activator watching `namespace`'s pods, telling the operator at `operatorHealth` (host:port). */
export async function startActivator(cluster: TestCluster, namespace: string, operatorHealth: string, options: { coldStartTimeoutSeconds?: number } = {}): Promise<ActivatorProcess> {
  const [port = 0, healthPort = 0] = await freePorts(2);
  const child: ChildProcess = spawn(process.execPath, [MDO, "activator",
    `--listen=${REAL_NODE_IP}:${port}`, `--health-address=127.0.0.1:${healthPort}`, `--operator-url=http://${operatorHealth}`,
    `--namespace=${namespace}`, `--kubeconfig=${cluster.kubeconfigPath}`, "--log-level=info",
    ...(options.coldStartTimeoutSeconds === undefined ? [] : [`--cold-start-timeout=${options.coldStartTimeoutSeconds}`]),
  ], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (d: string) => { stderr = (stderr + d).slice(-20_000); });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await waitFor(`activator on ${REAL_NODE_IP}:${port} ready`, 20_000, async () => {
    if (child.exitCode !== null) throw new Error(`activator exited ${child.exitCode}: ${stderr}`);
    return fetch(`http://127.0.0.1:${healthPort}/readyz`).then((r) => r.ok, () => false);
  });
  return {
    url: `http://${REAL_NODE_IP}:${port}`,
    port,
    log: () => stderr,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** The activator Service (selectorless, port http) as the chart makes it, in `namespace`. */
export async function createActivatorService(cluster: TestCluster, namespace: string, name: string): Promise<void> {
  await kubectlOk(cluster, ["apply", "-f", "-"], JSON.stringify({
    apiVersion: "v1", kind: "Service", metadata: { name, namespace },
    spec: { ports: [{ name: "http", port: 80, protocol: "TCP" }] },
  }));
}

/** The EndpointSlice the endpoint controller would keep for one activator pod of the Service. */
export async function publishActivator(cluster: TestCluster, namespace: string, service: string, activator: ActivatorProcess): Promise<void> {
  await kubectlOk(cluster, ["apply", "-f", "-"], JSON.stringify({
    apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice",
    metadata: { name: `${service}-${activator.port}`, namespace, labels: { "kubernetes.io/service-name": service, "endpointslice.kubernetes.io/managed-by": "test.mdo.dev" } },
    addressType: "IPv4",
    endpoints: [{ addresses: [REAL_NODE_IP], conditions: { ready: true } }],
    ports: [{ name: "http", port: activator.port, protocol: "TCP" }],
  }));
}

/** Takes a (dead) activator out of its Service, as the endpoint controller does for a gone pod. */
export async function unpublishActivator(cluster: TestCluster, namespace: string, service: string, activator: ActivatorProcess): Promise<void> {
  await kubectlOk(cluster, ["delete", "endpointslice", "-n", namespace, `${service}-${activator.port}`]);
}
