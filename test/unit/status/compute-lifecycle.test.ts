import { strict as assert } from "node:assert";
import { test } from "node:test";
import { computeStatus } from "../../../src/controllers/modeldeployment/status/index.ts";
import { at, condition, deployment, observe, pod, readyPods, running, valid } from "./fixtures.ts";

test("a new object with no Deployment yet is Pending, Reconciling (RollingOut) and not Ready", () => {
  const status = valid(computeStatus(observe({ generation: 1 }), undefined));
  assert.equal(status.phase, "Pending");
  assert.equal(status.observedGeneration, 1);
  assert.deepEqual(
    status.conditions?.map((c) => [c.type, c.status, c.reason]),
    [
      ["Ready", "False", "RollingOut"],
      ["Reconciling", "True", "RollingOut"],
      ["Stalled", "False", "AsExpected"],
      ["Available", "False", "MinimumReplicasUnavailable"],
    ],
  );
  assert.match(condition(status, "Reconciling").message, /revision rev1 \(model v7\): waiting for Deployment fraud-rev1 to be created/);
  assert.ok(status.conditions?.every((c) => c.observedGeneration === 1 && c.lastTransitionTime === "2025-03-01T10:00:00Z"));
  assert.equal(status.stable, undefined);
  assert.equal(status.history, undefined);
  assert.equal(status.lastFailure, undefined);
});

test("pods starting: still Pending and Reconciling, with the counts in the message", () => {
  const starting = pod("fraud-rev1-0", "rev1", { containers: [running("model-server", false, at(-1)), running("agent", false, at(-1))] });
  const obs = observe({ deployments: [deployment("rev1", { target: 2, replicas: 2, ready: 0 })], pods: [starting] });
  const status = valid(computeStatus(obs, undefined));
  assert.equal(status.phase, "Pending");
  assert.equal(condition(status, "Ready").status, "False");
  assert.match(condition(status, "Reconciling").message, /0 of 2 replicas ready, 2 updated \(Deployment fraud-rev1\)/);
  assert.equal(status.lastFailure, undefined, "starting pods are not failures");
});

test("rolled out: Ready True, Reconciling False, observedGeneration is the object's own generation", () => {
  const obs = observe({ generation: 4, deployments: [deployment("rev1", { ready: 2, generation: 9 })], pods: readyPods("rev1", 2) });
  const first = valid(computeStatus(observe({ generation: 4 }), undefined));
  const status = valid(computeStatus({ ...obs, now: at(3) }, first));
  assert.equal(status.phase, "Ready");
  assert.equal(status.observedGeneration, 4, "not the Deployment's generation");
  assert.deepEqual(
    status.conditions?.map((c) => [c.type, c.status, c.reason, c.observedGeneration]),
    [
      ["Ready", "True", "RolledOut", 4],
      ["Reconciling", "False", "UpToDate", 4],
      ["Stalled", "False", "AsExpected", 4],
      ["Available", "True", "MinimumReplicasAvailable", 4],
    ],
  );
  assert.equal(condition(status, "Ready").lastTransitionTime, "2025-03-01T10:03:00Z", "flipped");
  assert.equal(condition(status, "Stalled").lastTransitionTime, "2025-03-01T10:00:00Z", "did not flip");
  assert.equal(condition(status, "Ready").message, "revision rev1 (model v7) is rolled out with 2 ready replicas");
  assert.equal(status.url, "http://fraud.ml.svc.cluster.local");
  assert.equal(status.replicas, 2);
  assert.equal(status.readyReplicas, 2);
  assert.equal(status.selector, "mdo.dev/model-deployment=fraud,app.kubernetes.io/component=model-server");
  assert.deepEqual(status.stable, { revision: "rev1", modelVersion: "v7", readyReplicas: 2 });
  assert.deepEqual(status.history, [{ revision: "rev1", modelVersion: "v7", outcome: "Promoted", time: "2025-03-01T10:03:00Z" }]);
});

