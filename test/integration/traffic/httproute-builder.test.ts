// The GatewayAPI router's objects against the real API server with the official Gateway API CRDs
// (installed by the global setup): the CRDs' own validation accepts them at every weight, and a
// weight change applied with server-side apply is what the stored route says.
import { strict as assert } from "node:assert";
import { after, before, test } from "node:test";
import { parseModelDeployment, type ModelDeployment } from "../../../src/api/index.ts";
import { DEFAULT_SETTINGS } from "../../../src/controllers/modeldeployment/settings.ts";
import { ApiError } from "../../../src/runtime/client/api-error.ts";
import { KubeClient, type KubeObject } from "../../../src/runtime/client/kube-client.ts";
import { Resources, type ResourceRef } from "../../../src/runtime/client/resource.ts";
import { loadClusterAccess } from "../../../src/runtime/client/access/load.ts";
import { KubeTransport } from "../../../src/runtime/client/transport.ts";
import { gatewayApiAvailable } from "../../../src/traffic/discovery.ts";
import { GatewayApiRouter } from "../../../src/traffic/gateway-api.ts";
import type { HTTPBackendRef } from "../../../src/traffic/httproute.ts";
import { HTTP_ROUTES } from "../../../src/traffic/resources.ts";
import type { TrafficInput } from "../../../src/traffic/router.ts";
import { createNamespace, kubectlOk, sharedCluster, type TestCluster } from "../../support/cluster.ts";

const router = new GatewayApiRouter();
let cluster: TestCluster;
let client: KubeClient;
let ns: string;
let md: ModelDeployment;

type StoredRoute = KubeObject & { spec: { rules: { backendRefs: HTTPBackendRef[] }[] } };

/** A ModelDeployment that exists (so owner references resolve and GC keeps its children); no operator runs. */
before(async () => {
  cluster = await sharedCluster();
  client = new KubeClient(new KubeTransport(await loadClusterAccess({ kubeconfig: cluster.kubeconfigPath })));
  ns = await createNamespace(cluster, "traffic-route");
  const manifest = {
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", metadata: { name: "fraud", namespace: ns },
    spec: {
      model: { uri: "s3://models/fraud/v1", format: "custom", version: "v1" },
      image: "registry.example/model-server:1.0",
      replicas: 2,
      rollout: {
        strategy: "Canary", steps: [{ weight: 10 }, { weight: 50 }],
        trafficRouter: { type: "GatewayAPI", gatewayAPI: { parentRefs: [{ name: "gw", sectionName: "http" }], hostnames: ["fraud.example.com"] } },
      },
    },
  };
  await kubectlOk(cluster, ["apply", "--server-side", "--field-manager=test", "-f", "-"], JSON.stringify(manifest));
  const parsed = parseModelDeployment(JSON.parse(await kubectlOk(cluster, ["get", "mdep", "fraud", "-n", ns, "-o", "json"])));
  if (!parsed.ok) throw parsed.error;
  md = parsed.value;
});
after(() => client?.transport.close());

function input(weight: number, canary = true): TrafficInput {
  return { md, settings: DEFAULT_SETTINGS, stableRevision: "rev-stable", ...(canary && { canaryRevision: "rev-canary" }), canaryWeight: weight, budget: 2 };
}

function refOf(object: KubeObject): ResourceRef {
  return object.kind === "HTTPRoute" ? HTTP_ROUTES : Resources.services;
}

function weightsOf(route: StoredRoute): Record<string, number> {
  return Object.fromEntries((route.spec.rules[0]?.backendRefs ?? []).map((b) => [b.name, b.weight]));
}

test("discovery sees httproutes in gateway.networking.k8s.io/v1", async () => {
  assert.equal(await gatewayApiAvailable(client), true);
});

test("server-side dry-run create of the route and Services is accepted at weights 0, 10 and 100, and without a canary", async () => {
  for (const plan of [router.plan(input(0)), router.plan(input(10)), router.plan(input(100)), router.plan(input(0, false))]) {
    for (const object of plan.objects) {
      const created = JSON.parse(await kubectlOk(cluster, ["create", "--dry-run=server", "-o", "json", "-f", "-"], JSON.stringify(object))) as KubeObject;
      assert.equal(created.metadata?.name, object.metadata?.name);
      await client.apply(refOf(object), object, { dryRun: true });
    }
  }
  assert.equal((await client.get(HTTP_ROUTES, ns, "fraud")), null, "dry runs store nothing");
});

test("the CRD's validation is really applied: a weight above its maximum is refused", async () => {
  const route = router.plan(input(10)).objects.at(-1) as StoredRoute;
  const broken = structuredClone(route);
  const first = broken.spec.rules[0]?.backendRefs[0];
  assert.ok(first !== undefined);
  first.weight = 1_000_001;
  await assert.rejects(client.apply(HTTP_ROUTES, broken, { dryRun: true }), (error: unknown) => error instanceof ApiError && error.isInvalid);
});

test("weight changes applied with server-side apply show in the stored HTTPRoute", async () => {
  for (const [plan, expected] of [
    [router.plan(input(10)), { "fraud-stable": 90, "fraud-canary": 10 }],
    [router.plan(input(50)), { "fraud-stable": 50, "fraud-canary": 50 }],
    [router.plan(input(100)), { "fraud-stable": 0, "fraud-canary": 100 }],
    [router.plan(input(0, false)), { "fraud-stable": 100 }],
  ] as const) {
    for (const object of plan.objects) await client.apply(refOf(object), object);
    const stored = await client.get<StoredRoute>(HTTP_ROUTES, ns, "fraud");
    assert.ok(stored !== null);
    assert.deepEqual(weightsOf(stored), expected);
    assert.deepEqual(stored.metadata?.ownerReferences?.map((o) => o.uid), [md.metadata.uid], "owned by the ModelDeployment");
  }
});
