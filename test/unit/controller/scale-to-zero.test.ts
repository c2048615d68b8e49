// Scale to zero in the reconcile: where the activator is (its Service's EndpointSlices), the
// slices that point a ModelDeployment's Service at it (only minReplicas 0, only without a ready
// pod of the serving revision), and the count: never zero without an activator, a new revision
// starts at one pod.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { V1Deployment, V1EndpointSlice, V1Pod } from "@kubernetes/client-node";
import type { ModelDeployment } from "../../../src/api/index.ts";
import type { LoadAutoscaler, ScaleTarget } from "../../../src/autoscaler/autoscaler.ts";
import type { Recommendation } from "../../../src/autoscaler/recommend.ts";
import { activatorEndpointsOf } from "../../../src/controllers/modeldeployment/scale-to-zero/activator-endpoints.ts";
import { activatorSlicesFor } from "../../../src/controllers/modeldeployment/scale-to-zero/route.ts";
import { decideRollout, type RolloutDecision } from "../../../src/controllers/modeldeployment/rollout/decide-rollout.ts";
import { NO_ACTIVATOR_NOTE, withOperatorScaling } from "../../../src/controllers/modeldeployment/rollout/operator-scale.ts";
import { saveState } from "../../../src/controllers/modeldeployment/rollout/state-codec.ts";
import { DEFAULT_SETTINGS } from "../../../src/controllers/modeldeployment/settings.ts";
import { initialState } from "../../../src/rollout/state.ts";
import { routerFor } from "../../../src/traffic/index.ts";
import { modelDeployment } from "../builders/fixtures.ts";

const ACTIVATORS = [{ ip: "198.18.0.1", port: 8080 }, { ip: "198.18.0.2", port: 8080 }];

const scaleToZero = (minReplicas = 0): ModelDeployment => modelDeployment((input) => {
  delete input.spec.replicas;
  input.spec.autoscaling = { minReplicas, maxReplicas: 5, metric: "concurrency", target: 4 };
});

function slice(port: { name?: string; port: number } | undefined, endpoints: V1EndpointSlice["endpoints"], addressType = "IPv4"): V1EndpointSlice {
  return { addressType, endpoints, ...(port === undefined ? {} : { ports: [port] }) };
}