test("idempotent: computing again later from the same observation gives a deep-equal status", () => {
  const cases = {
    ready: observe({ deployments: [deployment("rev1", { ready: 2 })], pods: readyPods("rev1", 2) }),
    new: observe(),
    crashing: observe({
      deployments: [deployment("rev1", { replicas: 2, ready: 1 })],
      pods: [...readyPods("rev1", 1), pod("fraud-rev1-x", "rev1", { containers: [running("model-server", false), running("agent")] })],
    }),
    stalled: observe({ problem: { kind: "Stalled", reason: "UnknownRuntime", message: "no runtime x" } }),
  };
  for (const [name, obs] of Object.entries(cases)) {
    const once = computeStatus(obs, undefined);
    const twice = computeStatus({ ...obs, now: at(5) }, once);
    const thrice = computeStatus({ ...obs, now: at(7) }, twice);
    assert.deepEqual(twice, once, name);
    assert.deepEqual(thrice, once, name);
    assert.deepEqual(JSON.parse(JSON.stringify(once)), once, `${name}: no undefined values, equal after a round trip`);
  }
});

test("never mutates the observation or the previous status", () => {
  const obs = observe({ deployments: [deployment("rev1", { ready: 2 })], pods: readyPods("rev1", 2) });
  const previous = computeStatus(observe(), undefined);
  const frozenObs = structuredClone(obs);
  const frozenPrevious = structuredClone(previous);
  computeStatus({ ...obs, now: at(1) }, previous);
  assert.deepEqual(obs, frozenObs);
  assert.deepEqual(previous, frozenPrevious);
});

test("keeps other condition types in place and carries canary, traffic and drift over", () => {
  const previous = {
    conditions: [
      { type: "DataDrift", status: "True" as const, observedGeneration: 1, lastTransitionTime: "2025-01-01T00:00:00Z", reason: "PSIAboveThreshold", message: "age drifted" },
    ],
    canary: { revision: "rev2", step: 0, weight: 10 },
    traffic: [{ revision: "rev1", desiredWeight: 100 }],
    drift: { evaluatedAt: "2025-01-01T00:00:00Z", window: 1000, maxPSI: 0.3 },
  };
  // No rollout decision this time (canary and traffic stay), drift monitored but not assessed (drift and DataDrift stay).
  const status = valid(computeStatus(observe({ drift: { reverting: false } }), previous));
  assert.deepEqual(status.conditions?.map((c) => c.type), ["DataDrift", "Ready", "Reconciling", "Stalled", "Available"]);
  assert.deepEqual(status.conditions?.[0], previous.conditions[0]);
  assert.deepEqual(status.canary, previous.canary);
  assert.deepEqual(status.traffic, previous.traffic);
  assert.deepEqual(status.drift, previous.drift);
});

test("spec.replicas 0: Ready once scaled down, Available False with ScaledToZero", () => {
  const obs = observe({ spec: { ...observe().spec, replicas: 0 }, deployments: [deployment("rev1", { ready: 0 })] });
  const status = valid(computeStatus(obs, undefined));
  assert.equal(condition(status, "Ready").status, "True");
  assert.equal(condition(status, "Available").reason, "ScaledToZero");
  assert.match(condition(status, "Available").message, /set spec.replicas to 1 or more/);
  assert.equal(status.phase, "Ready");
});

test("suspended: phase Suspended, Reconciling False (Suspended); a paused roll is not Ready", () => {
  const ready = observe({ suspended: true, deployments: [deployment("rev1", { ready: 2 })], pods: readyPods("rev1", 2) });
  const status = valid(computeStatus(ready, undefined));
  assert.equal(status.phase, "Suspended");
  assert.equal(condition(status, "Reconciling").reason, "Suspended");
  assert.equal(condition(status, "Reconciling").status, "False");
  assert.equal(condition(status, "Ready").status, "True", "what runs is still rolled out");

  const paused = valid(computeStatus(observe({ suspended: true }), undefined));
  assert.equal(paused.phase, "Suspended");
  assert.equal(condition(paused, "Ready").reason, "Suspended");
  assert.match(condition(paused, "Ready").message, /set spec.suspend to false to continue/);
});
