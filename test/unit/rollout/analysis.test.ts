import { strict as assert } from "node:assert";
import { test } from "node:test";
import { Driver, MIN, SEC, canaryPolicy, edges, fail, kinds, noData, pass, reasons } from "./fixtures.ts";

test("analysis failures are tolerated up to failureLimit, then the canary is rolled back, stable at 100% first", () => {
  const d = new Driver(canaryPolicy({ analysis: { intervalMs: 30 * SEC, failureLimit: 1 } }));
  d.tick(0);
  const first = d.analyse(30 * SEC, [fail()]);
  assert.deepEqual([d.state.phase, d.state.analysis.failedChecks], ["Progressing", 1]);
  assert.equal(first.events.find((e) => e.reason === "AnalysisFailed")?.type, "Warning");
  d.analyse(60 * SEC, [pass()]);
  assert.equal(d.state.analysis.failedChecks, 1, "a pass does not reset the count of the rollout");
  const second = d.analyse(90 * SEC, [fail("successRate", 0.3)]);
  assert.equal(d.state.phase, "RolledBack");
  assert.equal(second.actions[0]?.kind, "SetWeights", "traffic back to stable before anything else");
  assert.deepEqual(second.actions[0], { kind: "SetWeights", stableRevision: "rev1", stable: 100, canaryRevision: "rev2", canary: 0 });
  assert.deepEqual(kinds(edges(second.actions)), ["Rollback"]);
  assert.ok(second.actions.some((a) => a.kind === "ScaleRevision" && a.revision === "rev2" && a.size === "Zero"));
  assert.equal(d.state.lastFailure?.reason, "AnalysisFailed");
  assert.match(d.state.lastFailure?.message ?? "", /2 analysis intervals failed, more than failureLimit 1; last: .*0.3 < 0.99/);
  assert.deepEqual(d.state.history.map((h) => h.outcome), ["RolledBack"]);
  assert.deepEqual(edges(d.tick(120 * SEC, { canaryReady: true }).actions), [], "rolled back once, then held");
});

test("failureLimit 0 rolls back at the first failed interval", () => {
  const d = new Driver(canaryPolicy({ analysis: { intervalMs: 30 * SEC, failureLimit: 0 } }));
  d.tick(0);
  d.analyse(30 * SEC, [pass(), fail("latencyP99", 900)]);
  assert.deepEqual([d.state.phase, d.state.reason], ["RolledBack", "AnalysisFailed"]);
});

test("noData neither passes a step nor counts as a failure, and the progress deadline still applies", () => {
  const d = new Driver(canaryPolicy({ analysis: { intervalMs: 30 * SEC, failureLimit: 0 } }));
  d.tick(0);
  for (let t = 30; t < 600; t += 30) {
    const r = d.analyse(t * SEC, [pass("latencyP99", 10), noData("successRate")]);
    assert.ok(reasons(r).includes("AnalysisInconclusive"));
    assert.deepEqual([d.state.phase, d.state.step, d.state.analysis.failedChecks], ["Progressing", 0, 0], `at ${t}s`);
    assert.equal(d.state.reason, "WaitingForAnalysis", "pause elapsed long ago, yet no step without a pass");
  }
  const late = d.tick(600 * SEC, { canaryReady: true });
  assert.equal(late.actions.some((a) => a.kind === "RunAnalysis"), true, "analysis still asked for at the deadline");
  d.tick(600 * SEC, { canaryReady: true, verdicts: [noData()] });
  assert.deepEqual([d.state.phase, d.state.lastFailure?.reason], ["RolledBack", "ProgressDeadlineExceeded"]);
  assert.match(d.state.lastFailure?.message ?? "", /no progress for 600s since 2026-01-01T00:00:00.000Z: waiting for a passing analysis interval/);
});

test("progress deadline: a canary that never becomes ready is rolled back with a reason, not earlier", () => {
  const d = new Driver(canaryPolicy());
  d.tick(0);
  d.tick(10 * MIN - 1);
  assert.equal(d.state.phase, "Progressing");
  const r = d.tick(10 * MIN);
  assert.equal(d.state.phase, "RolledBack");
  assert.deepEqual(kinds(edges(r.actions)), ["Rollback"]);
  assert.equal(r.events.at(-1)?.reason, "ProgressDeadlineExceeded");
  assert.match(d.state.message, /waiting for revision rev2 to become ready/);
});

test("verdicts given when no interval is due are ignored", () => {
  const d = new Driver(canaryPolicy({ analysis: { intervalMs: 30 * SEC, failureLimit: 0 } }));
  d.tick(0);
  d.tick(10 * SEC, { canaryReady: true, verdicts: [fail()] });
  assert.deepEqual([d.state.phase, d.state.analysis.failedChecks], ["Progressing", 0]);
});

test("analysis waits for a ready canary: a starting canary is not judged", () => {
  const d = new Driver(canaryPolicy());
  d.tick(0);
  const r = d.tick(45 * SEC, { canaryReady: false });
  assert.equal(r.actions.some((a) => a.kind === "RunAnalysis"), false);
  assert.equal(d.tick(46 * SEC, { canaryReady: true }).requeueAfterMs, 0, "due, so asks now");
});
