// A Canary rollout through the GatewayAPI router, end to end with the real operator: the
// HTTPRoute's backendRefs weights follow the steps (10, then 50), the stable keeps its replicas
// while the canary grows with the weight, and after promotion the route sends everything to the
// stable Service, which then selects the new revision. A route MDO did not create is refused.
import { strict as assert } from "node:assert";
import { after, test } from "node:test";
import { KubeClient, type KubeObject } from "../../../src/runtime/client/kube-client.ts";
import { Resources, type ResourceRef } from "../../../src/runtime/client/resource.ts";
import { loadClusterAccess } from "../../../src/runtime/client/access/load.ts";
import { KubeTransport } from "../../../src/runtime/client/transport.ts";
import type { HTTPBackendRef } from "../../../src/traffic/httproute.ts";
import { HTTP_ROUTES } from "../../../src/traffic/resources.ts";
import { kubectlOk, waitFor } from "../../support/cluster.ts";
import { condition, waitForMdep } from "../../support/mdep.ts";
import { useTestOperator } from "../../support/operator.ts";

const env = useTestOperator("traffic-gw");
let client: KubeClient | undefined;
after(() => client?.transport.close());

type Route = KubeObject & { spec: { parentRefs: { name: string }[]; rules: { backendRefs: HTTPBackendRef[] }[] } };

function weightsOf(route: Route): Record<string, number> {
  return Object.fromEntries((route.spec.rules[0]?.backendRefs ?? []).map((b) => [b.name, b.weight]));
}

function manifest(ns: string, version: string): string {
  return JSON.stringify({
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", metadata: { name: "fraud", namespace: ns },
    spec: {
      model: { uri: `s3://models/fraud/${version}`, format: "custom", version },
      image: "registry.example/model-server:1.0",
      replicas: 4,
      rollout: {
        strategy: "Canary",
        steps: [{ weight: 10, pause: "2s" }, { weight: 50, pause: "2s" }],
        trafficRouter: { type: "GatewayAPI", gatewayAPI: { parentRefs: [{ name: "gw" }] } },
      },
    },
  });
}

async function selectorRevision(ns: string, service: string): Promise<string> {
  return kubectlOk(env.cluster, ["get", "service", service, "-n", ns, "-o", "jsonpath={.spec.selector.mdo\\.dev/revision}"]);
}

