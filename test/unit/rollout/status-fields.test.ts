import { strict as assert } from "node:assert";
import { test } from "node:test";
import { ModelDeploymentStatus } from "../../../src/api/status.ts";
import { RolloutSpec } from "../../../src/api/rollout.ts";
import { policyFromSpec } from "../../../src/rollout/policy.ts";
import { rolloutStatusFields } from "../../../src/rollout/status-fields.ts";
import { Driver, SEC, canaryPolicy, fail, pass } from "./fixtures.ts";

test("status fields of a canary in progress are valid status, with the measured values", () => {
  const d = new Driver(canaryPolicy());
  d.tick(0);
  // The PSI rule (agents without bin counts) judges against a maximum: its value is a PSI.
  const psiRule = { ...fail("drift", 0.4), threshold: { max: 0.25 } };
  d.analyse(30 * SEC, [pass("successRate", 0.995), pass("latencyP99", 120), psiRule]);
  const fields = rolloutStatusFields(d.state, { stable: 3, canary: 1 });
  assert.deepEqual(fields.canary, {
    revision: "rev2", modelVersion: "v2", step: 0, weight: 10, stepStartedAt: "2026-01-01T00:00:00.000Z",
    analysis: { successRate: 0.995, latencyP99Ms: 120, driftPSI: 0.4, failedChecks: 1 },
  });
  // The test judges its adjusted p-value against a minimum (falseAlarmRate): shown as driftPValue, never as a PSI.
  d.analyse(60 * SEC, [pass("successRate", 0.995), pass("latencyP99", 120), { ...pass("drift", 0.42), threshold: { min: 0.01 } }]);
  assert.deepEqual(rolloutStatusFields(d.state, { stable: 3, canary: 1 }).canary?.analysis, { successRate: 0.995, latencyP99Ms: 120, driftPValue: 0.42, failedChecks: 1 });
  assert.deepEqual(fields.traffic, [
    { revision: "rev1", desiredWeight: 90, measuredWeight: 75 },
    { revision: "rev2", desiredWeight: 10, measuredWeight: 25 },
  ]);
  assert.doesNotThrow(() => ModelDeploymentStatus.parse(fields));
});

test("status fields after a rollback: no canary, stable 100%, held-back revision at 0, lastFailure", () => {
  const d = new Driver(canaryPolicy({ analysis: { intervalMs: 30 * SEC, failureLimit: 0 } }));
  d.tick(0);
  d.analyse(30 * SEC, [fail()]);
  const fields = rolloutStatusFields(d.state);
  assert.equal(fields.canary, undefined);
  assert.deepEqual(fields.traffic, [{ revision: "rev1", desiredWeight: 100 }, { revision: "rev2", desiredWeight: 0 }]);
  assert.equal(fields.lastFailure?.reason, "AnalysisFailed");
  assert.deepEqual(fields.history?.map((h) => h.outcome), ["RolledBack"]);
  assert.doesNotThrow(() => ModelDeploymentStatus.parse(fields));
});

test("policyFromSpec: durations in ms, empty pause waits for a person, absent rollout is Rolling", () => {
  const spec = RolloutSpec.parse({
    strategy: "Canary",
    steps: [{ weight: 10, pause: "1m30s" }, { weight: 50, pause: "" }, { weight: 80 }],
    analysis: { interval: "30s", failureLimit: 2, successRate: { min: 0.99 } },
  });
  assert.deepEqual(policyFromSpec(spec), {
    strategy: "Canary",
    steps: [{ weight: 10, pauseMs: 90_000 }, { weight: 50, pauseMs: undefined }, { weight: 80, pauseMs: undefined }],
    analysis: { intervalMs: 30_000, failureLimit: 2 },
    progressDeadlineMs: 600_000,
    autoPromote: true,
    scaleDownDelayMs: 0,
    webhooks: [],
  });
  const hooked = RolloutSpec.parse({
    strategy: "Canary",
    steps: [{ weight: 10 }],
    webhooks: [
      { name: "notify", type: "PostRollout", url: "http://127.0.0.1/n" },
      { name: "load", type: "PreRollout", url: "http://127.0.0.1/l" },
      { name: "notify-too", type: "PostRollout", url: "http://127.0.0.1/m" },
    ],
  });
  assert.deepEqual(policyFromSpec(hooked).webhooks, ["PreRollout", "PostRollout"], "each configured type once");
  const bg = policyFromSpec(RolloutSpec.parse({ strategy: "BlueGreen", blueGreen: { autoPromote: false, scaleDownDelay: "2m" } }));
  assert.deepEqual([bg.autoPromote, bg.scaleDownDelayMs], [false, 120_000]);
  assert.deepEqual([policyFromSpec(undefined).strategy, policyFromSpec(undefined).analysis], ["Rolling", undefined]);
});
