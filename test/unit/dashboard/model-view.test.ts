import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ModelDeploymentObject } from "../../../src/controllers/modeldeployment/resource.ts";
import { detailOf, healthOf, summaryOf, thresholdsOf } from "../../../src/dashboard/model-view.ts";
import { canaryMd } from "../cli/fixtures.ts";
import { spec, stableStatus } from "../status/fixtures.ts";

type Status = NonNullable<ModelDeploymentObject["status"]>;
type Condition = NonNullable<Status["conditions"]>[number];

const cond = (type: string, status: "True" | "False" | "Unknown", reason = "R"): Condition =>
  ({ type, status, reason, message: `${type} is ${status}`, lastTransitionTime: "2026-03-01T12:00:00Z" });

/** A ModelDeployment with the status fixtures' spec and `status` (none when undefined). */
function md(status: Status | undefined, extraSpec: Record<string, unknown> = {}): ModelDeploymentObject {
  return {
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment",
    metadata: { name: "fraud", namespace: "ml" },
    spec: spec(extraSpec),
    ...(status !== undefined && { status }),
  };
}

describe("healthOf", () => {
  it("is healthy when the operator computed a Ready status", () => {
    const ready = stableStatus();
    assert.equal(ready.phase, "Ready");
    assert.equal(healthOf(md(ready)), "healthy");
  });

  it("is progressing in the middle of a canary (Ready False, phase Progressing)", () => {
    assert.equal(healthOf(canaryMd()), "progressing");
  });

  it("is unhealthy in phase Degraded or Failed, whatever Ready says", () => {
    for (const phase of ["Degraded", "Failed"] as const) {
      assert.equal(healthOf(md({ phase, conditions: [cond("Ready", "True")] })), "unhealthy", phase);
    }
  });

  it("is unhealthy when Stalled is True, even with Ready True; not when Stalled is False", () => {
    assert.equal(healthOf(md({ phase: "Ready", conditions: [cond("Ready", "True"), cond("Stalled", "True")] })), "unhealthy");
    assert.equal(healthOf(md({ phase: "Ready", conditions: [cond("Ready", "True"), cond("Stalled", "False")] })), "healthy");
  });

  it("is progressing in Pending and Suspended, and with Ready Unknown", () => {
    assert.equal(healthOf(md({ phase: "Pending" })), "progressing");
    assert.equal(healthOf(md({ phase: "Suspended", conditions: [cond("Ready", "False")] })), "progressing");
    assert.equal(healthOf(md({ conditions: [cond("Ready", "Unknown")] })), "progressing");
  });

  it("is unknown before the operator wrote any status (no status, or neither phase nor Ready)", () => {
    assert.equal(healthOf(md(undefined)), "unknown");
    assert.equal(healthOf(md({})), "unknown");
    assert.equal(healthOf(md({ conditions: [cond("Reconciling", "True")] })), "unknown");
  });
});

describe("summaryOf", () => {
  it("summarises a canary in progress: versions, step, weight, traffic, replicas and Ready's reason", () => {
    assert.deepEqual(summaryOf(canaryMd()), {
      namespace: "ml", name: "fraud", phase: "Progressing", health: "progressing",
      reason: "RolloutInProgress", message: "rolling out v2",
      stable: { revision: "aaaa111111", modelVersion: "v1" },
      canary: { revision: "bbbb222222", modelVersion: "v2", step: 0, weight: 25 },
      traffic: [{ revision: "aaaa111111", desiredWeight: 75, measuredWeight: 75 }, { revision: "bbbb222222", desiredWeight: 25, measuredWeight: 25 }],
      readyReplicas: 4, replicas: 4,
    });
  });

  it("summarises a Ready ModelDeployment without a canary", () => {
    const s = summaryOf(md(stableStatus()));
    assert.equal(s.phase, "Ready");
    assert.equal(s.health, "healthy");
    assert.deepEqual(s.stable, { revision: "rev1", modelVersion: "v7" });
    assert.equal("canary" in s, false);
    assert.equal(s.readyReplicas, 2);
  });

  it("leaves absent what status does not say, and calls a missing phase Unknown", () => {
    assert.deepEqual(summaryOf(md(undefined)), { namespace: "ml", name: "fraud", phase: "Unknown", health: "unknown", traffic: [] });
  });

  it("omits a model version status does not give", () => {
    const s = summaryOf(md({ phase: "Progressing", stable: { revision: "r1" }, canary: { revision: "r2", step: 1, weight: 50 } } as Status));
    assert.deepEqual([s.stable, s.canary], [{ revision: "r1" }, { revision: "r2", step: 1, weight: 50 }]);
  });

  it("copies traffic entries, so changing the summary leaves the object alone", () => {
    const object = canaryMd();
    const s = summaryOf(object);
    s.traffic[0]!.desiredWeight = 0;
    assert.equal(object.status?.traffic?.[0]?.desiredWeight, 75);
  });
});

describe("thresholdsOf", () => {
  it("takes successRate.min and latencyP99.maxMs from spec.rollout.analysis, and nothing for drift", () => {
    assert.deepEqual(thresholdsOf(canaryMd()), { successRate: { min: 0.99 }, latencyP99: { max: 250 } });
  });

  it("takes a custom metric's min, max or both, under its name", () => {
    const object = md(undefined, {
      rollout: {
        strategy: "Canary", steps: [{ weight: 10 }],
        analysis: {
          metrics: [
            { name: "errors", provider: "prometheus", query: "sum(x)", max: 5 },
            { name: "score", provider: "prometheus", query: "avg(y)", min: 0.8 },
            { name: "band", provider: "prometheus", query: "avg(z)", min: 1, max: 2 },
          ],
        },
      },
    });
    assert.deepEqual(thresholdsOf(object), { errors: { max: 5 }, score: { min: 0.8 }, band: { min: 1, max: 2 } });
  });

  it("is empty without an analysis", () => {
    assert.deepEqual(thresholdsOf(md(undefined)), {});
  });
});

describe("detailOf", () => {
  it("adds the strategy, the steps' weights, the thresholds and the whole status", () => {
    const object = canaryMd();
    const d = detailOf(object);
    assert.equal(d.strategy, "Canary");
    assert.deepEqual(d.steps, [25, 50]);
    assert.deepEqual(d.thresholds, { successRate: { min: 0.99 }, latencyP99: { max: 250 } });
    assert.deepEqual(d.status, object.status);
    assert.equal(d.name, "fraud");
    assert.equal("baseline" in d, false);
  });

  it("names the baseline ConfigMap, with the key defaulting to baseline.json", () => {
    const withKey = md(undefined, { monitoring: { drift: { baselineRef: { configMapName: "fraud-baseline", key: "b.json" } } } });
    assert.deepEqual(detailOf(withKey).baseline, { configMapName: "fraud-baseline", key: "b.json" });
    const object = md(undefined);
    object.spec = { ...object.spec, monitoring: { drift: { baselineRef: { configMapName: "fraud-baseline" } } } } as ModelDeploymentObject["spec"];
    assert.deepEqual(detailOf(object).baseline, { configMapName: "fraud-baseline", key: "baseline.json" });
  });

  it("has no steps and an empty status before the operator wrote one", () => {
    const d = detailOf(md(undefined));
    assert.deepEqual([d.steps, d.status, d.thresholds], [[], {}, {}]);
  });
});