function pod(revision: string, ready: boolean, extra: Partial<V1Pod["metadata"]> = {}): V1Pod {
  const md = scaleToZero();
  return {
    metadata: { name: `p-${revision}`, namespace: md.metadata.namespace, labels: { "mdo.dev/model-deployment": md.metadata.name ?? "", "mdo.dev/revision": revision }, ...extra },
    status: { conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
  };
}

test("the activator's endpoints: ready IPv4 addresses on the port named http, once each, sorted", () => {
  const endpoints = activatorEndpointsOf([
    slice({ name: "http", port: 8080 }, [
      { addresses: ["198.18.0.9"], conditions: { ready: true } },
      { addresses: ["198.18.0.3"] },
      { addresses: ["198.18.0.4"], conditions: { ready: false } },
      { addresses: ["198.18.0.5"], conditions: { ready: true, terminating: true } },
    ]),
    slice({ name: "http", port: 8080 }, [{ addresses: ["198.18.0.3"] }]),
    slice({ name: "metrics", port: 9090 }, [{ addresses: ["198.18.0.7"] }]),
    slice({ name: "http", port: 8080 }, [{ addresses: ["fd00::1"] }], "IPv6"),
    slice(undefined, [{ addresses: ["198.18.0.8"] }]),
  ]);
  assert.deepEqual(endpoints, [{ ip: "198.18.0.3", port: 8080 }, { ip: "198.18.0.9", port: 8080 }]);
});

test("no ready pod: slices for the Service at every activator, owned and labelled for kube-proxy", () => {
  const md = scaleToZero();
  const slices = activatorSlicesFor(md, [pod("r1", false), pod("r0", true, { namespace: "elsewhere" })], [...ACTIVATORS, { ip: "198.18.0.1", port: 8081 }]);
  assert.deepEqual(slices.map((s) => s.metadata?.name), [`${md.metadata.name}-activator-8080`, `${md.metadata.name}-activator-8081`]);
  const [first] = slices;
  assert.equal(first?.metadata?.labels?.["kubernetes.io/service-name"], md.metadata.name);
  assert.equal(first?.metadata?.labels?.["endpointslice.kubernetes.io/managed-by"], "operator.mdo.dev");
  assert.equal(first?.metadata?.labels?.["app.kubernetes.io/managed-by"], "mdo", "cached and pruned like every child");
  assert.equal(first?.metadata?.ownerReferences?.[0]?.kind, "ModelDeployment");
  assert.deepEqual(first?.endpoints, [{ addresses: ["198.18.0.1"], conditions: { ready: true } }, { addresses: ["198.18.0.2"], conditions: { ready: true } }]);
  assert.deepEqual(first?.ports, [{ name: "http", port: 8080, protocol: "TCP" }]);
});

test("no slices with a ready pod of any revision (a rollout that began at zero too), for minReplicas above 0, or without activators", () => {
  assert.deepEqual(activatorSlicesFor(scaleToZero(), [pod("r1", true)], ACTIVATORS), []);
  assert.deepEqual(activatorSlicesFor(scaleToZero(), [pod("r1", false), pod("r2", true)], ACTIVATORS), []);
  assert.equal(activatorSlicesFor(scaleToZero(), [pod("r1", true, { deletionTimestamp: new Date() })], ACTIVATORS).length, 1, "a terminating pod does not count");
  assert.deepEqual(activatorSlicesFor(scaleToZero(1), [], ACTIVATORS), []);
  assert.deepEqual(activatorSlicesFor(scaleToZero(), [], []), []);
});

class FixedAutoscaler implements LoadAutoscaler {
  next: Recommendation | undefined;
  track(_key: string, _target: ScaleTarget): void {}
  untrack(): void {}
  recommendation(): Recommendation | undefined { return this.next; }
}

async function decide(md: ModelDeployment, deployments: V1Deployment[]): Promise<RolloutDecision> {
  return decideRollout({
    md, status: { rollout: saveState(initialState({ revision: "r1" }), undefined) }, desired: { revision: "r1", modelVersion: "v7" },
    deployments, router: routerFor(undefined), settings: DEFAULT_SETTINGS, analyzer: undefined,
    webhooks: { call: () => Promise.resolve([]) }, now: new Date("2026-12-04T00:00:00Z"),
  });
}

test("minReplicas 0: a new revision starts at 1; zero only while an activator is ready, else 1 with the reason", async () => {
  const md = scaleToZero();
  const autoscaler = new FixedAutoscaler();
  const fresh = withOperatorScaling("ml/fraud", md, await decide(md, []), [], { autoscaler, activatorEndpoints: () => ACTIVATORS });
  assert.equal(fresh.decision.plan.replicas.get("r1"), 1);
  autoscaler.next = { desired: 0, panic: false, stableLoad: 0, panicLoad: 0, readyPods: 1, reason: "no request for 5m: scaled to zero" };
  const live = [{ metadata: { name: `${md.metadata.name}-r1` }, spec: { replicas: 1, selector: {}, template: {} } }];
  const zero = withOperatorScaling("ml/fraud", md, await decide(md, live), live, { autoscaler, activatorEndpoints: () => ACTIVATORS });
  assert.equal(zero.decision.plan.replicas.get("r1"), 0);
  assert.equal(zero.scaling?.note, undefined);
  for (const activatorEndpoints of [() => [], undefined]) {
    const kept = withOperatorScaling("ml/fraud", md, await decide(md, live), live, { autoscaler, ...(activatorEndpoints === undefined ? {} : { activatorEndpoints }) });
    assert.equal(kept.decision.plan.replicas.get("r1"), 1);
    assert.equal(kept.scaling?.note, NO_ACTIVATOR_NOTE);
  }
});
