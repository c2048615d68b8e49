import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ModelDeploymentObject } from "../../../src/controllers/modeldeployment/resource.ts";
import { AnalysisHistory, MAX_INTERVALS } from "../../../src/dashboard/analysis-history.ts";
import { canaryMd } from "../cli/fixtures.ts";

const KEY = "ml/fraud";
const T = Date.parse("2026-03-01T12:00:00Z");
const minute = (n: number): string => new Date(T + n * 60_000).toISOString();

/** The canary fixture with its canary at `revision`, step, weight, analysed at `evaluatedAt` with a successRate `value`. */
function analysed(evaluatedAt: string | undefined, revision = "bbbb222222", value = 0.997, step = 0, weight = 25): ModelDeploymentObject {
  const md = canaryMd();
  const canary = md.status?.canary;
  assert.ok(canary !== undefined);
  canary.revision = revision;
  canary.step = step;
  canary.weight = weight;
  canary.analysis = {
    failedChecks: 0,
    ...(evaluatedAt !== undefined && { evaluatedAt }),
    checks: [{ name: "successRate", status: "pass", value, reason: "SuccessRateAboveMin", message: `success rate ${value}` }],
  };
  return md;
}

describe("AnalysisHistory", () => {
  it("records an interval with its revision, step, weight and checks", () => {
    const history = new AnalysisHistory();
    history.observe(KEY, analysed(minute(1), "bbbb222222", 0.98, 1, 50));
    assert.deepEqual(history.intervals(KEY), [{
      evaluatedAt: minute(1), revision: "bbbb222222", step: 1, weight: 50,
      checks: [{ name: "successRate", status: "pass", value: 0.98, reason: "SuccessRateAboveMin", message: "success rate 0.98" }],
    }]);
  });

  it("records each evaluatedAt once, however often the watch delivers it", () => {
    const history = new AnalysisHistory();
    history.observe(KEY, analysed(minute(1), "bbbb222222", 0.98));
    history.observe(KEY, analysed(minute(1), "bbbb222222", 0.5));
    history.observe(KEY, analysed(minute(2)));
    history.observe(KEY, analysed(minute(2)));
    const intervals = history.intervals(KEY);
    assert.deepEqual(intervals.map((i) => i.evaluatedAt), [minute(1), minute(2)]);
    assert.equal(intervals[0]?.checks[0]?.value, 0.98, "the first delivery of an interval is kept");
  });

  it(`keeps the last ${MAX_INTERVALS} intervals, oldest first`, () => {
    const history = new AnalysisHistory();
    for (let i = 0; i < MAX_INTERVALS + 5; i++) history.observe(KEY, analysed(minute(i)));
    const intervals = history.intervals(KEY);
    assert.equal(intervals.length, MAX_INTERVALS);
    assert.equal(intervals[0]?.evaluatedAt, minute(5));
    assert.equal(intervals.at(-1)?.evaluatedAt, minute(MAX_INTERVALS + 4));
  });

  it("starts a new timeline when a new canary revision is analysed", () => {
    const history = new AnalysisHistory();
    history.observe(KEY, analysed(minute(1), "bbbb222222"));
    history.observe(KEY, analysed(minute(2), "bbbb222222"));
    history.observe(KEY, analysed(minute(3), "dddd444444"));
    assert.deepEqual(history.intervals(KEY).map((i) => [i.revision, i.evaluatedAt]), [["dddd444444", minute(3)]]);
  });

  it("keeps the timeline when a status has no canary or no evaluatedAt yet", () => {
    const history = new AnalysisHistory();
    history.observe(KEY, analysed(minute(1)));
    const promoted = canaryMd();
    delete promoted.status?.canary;
    history.observe(KEY, promoted);
    history.observe(KEY, analysed(undefined, "dddd444444"));
    assert.deepEqual(history.intervals(KEY).map((i) => [i.revision, i.evaluatedAt]), [["bbbb222222", minute(1)]]);
  });

  it("keeps one timeline per key and forgets a deleted ModelDeployment's", () => {
    const history = new AnalysisHistory();
    history.observe(KEY, analysed(minute(1)));
    history.observe("ml/other", analysed(minute(2)));
    history.forget(KEY);
    assert.deepEqual(history.intervals(KEY), []);
    assert.deepEqual(history.intervals("ml/other").map((i) => i.evaluatedAt), [minute(2)]);
  });

  it("hands out copies and keeps copies of what it observed", () => {
    const history = new AnalysisHistory();
    const md = analysed(minute(1), "bbbb222222", 0.98);
    history.observe(KEY, md);
    const check = md.status?.canary?.analysis?.checks?.[0];
    assert.ok(check !== undefined);
    check.value = 0;
    const out = history.intervals(KEY);
    out[0]!.checks[0]!.value = 1;
    out.push({ ...out[0]!, evaluatedAt: minute(9) });
    assert.deepEqual(history.intervals(KEY).map((i) => [i.evaluatedAt, i.checks[0]?.value]), [[minute(1), 0.98]]);
  });
});
