// The EndpointSlice locator against the real API server: a Service, pods of two revisions and
// EndpointSlices created by hand (the Service has no selector, so the endpoint controller leaves
// them alone). Pod IPs are never dialled: the address hook maps each pod to a local stand-in of
// its agent's metrics port on 127.0.0.1, and an analysis reads the revision through it.
import { strict as assert } from "node:assert";
import { after, before, test } from "node:test";
import { AgentMetrics } from "../../../src/agent/metrics.ts";
import { AnalysisSpec } from "../../../src/api/analysis.ts";
import { EndpointSliceLocator, createAnalyzer, podLabelsFromApi, type PodEndpoint } from "../../../src/analysis/index.ts";
import { realClock } from "../../../src/runtime/clock.ts";
import { KubeClient } from "../../../src/runtime/client/kube-client.ts";
import { loadClusterAccess } from "../../../src/runtime/client/access/load.ts";
import { KubeTransport } from "../../../src/runtime/client/transport.ts";
import { createNamespace, kubectlOk, sharedCluster } from "../../support/cluster.ts";
import { startStub, type Stub } from "../../unit/analysis/stub-server.ts";

let ns: string;
let client: KubeClient;
const stubs = new Map<string, Stub>();

const pod = (name: string, revision: string) => ({
  apiVersion: "v1", kind: "Pod",
  metadata: { name, labels: { "mdo.dev/model-deployment": "fraud", "mdo.dev/revision": revision } },
  spec: { containers: [{ name: "agent", image: "mdo-agent:test" }] },
});
const endpoint = (name: string, ip: string, ready: boolean) => ({
  addresses: [ip], conditions: { ready }, targetRef: { kind: "Pod", name, namespace: ns },
});
const slice = (name: string, service: string, endpoints: unknown[]) => ({
  apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", addressType: "IPv4",
  metadata: { name, labels: { "kubernetes.io/service-name": service } },
  ports: [{ name: "http", port: 8080, protocol: "TCP" }, { name: "metrics", port: 9090, protocol: "TCP" }],
  endpoints,
});

before(async () => {
  const cluster = await sharedCluster();
  ns = await createNamespace(cluster, "analysis-locator");
  client = new KubeClient(new KubeTransport(await loadClusterAccess({ kubeconfig: cluster.kubeconfigPath })));
  const objects = [
    { apiVersion: "v1", kind: "Service", metadata: { name: "fraud" }, spec: { ports: [{ name: "http", port: 80, targetPort: 8080 }, { name: "metrics", port: 9090, targetPort: 9090 }] } },
    pod("fraud-r2-a", "r2"), pod("fraud-r2-b", "r2"), pod("fraud-r2-c", "r2"), pod("fraud-r1-a", "r1"),
    slice("fraud-1", "fraud", [endpoint("fraud-r2-a", "198.18.200.11", true), endpoint("fraud-r2-c", "198.18.200.13", false), endpoint("fraud-r1-a", "198.18.200.21", true)]),
    slice("fraud-2", "fraud", [endpoint("fraud-r2-b", "198.18.200.12", true), endpoint("fraud-r2-a", "198.18.200.11", true)]),
    slice("other-1", "other", [endpoint("fraud-r2-c", "198.18.200.13", true)]),
  ];
  await kubectlOk(cluster, ["apply", "-n", ns, "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }));
  for (const name of ["fraud-r2-a", "fraud-r2-b"]) {
    const metrics = new AgentMetrics({ model: "fraud", version: "v2", revision: "r2", processMetrics: false });
    metrics.requests.inc({ route: "infer", code: "200" }, name === "fraud-r2-a" ? 30 : 10);
    const text = await metrics.registry.metrics();
    stubs.set(name, await startStub((req) => (req.path === "/metrics" ? { body: text } : { status: 404, body: "{}" })));
  }
});

after(async () => {
  for (const stub of stubs.values()) await stub.close();
  client?.transport.close();
});

test("finds the ready pods of a revision through the Service's EndpointSlices; the hook decides the address", async () => {
  const seen: PodEndpoint[] = [];
  const locator = new EndpointSliceLocator({
    client,
    podLabels: podLabelsFromApi(client),
    address: (e) => {
      seen.push(e);
      return stubs.get(e.pod)?.url ?? "http://127.0.0.1:1";
    },
  });
  const r2 = await locator.locate(ns, "fraud", "r2");
  assert.deepEqual(r2, [{ pod: "fraud-r2-a", url: stubs.get("fraud-r2-a")!.url }, { pod: "fraud-r2-b", url: stubs.get("fraud-r2-b")!.url }]);
  assert.deepEqual(seen.find((e) => e.pod === "fraud-r2-a"), { namespace: ns, pod: "fraud-r2-a", ip: "198.18.200.11", port: 9090 });
  assert.deepEqual((await locator.locate(ns, "fraud", "r1")).map((e) => e.pod), ["fraud-r1-a"]);
  assert.deepEqual(await locator.locate(ns, "fraud", "r3"), []);
  assert.deepEqual(await locator.locate(ns, "missing", "r2"), [], "a Service without slices has no agents");

  const analyzer = createAnalyzer({ locator, clock: realClock });
  const [verdict] = await analyzer.analyze({
    namespace: ns, name: "fraud", revision: "r2", stableRevision: "r1", intervalMs: 60_000,
    analysis: AnalysisSpec.parse({ successRate: { min: 0.99 } }),
  });
  assert.deepEqual([verdict?.status, verdict?.reason, verdict?.value], ["pass", "SuccessRateAtOrAboveMin", 1]);
  assert.match(verdict?.message ?? "", /0 of 40 requests answered 5xx/);
});
