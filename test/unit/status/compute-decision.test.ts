// computeStatus with this reconcile's decisions as inputs: the rollout decision owns stable,
// canary, traffic, history and rollout; ground truth keeps status.performance while not assessed.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { computeStatus, type RolloutOutcome } from "../../../src/controllers/modeldeployment/status/index.ts";
import { saveState } from "../../../src/controllers/modeldeployment/rollout/state-codec.ts";
import { initialState, type RolloutState } from "../../../src/rollout/state.ts";
import { routerFor } from "../../../src/traffic/index.ts";
import { at, deployment, observe, stableStatus, valid } from "./fixtures.ts";

const canaryAt25: RolloutState = {
  ...initialState({ revision: "rev1", modelVersion: "v7" }),
  phase: "Progressing", canary: { revision: "rev2", modelVersion: "v8" }, weight: 25, reason: "StepPaused", message: "step 1",
};
const decided = (state: RolloutState, verdicts?: RolloutOutcome["verdicts"]): RolloutOutcome =>
  ({ state, budget: 2, events: [], router: routerFor(undefined), ...(verdicts === undefined ? {} : { verdicts }) });
const deployments = [deployment("rev1", { ready: 2 }), deployment("rev2", { ready: 1 })];
const passed = [{ check: "successRate", status: "pass" as const, value: 0.999, threshold: { min: 0.99 }, reason: "SuccessRateAboveMin", message: "0.999 >= 0.99" }];

test("a decision owns stable, canary, traffic and rollout; its verdicts are stamped with the observation's time", () => {
  const status = valid(computeStatus(observe({ revision: "rev2", now: at(3), deployments, rollout: decided(canaryAt25, passed) }), stableStatus()));
  assert.deepEqual(status.stable, { revision: "rev1", modelVersion: "v7", readyReplicas: 2 });
  assert.equal(status.canary?.revision, "rev2");
  assert.deepEqual([status.canary?.analysis?.evaluatedAt, status.canary?.analysis?.checks?.map((c) => c.name)], ["2025-03-01T10:03:00Z", ["successRate"]]);
  assert.deepEqual(status.traffic?.map((t) => [t.revision, t.desiredWeight]), [["rev1", 75], ["rev2", 25]]);
  assert.deepEqual(status.rollout, saveState(canaryAt25, 2));
});

test("a decision without an analysis keeps the checks shown for the same canary; a Stable decision drops the canary", () => {
  const first = computeStatus(observe({ revision: "rev2", now: at(3), deployments, rollout: decided(canaryAt25, passed) }), stableStatus());
  const later = computeStatus(observe({ revision: "rev2", now: at(4), deployments, rollout: decided(canaryAt25) }), first);
  assert.deepEqual(later.canary?.analysis?.checks, first.canary?.analysis?.checks);
  assert.equal(later.canary?.analysis?.evaluatedAt, "2025-03-01T10:03:00Z");
  const stable = computeStatus(observe({ revision: "rev2", now: at(5), deployments, rollout: decided(initialState({ revision: "rev1", modelVersion: "v7" })) }), later);
  assert.equal(stable.canary, undefined);
});

test("without a decision (the reconcile failed first), canary, traffic and rollout stay as they were", () => {
  const before = computeStatus(observe({ revision: "rev2", now: at(3), deployments, rollout: decided(canaryAt25, passed) }), stableStatus());
  const failed = computeStatus(observe({ revision: "rev2", now: at(4), deployments, problem: { kind: "Transient", reason: "ApplyFailed", message: "boom" } }), before);
  assert.deepEqual([failed.canary, failed.traffic, failed.rollout], [before.canary, before.traffic, before.rollout]);
});

test("ground truth monitored but not assessed this time keeps status.performance and ModelPerformance", () => {
  const assessed = computeStatus(observe({
    performance: { assessment: { performance: { revision: "rev1", evaluatedAt: "2025-03-01T10:00:00Z", labels: 200, accuracy: 0.95 }, condition: { type: "ModelPerformance", status: "True", reason: "QualityWithinThreshold", message: "ok", observedGeneration: 1 } } },
  }), undefined);
  const kept = computeStatus(observe({ now: at(1), performance: {} }), assessed);
  assert.deepEqual(kept.performance, assessed.performance);
  assert.deepEqual(kept.conditions?.find((c) => c.type === "ModelPerformance"), assessed.conditions?.find((c) => c.type === "ModelPerformance"));
  const off = computeStatus(observe({ now: at(2) }), kept);
  assert.deepEqual([off.performance, off.conditions?.find((c) => c.type === "ModelPerformance")], [undefined, undefined]);
});