test("the HTTPRoute's weights follow the canary steps and end on the new stable revision", async () => {
  const { cluster, ns } = env;
  client = new KubeClient(new KubeTransport(await loadClusterAccess({ kubeconfig: cluster.kubeconfigPath })));
  await kubectlOk(cluster, ["apply", "--server-side", "--field-manager=test", "-f", "-"], manifest(ns, "v1"));
  const first = await waitForMdep(cluster, ns, "fraud", "Ready on v1", (m) =>
    condition(m, "Ready")?.status === "True" && m.status?.observedGeneration === m.metadata.generation, 90_000);
  const v1 = first.status?.stable?.revision ?? "";
  const initial = await client.get<Route>(HTTP_ROUTES, ns, "fraud");
  assert.ok(initial !== null, "the operator created the HTTPRoute");
  assert.deepEqual(weightsOf(initial), { "fraud-stable": 100 }, "no rollout: only the stable backend");
  assert.deepEqual(initial.metadata?.ownerReferences?.map((o) => o.uid), [first.metadata.uid]);
  assert.equal(await selectorRevision(ns, "fraud-stable"), v1);

  // Record every version of the route and of the Deployments while the rollout runs.
  const seen: Record<string, number>[] = [];
  const replicas = new Map<string, number[]>();
  const stop = new AbortController();
  const watches = [
    watchFrom(HTTP_ROUTES, ns, stop.signal, (route: Route) => {
      if (route.metadata?.name === "fraud") seen.push(weightsOf(route));
    }),
    watchFrom(Resources.deployments, ns, stop.signal, (d: KubeObject & { spec?: { replicas?: number } }) => {
      const name = d.metadata?.name ?? "";
      replicas.set(name, [...(replicas.get(name) ?? []), d.spec?.replicas ?? 0]);
    }),
  ];
  let v2: string | undefined;
  try {
    await kubectlOk(cluster, ["apply", "--server-side", "--field-manager=test", "-f", "-"], manifest(ns, "v2"));
    const done = await waitForMdep(cluster, ns, "fraud", "Ready on v2", (m) =>
      condition(m, "Ready")?.status === "True" && m.status?.stable?.modelVersion === "v2"
      && m.status.observedGeneration === m.metadata.generation, 120_000);
    v2 = done.status?.stable?.revision ?? "";
    assert.notEqual(v2, v1);
    const final = await client.get<Route>(HTTP_ROUTES, ns, "fraud");
    assert.ok(final !== null);
    assert.deepEqual(weightsOf(final), { "fraud-stable": 100 }, "promoted: only the stable backend again");
    assert.equal(await selectorRevision(ns, "fraud-stable"), v2, "the stable Service now selects the new revision");
    await waitFor("the canary Service deleted after promotion", 30_000, async () =>
      (await cluster.kubectl(["get", "service", "fraud-canary", "-n", ns])).code !== 0);
  } finally {
    stop.abort();
    await Promise.all(watches.map((w) => w.catch(() => undefined)));
  }
  const steps = seen.map((w) => JSON.stringify(w));
  const at10 = steps.indexOf(JSON.stringify({ "fraud-stable": 90, "fraud-canary": 10 }));
  const at50 = steps.indexOf(JSON.stringify({ "fraud-stable": 50, "fraud-canary": 50 }));
  assert.ok(at10 >= 0, `the route went through 90/10; saw ${steps.join(" → ")}`);
  assert.ok(at50 > at10, `then through 50/50; saw ${steps.join(" → ")}`);
  assert.equal(steps.at(-1), JSON.stringify({ "fraud-stable": 100 }), `and ended on the stable alone; saw ${steps.join(" → ")}`);

  // Replicas: the stable keeps the whole budget (4) until it is retired; the canary runs
  // ceil(4 × w / 100): 1 at 10%, 2 at 50%, then 4 once promoted.
  const stableCounts = replicas.get(`fraud-${v1}`) ?? [];
  assert.ok(stableCounts.every((n) => n === 4 || n === 0), `the old stable was 4 replicas until retired; saw ${stableCounts.join(", ")}`);
  const canaryCounts = (replicas.get(`fraud-${v2 ?? "?"}`) ?? []).filter((n, i, all) => n > 0 && n !== all[i - 1]);
  assert.deepEqual(canaryCounts, [1, 2, 4], "the new revision grew 1 → 2 → 4 replicas");
});

/** Watches `ref` in `ns` from now until `signal` aborts, passing each object (not bookmarks) on. */
async function watchFrom<T extends KubeObject>(ref: ResourceRef, ns: string, signal: AbortSignal, onObject: (object: T) => void): Promise<void> {
  if (client === undefined) throw new Error("no client");
  const list = await client.list<T>(ref, { namespace: ns });
  await client.watch<T>(ref, { namespace: ns, resourceVersion: list.resourceVersion, timeoutSeconds: 300, idleTimeoutMs: 600_000, signal }, (event) => {
    if (event.type !== "BOOKMARK") onObject(event.object);
  });
}

test("an HTTPRoute of that name that MDO did not create is refused (Stalled) and left unchanged", async () => {
  const { cluster, ns } = env;
  const foreign = {
    apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "taken", namespace: ns },
    spec: { parentRefs: [{ name: "gw" }], rules: [{ backendRefs: [{ name: "elsewhere", port: 80 }] }] },
  };
  await kubectlOk(cluster, ["apply", "--server-side", "--field-manager=gitops", "-f", "-"], JSON.stringify(foreign));
  const md = JSON.parse(manifest(ns, "v1")) as { metadata: { name: string }; spec: { rollout: { trafficRouter: { gatewayAPI: Record<string, unknown> } } } };
  md.metadata.name = "claims";
  md.spec.rollout.trafficRouter.gatewayAPI.httpRouteName = "taken";
  await kubectlOk(cluster, ["apply", "--server-side", "--field-manager=test", "-f", "-"], JSON.stringify(md));
  const stalled = await waitForMdep(cluster, ns, "claims", "Stalled", (m) => condition(m, "Stalled")?.status === "True");
  assert.equal(condition(stalled, "Stalled")?.reason, "ChildConflict");
  assert.match(condition(stalled, "Stalled")?.message ?? "", /HTTPRoute .*taken/);
  const route = JSON.parse(await kubectlOk(cluster, ["get", "httproute", "taken", "-n", ns, "-o", "json"])) as Route;
  assert.deepEqual(weightsOf(route), { elsewhere: 1 }, "the foreign route keeps its backend (weight defaulted by the CRD)");
  assert.equal(route.metadata?.ownerReferences, undefined, "and is not adopted");
});
