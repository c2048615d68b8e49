import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DRIFT_REPORT_TTL_MS, driftHookFor } from "../../../src/agent/drift.ts";
import type { Baseline } from "../../../src/drift/baseline.ts";
import { ManualClock } from "../../../src/runtime/clock.ts";

const baseline: Baseline = {
  version: 1,
  features: [
    { kind: "numeric", name: "x", index: 0, count: 1000, edges: [0], proportions: [0.5, 0.5], mean: 0, std: 1 },
    { kind: "categorical", name: "c", index: 1, count: 1000, categories: ["a", "b", "__other__"], proportions: [0.5, 0.5, 0] },
  ],
};

describe("the agent's drift report (GET /drift)", () => {
  it("serves everything a window measured: samples, PSI, JS, KS, the homogeneity test and the bin counts the operator pools", () => {
    const hook = driftHookFor(baseline, 4, new ManualClock(0));
    for (const row of [[-1, "a"], [1, "b"], [2, "a"], [3, "zzz"]]) hook.observe(Buffer.from(JSON.stringify({ inputs: [{ name: "in", shape: [1, 2], datatype: "BYTES", data: row }] })), "v2");
    const report = hook.report() as unknown as { windowSamples: number; features: Record<string, unknown>[] };
    assert.equal(report.windowSamples, 4);
    const [x, c] = report.features;
    assert.deepEqual(Object.keys(x ?? {}).sort(), ["baselineCounts", "chi2", "counts", "df", "js", "kind", "ks", "missing", "name", "pValue", "psi", "samples"]);
    assert.deepEqual(x?.counts, [1, 3]);
    assert.deepEqual(c?.counts, [2, 1, 1]);
    assert.deepEqual(c?.baselineCounts, [500, 500, 0]);
    assert.equal(typeof c?.pValue, "number");
    assert.equal(typeof c?.js, "number");
  });

  it("stops serving a report once its window closed more than 30 minutes ago (no traffic: 404, not stale inputs)", () => {
    const clock = new ManualClock(0);
    const hook = driftHookFor(baseline, 2, clock);
    for (const row of [[-1, "a"], [1, "b"]]) hook.observe(Buffer.from(JSON.stringify({ inputs: [{ name: "in", shape: [1, 2], datatype: "BYTES", data: row }] })), "v2");
    assert.ok(hook.report() !== undefined);
    clock.advance(DRIFT_REPORT_TTL_MS);
    assert.ok(hook.report() !== undefined, "exactly the TTL old: still served");
    clock.advance(1);
    assert.equal(hook.report(), undefined);
  });

  it("counts the model's predictions into the window of their request when the baseline profiles them", () => {
    const withPrediction: Baseline = {
      ...baseline,
      prediction: { kind: "categorical", name: "class", index: 0, count: 1000, categories: ["0", "1", "__other__"], proportions: [0.5, 0.5, 0] },
    };
    const plain = driftHookFor(baseline, 2, new ManualClock(0));
    assert.equal(plain.observesPredictions, false);
    const hook = driftHookFor(withPrediction, 2, new ManualClock(0));
    assert.equal(hook.observesPredictions, true);
    for (const [row, predicted] of [[[-1, "a"], 0], [[1, "b"], 1]] as const) {
      hook.observePredictions([predicted]);
      hook.observe(Buffer.from(JSON.stringify({ inputs: [{ name: "in", shape: [1, 2], datatype: "BYTES", data: row }] })), "v2");
    }
    const report = hook.report() as unknown as { windowSamples: number; prediction?: { counts: number[]; baselineCounts: number[]; pValue: number } };
    assert.equal(report.windowSamples, 2);
    // Class indices (numbers from the model) are counted as the profile's string labels.
    assert.deepEqual(report.prediction?.counts, [1, 1, 0]);
    assert.deepEqual(report.prediction?.baselineCounts, [500, 500, 0]);
    assert.equal(typeof report.prediction?.pValue, "number");
  });
});
