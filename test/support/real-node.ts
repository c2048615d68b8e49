// Helpers for tests whose pods run for real on the test cluster's real node (kubelet +
// containerd + runc, started by the global setup beside the kwok node): placing a
// ModelDeployment there, putting a trained model on a claim the pods mount, and talking to
// Services through kube-proxy and to pods at their bridge addresses.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request, type IncomingHttpHeaders } from "node:http";
import { hostPathClaimObjects, trainIrisModel, type TrainedModel } from "../../src/sandbox/iris-model.ts";
import { after, before } from "node:test";
import { createNamespace, kubectlOk, NO_REAL_NODE_ENV, sharedCluster, type TestCluster } from "./cluster.ts";
import { startTestOperator, type TestOperator } from "./operator.ts";
/** Model directories on the host start with this (the pods see them through a hostPath volume). */
export const HOST_MODEL_PREFIX = "mdo-real-model-";

export interface RealNodeInfo {
  name: string;
  containerRuntimeVersion: string;
  kubeletVersion: string;
}

/**
 * The real node of the test cluster, as the API server reports it. Fails (never skips) when the
 * cluster has none: the real-pod tests are part of the suite.
 */
export async function realNode(cluster: TestCluster): Promise<RealNodeInfo> {
  const name = cluster.state.realNode?.name;
  if (name === undefined) throw new Error(`The test cluster has no real node: ${process.env[NO_REAL_NODE_ENV] ?? "see the global setup's output"}`);
  const node = JSON.parse(await kubectlOk(cluster, ["get", "node", name, "-o", "json"])) as {
    status: { nodeInfo: { containerRuntimeVersion: string; kubeletVersion: string } };
  };
  return { name, ...node.status.nodeInfo };
}

/** spec.nodeSelector, spec.tolerations and spec.resources that put a ModelDeployment's pods on the real node. */
export async function realNodePlacement(cluster: TestCluster): Promise<{
  nodeSelector: Record<string, string>;
  tolerations: { key: string; operator: string; effect: string }[];
  resources: { requests: { cpu: string; memory: string } };
}> {
  const { name } = await realNode(cluster);
  const node = JSON.parse(await kubectlOk(cluster, ["get", "node", name, "-o", "json"])) as {
    spec: { taints?: { key: string; effect: string }[] };
  };
  return {
    nodeSelector: { "kubernetes.io/hostname": name },
    tolerations: (node.spec.taints ?? []).map((t) => ({ key: t.key, operator: "Exists", effect: t.effect })),
    // The node has this machine's 2 cores: the runtime's default request (1 CPU per model server)
    // would leave most of a test's pods Pending. A spec that names its own resources replaces these.
    resources: REAL_NODE_RESOURCES,
  };
}

/** Model server resources small enough for several test pods on the real node's 2 cores. */
export const REAL_NODE_RESOURCES = { requests: { cpu: "50m", memory: "128Mi" } };

export interface TrainedIris extends TrainedModel {
  /** Host directory the claim's volume points at (= root). */
  hostDir: string;
  remove(): Promise<void>;
}

/**
 * Trains the iris classifier (scikit-learn, with the same pinned versions as the MLServer image)
 * into a fresh host directory, laid out as MLServer loads it, with model name `name`.
 */
export async function trainIris(name: string, options: { latencyMs?: number } = {}): Promise<TrainedIris> {
  const root = await mkdtemp(join(tmpdir(), HOST_MODEL_PREFIX));
  const trained = await trainIrisModel(root, name, options);
  return { ...trained, hostDir: root, remove: () => rm(root, { recursive: true, force: true }) };
}

/** Overwrites the model file with bytes that are not a model (a "broken model" upload). */
export async function breakModel(model: TrainedIris): Promise<void> {
  await writeFile(join(model.hostDir, model.path, "model.joblib"), "this is not a joblib pickle\n");
}

/**
 * A PersistentVolume (hostPath on the real node, pre-bound) and its claim `claim` in `ns`, so a
 * ModelDeployment can name the model as pvc://<claim>/<path>. Returns a function that deletes
 * the volume (the claim goes with the namespace).
 */
export async function hostPathClaim(cluster: TestCluster, ns: string, claim: string, hostDir: string): Promise<() => Promise<void>> {
  const { name: node } = await realNode(cluster);
  const volume = `${ns}-${claim}`;
  const items = hostPathClaimObjects({ namespace: ns, claim, volume, hostDir, node });
  await kubectlOk(cluster, ["apply", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items }));
  return async () => {
    await cluster.kubectl(["delete", "pv", volume, "--wait=false"]);
  };
}

/** `http://<clusterIP>:<port>` of a Service's named port; reached through kube-proxy's rules. */
export async function serviceUrl(cluster: TestCluster, ns: string, service: string, portName = "http"): Promise<string> {
  const svc = JSON.parse(await kubectlOk(cluster, ["get", "service", service, "-n", ns, "-o", "json"])) as {
    spec: { clusterIP: string; ports: { name?: string; port: number }[] };
  };
  const port = svc.spec.ports.find((p) => p.name === portName)?.port;
  if (port === undefined) throw new Error(`Service ${ns}/${service} has no port named ${portName}`);
  return `http://${svc.spec.clusterIP}:${port}`;
}

