// The GatewayAPI router: exact weights in the HTTPRoute, track Services per revision, replicas
// that keep the stable whole. Snapshots are written out in full so a change shows as a diff.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { buildService } from "../../../src/controllers/modeldeployment/builders/service.ts";
import { GatewayApiRouter } from "../../../src/traffic/gateway-api.ts";
import { CANARY, NAMESPACE, STABLE, UID, contextFor, gatewayMd, input } from "./fixtures.ts";

const router = new GatewayApiRouter();

const owner = { apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", name: "fraud", uid: UID, controller: true, blockOwnerDeletion: true };
const labels = {
  team: "risk",
  "app.kubernetes.io/managed-by": "mdo",
  "app.kubernetes.io/name": "fraud",
  "app.kubernetes.io/component": "model-server",
  "mdo.dev/model-deployment": "fraud",
};

function trackService(track: "stable" | "canary", revision: string): unknown {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: `fraud-${track}`, namespace: NAMESPACE, labels: { ...labels, "mdo.dev/track": track }, ownerReferences: [owner] },
    spec: {
      type: "ClusterIP",
      selector: { "mdo.dev/model-deployment": "fraud", "app.kubernetes.io/component": "model-server", "mdo.dev/revision": revision },
      ports: [
        { name: "http", port: 80, targetPort: "http", protocol: "TCP" },
        { name: "metrics", port: 9090, targetPort: "metrics", protocol: "TCP" },
      ],
    },
  };
}

function route(backends: [name: string, weight: number][], name = "fraud"): unknown {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name, namespace: NAMESPACE, labels, ownerReferences: [owner] },
    spec: {
      parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw", namespace: "infra", sectionName: "http" }],
      hostnames: ["fraud.example.com"],
      rules: [{
        matches: [{ path: { type: "PathPrefix", value: "/" } }],
        backendRefs: backends.map(([service, weight]) => ({ group: "", kind: "Service", name: service, port: 80, weight })),
      }],
    },
  };
}

test("weights 0, 10, 50, 100: the route carries them exactly, both track Services exist", () => {
  const md = gatewayMd();
  for (const weight of [0, 10, 50, 100]) {
    const plan = router.plan(input(md, weight, 4));
    assert.deepEqual(plan.objects, [
      trackService("stable", STABLE),
      trackService("canary", CANARY),
      route([["fraud-stable", 100 - weight], ["fraud-canary", weight]]),
    ], `weight ${weight}`);
    assert.equal(plan.achievableWeight, weight, `weight ${weight} is exact`);
  }
});

test("without a canary: only the stable Service, and the route sends it everything", () => {
  const plan = router.plan(input(gatewayMd(), 30, 3, null));
  assert.deepEqual(plan.objects, [trackService("stable", STABLE), route([["fraud-stable", 100]])]);
  assert.deepEqual(plan.replicas, { stable: 3, canary: 0 });
  assert.equal(plan.achievableWeight, 0, "no canary: a stray canaryWeight is ignored");
});

test("replicas: the stable keeps the whole budget, the canary gets ceil(budget × w / 100), at least 1", () => {
  const md = gatewayMd();
  const cases: [weight: number, budget: number, canary: number][] = [
    [0, 4, 0], [1, 4, 1], [10, 4, 1], [30, 4, 2], [50, 4, 2], [51, 4, 3], [100, 4, 4], [10, 1, 1], [0, 1, 0], [10, 0, 1],
  ];
  for (const [weight, budget, canary] of cases) {
    assert.deepEqual(router.plan(input(md, weight, budget)).replicas, { stable: Math.max(1, budget), canary }, `weight ${weight}, budget ${budget}`);
  }
});

test("weights are rounded and clamped to whole percents", () => {
  const md = gatewayMd();
  assert.equal(router.plan(input(md, 12.6, 4)).achievableWeight, 13);
  assert.equal(router.plan(input(md, -5, 4)).achievableWeight, 0);
  assert.equal(router.plan(input(md, 140, 4)).achievableWeight, 100);
});

test("httpRouteName names the route; parents without namespace or section and no hostnames stay unset", () => {
  const md = gatewayMd((i) => {
    i.spec.rollout = { strategy: "Canary", steps: [{ weight: 10 }], trafficRouter: { type: "GatewayAPI", gatewayAPI: { httpRouteName: "fraud-public", parentRefs: [{ name: "a" }, { name: "b" }] } } };
  });
  const built = router.plan(input(md, 10, 2)).objects.at(-1);
  assert.deepEqual(built?.metadata?.name, "fraud-public");
  assert.deepEqual((built as unknown as { spec: unknown }).spec, {
    parentRefs: [
      { group: "gateway.networking.k8s.io", kind: "Gateway", name: "a" },
      { group: "gateway.networking.k8s.io", kind: "Gateway", name: "b" },
    ],
    rules: [{
      matches: [{ path: { type: "PathPrefix", value: "/" } }],
      backendRefs: [
        { group: "", kind: "Service", name: "fraud-stable", port: 80, weight: 90 },
        { group: "", kind: "Service", name: "fraud-canary", port: 80, weight: 10 },
      ],
    }],
  });
});

test("track Services expose the same ports as the shared Service", () => {
  const md = gatewayMd();
  const shared = buildService(contextFor(md));
  for (const object of router.plan(input(md, 50, 2)).objects.slice(0, 2)) {
    assert.deepEqual((object as unknown as { spec: { ports: unknown } }).spec.ports, shared.spec?.ports);
  }
});

test("reports no measured weight (the route's weights hold whatever is ready) and names its kinds", () => {
  assert.equal(router.measuredWeight(), undefined);
  assert.deepEqual(router.kinds.map((k) => `${k.group}/${k.version}/${k.plural}`), ["/v1/services", "gateway.networking.k8s.io/v1/httproutes"]);
  assert.equal(router.type, "GatewayAPI");
});

test("the plan is deterministic and does not share objects between calls", () => {
  const md = gatewayMd();
  const a = router.plan(input(md, 10, 4));
  const b = router.plan(input(md, 10, 4));
  assert.deepEqual(a, b);
  assert.notEqual(a.objects[0], b.objects[0]);
});
