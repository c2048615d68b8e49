import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { formatFieldPath, InvalidModelDeploymentError, parseModelDeployment } from "../../../src/api/index.ts";
import { mutate, VALID_BASE } from "../../fixtures/invalid-specs.ts";

describe("parseModelDeployment", () => {
  it("returns the typed value with the schema defaults applied", () => {
    const result = parseModelDeployment(mutate(VALID_BASE, { "metadata.namespace": "ml" }));
    assert.ok(result.ok);
    const spec = result.value.spec;
    assert.equal(spec.protocol, "v2");
    assert.equal(spec.suspend, false);
    assert.equal(spec.rollout?.progressDeadline, "10m");
    assert.equal(spec.rollout?.analysis?.failureLimit, 0);
    assert.deepEqual(spec.monitoring?.drift, {
      baselineRef: { configMapName: "fraud-baseline", key: "baseline.json" },
      window: 1000,
      falseAlarmRate: 0.01,
      minWindow: 1000,
      action: "Alert",
      cooldown: "1h",
    });
  });

  it("bounds the drift test's settings: falseAlarmRate in (0, 0.2], minWindow ≥ 100; psiThreshold is optional", () => {
    for (const [path, value] of [["falseAlarmRate", 0], ["falseAlarmRate", 0.3], ["minWindow", 50]] as const) {
      const result = parseModelDeployment(mutate(VALID_BASE, { "metadata.namespace": "ml", [`spec.monitoring.drift.${path}`]: value }));
      assert.ok(!result.ok, `${path} ${value} must be refused`);
      assert.match(result.error.message, new RegExp(`spec\\.monitoring\\.drift\\.${path}`));
    }
    const floor = parseModelDeployment(mutate(VALID_BASE, { "metadata.namespace": "ml", "spec.monitoring.drift.psiThreshold": 0.05, "spec.monitoring.drift.falseAlarmRate": 0.001 }));
    assert.ok(floor.ok);
    assert.deepEqual([floor.value.spec.monitoring?.drift?.psiThreshold, floor.value.spec.monitoring?.drift?.falseAlarmRate], [0.05, 0.001]);
  });

  it("keeps metadata it does not model", () => {
    const result = parseModelDeployment(mutate(VALID_BASE, { "metadata.finalizers": ["mdo.dev/cleanup"] }));
    assert.ok(result.ok);
    assert.deepEqual(result.value.metadata.finalizers, ["mdo.dev/cleanup"]);
  });

  it("returns a typed error that lists every issue and carries the zod error as cause", () => {
    const result = parseModelDeployment(
      mutate(VALID_BASE, { "metadata.namespace": "ml", "spec.replicas": -1, "spec.model.format": "pickle" }),
    );
    assert.ok(!result.ok);
    assert.ok(result.error instanceof InvalidModelDeploymentError);
    assert.ok(result.error.cause instanceof z.ZodError);
    assert.deepEqual(result.error.issues.map((i) => i.path).sort(), ["spec.model.format", "spec.replicas"]);
    assert.match(result.error.message, /^ModelDeployment ml\/fraud is invalid: /);
  });

  it("reports each unknown field at its own path", () => {
    const result = parseModelDeployment(mutate(VALID_BASE, { "spec.model.formt": "onnx", "spec.colour": "red" }));
    assert.ok(!result.ok);
    assert.deepEqual(result.error.issues, [
      { path: "spec.model.formt", message: "unknown field" },
      { path: "spec.colour", message: "unknown field" },
    ]);
  });

  it("rejects values that are not ModelDeployments at all", () => {
    for (const value of [null, 42, "x", {}, { ...VALID_BASE, kind: "Deployment" }, { ...VALID_BASE, apiVersion: "mdo.dev/v1" }]) {
      const result = parseModelDeployment(value);
      assert.ok(!result.ok, JSON.stringify(value));
    }
  });
});

describe("formatFieldPath", () => {
  it("prints paths as the API server does", () => {
    assert.equal(formatFieldPath(["spec", "rollout", "steps", 1, "weight"]), "spec.rollout.steps[1].weight");
    assert.equal(formatFieldPath([]), "<root>");
  });
});