export interface HttpAnswer {
  status: number;
  body: string;
  headers?: IncomingHttpHeaders;
}

/**
 * One HTTP request on a connection of its own (no keep-alive), so kube-proxy picks an endpoint
 * for every request; bounded by `timeoutMs`.
 */
export function httpOnce(url: string, options: { method?: string; body?: unknown; timeoutMs?: number; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolvePromise, reject) => {
    const req = request(url, {
      method: options.method ?? (payload === undefined ? "GET" : "POST"),
      agent: false,
      headers: { connection: "close", ...(payload !== undefined && { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }), ...options.headers },
      timeout: options.timeoutMs ?? 10_000,
    }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => (body += d)).on("end", () => resolvePromise({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.once("timeout", () => req.destroy(new Error(`${url}: no answer within ${options.timeoutMs ?? 10_000} ms`)));
    req.once("error", reject);
    req.end(payload);
  });
}

/**
 * httpOnce to a Service that just got its first ready endpoint: kube-proxy may not have
 * programmed it yet, so a refused connection is tried again (every 200 ms, for at most
 * `routedWithinMs`, default 30 s). Any other failure is thrown at once.
 */
export async function httpOnceWhenRouted(url: string, options: Parameters<typeof httpOnce>[1] = {}, routedWithinMs = 30_000): Promise<HttpAnswer> {
  const deadline = Date.now() + routedWithinMs;
  for (;;) {
    try {
      return await httpOnce(url, options);
    } catch (error) {
      if ((error as { code?: string }).code !== "ECONNREFUSED" || Date.now() >= deadline) throw error;
      await new Promise((resolveLater) => setTimeout(resolveLater, 200));
    }
  }
}

/** The class predictions of a V2 inference answer (the first output's data). */
export function predictionsOf(answer: HttpAnswer): number[] {
  if (answer.status !== 200) throw new Error(`inference answered ${answer.status}: ${answer.body}`);
  const parsed = JSON.parse(answer.body) as { outputs?: { data?: number[] }[] };
  const data = parsed.outputs?.[0]?.data;
  if (data === undefined) throw new Error(`inference answer has no outputs: ${answer.body}`);
  return data;
}

export interface PodView {
  metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status: {
    podIP?: string;
    phase?: string;
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
    containerStatuses?: { name: string; ready: boolean; restartCount: number; state?: Record<string, unknown> }[];
  };
}

/** Pods of a ModelDeployment (by the app.kubernetes.io/instance label its children carry). */
export async function podsOf(cluster: TestCluster, ns: string, selector: string): Promise<PodView[]> {
  const list = JSON.parse(await kubectlOk(cluster, ["get", "pods", "-n", ns, "-l", selector, "-o", "json"])) as { items: PodView[] };
  return list.items;
}

/** A container's log with kubelet timestamps (RFC 3339 with nanoseconds at the start of each line). */
export function containerLog(cluster: TestCluster, ns: string, pod: string, container: string): Promise<string> {
  return kubectlOk(cluster, ["logs", "-n", ns, pod, "-c", container, "--timestamps"]);
}

export interface RealModelFixture {
  cluster: TestCluster;
  /** A namespace of the test file's own (restricted Pod Security enforced when asked). */
  ns: string;
  /** The iris model trained for this file, on claim `models` (pvc://models/<model.path>). */
  model: TrainedIris;
  /** The operator in the test process, watching `ns`; absent with `operator: false`. */
  operator: TestOperator | undefined;
}

/**
 * For a test file of real pods: before its tests, a namespace of its own, the iris model trained
 * under the name `name` on a claim `models` on the real node (served with `latencyMs` per inference
 * when given), and (unless `operator: false`) an
 * operator watching the namespace; after them, all of it removed. Fields are set by the first test.
 */
export function useRealModel(prefix: string, name: string, options: { restricted?: boolean; operator?: boolean; latencyMs?: number } = {}): RealModelFixture {
  const fixture = {} as RealModelFixture;
  let deleteVolume: () => Promise<void> = () => Promise.resolve();
  before(async () => {
    fixture.cluster = await sharedCluster();
    fixture.ns = await createNamespace(fixture.cluster, prefix);
    if (options.restricted === true) {
      await kubectlOk(fixture.cluster, ["label", "namespace", fixture.ns, "pod-security.kubernetes.io/enforce=restricted"]);
    }
    fixture.model = await trainIris(name, options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs });
    deleteVolume = await hostPathClaim(fixture.cluster, fixture.ns, "models", fixture.model.hostDir);
    fixture.operator = options.operator === false ? undefined : await startTestOperator(fixture.cluster, fixture.ns);
  });
  after(async () => {
    await fixture.operator?.stop();
    await fixture.cluster?.kubectl(["delete", "namespace", fixture.ns, "--wait=false"]);
    await deleteVolume();
    await fixture.model?.remove();
  });
  return fixture;
}
