// Helpers for tests that drive ModelDeployments through kubectl.
import { kubectlOk, waitFor, type TestCluster } from "./cluster.ts";

export interface MdepCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

export interface MdepView {
  metadata: { name: string; uid: string; generation: number };
  spec: Record<string, unknown>;
  status?: {
    observedGeneration?: number;
    phase?: string;
    conditions?: MdepCondition[];
    readyReplicas?: number;
    replicas?: number;
    stable?: { revision?: string; modelVersion?: string };
    lastFailure?: { reason: string; message: string; time?: string };
  };
}

export async function getMdep(cluster: TestCluster, ns: string, name: string): Promise<MdepView> {
  return JSON.parse(await kubectlOk(cluster, ["get", "mdep", name, "-n", ns, "-o", "json"])) as MdepView;
}

export function condition(md: MdepView, type: string): MdepCondition | undefined {
  return md.status?.conditions?.find((c) => c.type === type);
}

/** A minimal valid ModelDeployment (custom image, fixed replicas) for behaviour tests. */
export function minimalMdep(name: string, ns: string, overrides: { image?: string; replicas?: number; version?: string; runtime?: string } = {}): string {
  const spec: Record<string, unknown> = {
    model: { uri: `s3://models/${name}/${overrides.version ?? "v1"}`, format: overrides.runtime === undefined ? "custom" : "sklearn", version: overrides.version ?? "v1" },
    replicas: overrides.replicas ?? 1,
  };
  if (overrides.runtime === undefined) spec.image = overrides.image ?? "registry.example/model-server:1.0";
  else (spec.model as Record<string, unknown>).runtime = overrides.runtime;
  return JSON.stringify({ apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", metadata: { name, namespace: ns }, spec });
}

/** Waits until `check(md)` holds, returning the ModelDeployment that satisfied it. */
export async function waitForMdep(cluster: TestCluster, ns: string, name: string, what: string, check: (md: MdepView) => boolean, timeoutMs = 60_000): Promise<MdepView> {
  let last: MdepView | undefined;
  try {
    await waitFor(`${name}: ${what}`, timeoutMs, async () => {
      last = await getMdep(cluster, ns, name);
      return check(last);
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}; last status: ${JSON.stringify(last?.status)}`, { cause: error });
  }
  return last!;
}

/** Reads one counter family from a Prometheus text page, summed over series matching `labels`. */
export function sumMetric(page: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of page.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}

export async function scrape(healthAddress: string): Promise<string> {
  const res = await fetch(`http://${healthAddress}/metrics`);
  return res.text();
}

/**
 * Records every version of one ModelDeployment from a watch, so a test can assert on transient
 * states (e.g. Reconciling) that polling could miss.
 */
export async function recordVersions(cluster: TestCluster, ns: string, name: string): Promise<{ stop(): Promise<MdepView[]> }> {
  const { KubeClient } = await import("../../src/runtime/client/kube-client.ts");
  const { KubeTransport } = await import("../../src/runtime/client/transport.ts");
  const { loadClusterAccess } = await import("../../src/runtime/client/access/load.ts");
  const { MODEL_DEPLOYMENTS } = await import("../../src/controllers/modeldeployment/resource.ts");
  const client = new KubeClient(new KubeTransport(await loadClusterAccess({ kubeconfig: cluster.kubeconfigPath })));
  const start = await client.list(MODEL_DEPLOYMENTS, { namespace: ns });
  const seen: MdepView[] = [];
  const abort = new AbortController();
  const watching = client.watch<MdepView & { metadata: { name: string } }>(MODEL_DEPLOYMENTS, {
    namespace: ns, resourceVersion: start.resourceVersion, timeoutSeconds: 300, idleTimeoutMs: 600_000, signal: abort.signal,
  }, (event) => {
    if (event.object.metadata.name === name && event.type !== "BOOKMARK") seen.push(event.object);
  });
  return {
    stop: async () => {
      abort.abort();
      await watching.catch(() => undefined);
      client.transport.close();
      return seen;
    },
  };
}
