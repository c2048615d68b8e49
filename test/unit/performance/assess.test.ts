// Ground truth of the stable revision: status.performance and the ModelPerformance condition.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { GroundTruthMonitoringSpec } from "../../../src/api/ground-truth.ts";
import { assessPerformance, type PerformanceInput } from "../../../src/controllers/modeldeployment/performance/assess.ts";
import { withPerformance } from "../../../src/controllers/modeldeployment/performance/status.ts";

const NOW = new Date("2026-12-03T12:00:00Z");
const spec = (over: Record<string, unknown> = {}) => GroundTruthMonitoringSpec.parse({ kind: "Classification", ...over });
const scores = (rows: number, correct: number, absoluteError = 0, squaredError = 0): PerformanceInput["reading"] =>
  ({ ok: true, value: { rows, correct, absoluteError, squaredError }, note: "2 agents" });
const input = (over: Partial<PerformanceInput>): PerformanceInput =>
  ({ spec: spec({ minAccuracy: 0.9 }), reading: scores(200, 190), revision: "rev1", previous: undefined, generation: 4, now: NOW, ...over });

test("defaults: 1h TTL, 100000 predictions per replica, 100 labels before deciding", () => {
  assert.deepEqual(spec(), { kind: "Classification", ttl: "1h", maxPredictions: 100_000, minLabels: 100 });
});

test("classification: accuracy against minAccuracy, in status and the condition", () => {
  const ok = assessPerformance(input({}));
  assert.deepEqual(ok.performance, { revision: "rev1", evaluatedAt: "2026-12-03T12:00:00Z", labels: 200, accuracy: 0.95 });
  assert.deepEqual([ok.condition.type, ok.condition.status, ok.condition.reason], ["ModelPerformance", "True", "QualityWithinThreshold"]);
  assert.equal(ok.condition.message, "revision rev1: accuracy 0.95 over 200 labels, at least 0.9");
  const low = assessPerformance(input({ reading: scores(200, 170) }));
  assert.deepEqual([low.condition.status, low.condition.reason], ["False", "AccuracyBelowMin"]);
  assert.match(low.condition.message, /accuracy 0\.85 over 200 labels, below the minimum 0\.9/);
  const few = assessPerformance(input({ reading: scores(40, 10) }));
  assert.deepEqual([few.condition.status, few.condition.reason, few.performance?.accuracy], ["Unknown", "TooFewLabels", 0.25]);
  const measured = assessPerformance(input({ spec: spec() }));
  assert.deepEqual([measured.condition.status, measured.condition.reason], ["True", "Measured"]);
});

test("regression: MAE against maxMeanAbsoluteError, RMSE shown", () => {
  const regression = spec({ kind: "Regression", maxMeanAbsoluteError: 2 });
  // 100 labels, |e| sum 150 → MAE 1.5; e² sum 400 → RMSE 2.
  const ok = assessPerformance(input({ spec: regression, reading: scores(100, 0, 150, 400) }));
  assert.deepEqual(ok.performance, { revision: "rev1", evaluatedAt: "2026-12-03T12:00:00Z", labels: 100, meanAbsoluteError: 1.5, rootMeanSquaredError: 2 });
  assert.equal(ok.condition.status, "True");
  const bad = assessPerformance(input({ spec: regression, reading: scores(100, 0, 250, 900) }));
  assert.deepEqual([bad.condition.status, bad.condition.reason], ["False", "ErrorAboveMax"]);
});

test("no reading keeps status.performance and says why; unchanged scores write nothing new", () => {
  const first = assessPerformance(input({}));
  const none = assessPerformance(input({ previous: first.performance, reading: { ok: false, reason: "NoAgents", message: "no ready agent" } }));
  assert.equal(none.performance, first.performance);
  assert.deepEqual([none.condition.status, none.condition.reason], ["Unknown", "NoGroundTruthData"]);
  const later = assessPerformance(input({ previous: first.performance, now: new Date("2026-12-03T12:05:00Z") }));
  assert.equal(later.performance, first.performance, "same scores: the previous object, so no status write");
});

test("the status overlay: ModelPerformance and status.performance only while monitored", () => {
  const assessed = assessPerformance(input({}));
  const on = withPerformance({ conditions: [] }, { assessment: assessed }, NOW);
  assert.equal(on.performance?.accuracy, 0.95);
  assert.equal(on.conditions?.find((c) => c.type === "ModelPerformance")?.status, "True");
  const off = withPerformance(on, undefined, NOW);
  assert.equal(off.performance, undefined);
  assert.equal(off.conditions?.find((c) => c.type === "ModelPerformance"), undefined);
  assert.equal(withPerformance(on, {}, NOW), on, "not assessed this time: unchanged");
});
