import { strict as assert } from "node:assert";
import { test } from "node:test";
import { Driver, MIN, SEC, canaryPolicy, edges, kinds, pass, reasons, weights } from "./fixtures.ts";

test("canary walks every step in order to promotion, then retires the old revision", () => {
  const d = new Driver(canaryPolicy());
  const seen: number[] = [];
  const record = () => seen.push(d.state.phase === "Progressing" ? d.state.weight : -1);

  const start = d.tick(0);
  assert.deepEqual(reasons(start), ["RolloutStarted"]);
  assert.deepEqual([d.state.phase, d.state.step, d.state.reason], ["Progressing", 0, "WaitingForReadiness"]);
  assert.deepEqual(weights(start.actions), [90, 10]);
  assert.equal(start.requeueAfterMs, 10 * MIN, "wakes at the deadline while nothing else is due");

  assert.equal(d.tick(10 * SEC, { canaryReady: true }).requeueAfterMs, 20 * SEC, "next analysis at 30s");
  assert.equal(d.state.reason, "WaitingForAnalysis");
  record();
  d.analyse(30 * SEC, [pass()]);
  assert.deepEqual([d.state.reason, d.state.step, d.state.analysis.passedThisStep], ["Pausing", 0, true]);
  assert.equal(d.last?.requeueAfterMs, 30 * SEC);
  record();
  const stepTwo = d.analyse(60 * SEC, [pass()]);
  assert.deepEqual(reasons(stepTwo), ["StepCompleted", "StepStarted"]);
  assert.deepEqual([d.state.step, d.state.weight, d.state.stepStartedAt], [1, 50, "2026-01-01T00:01:00.000Z"]);
  assert.deepEqual(weights(stepTwo.actions), [50, 50]);
  assert.equal(d.state.analysis.passedThisStep, false, "each step needs its own pass");
  record();
  for (const t of [90, 120, 150]) {
    d.analyse(t * SEC, [pass()]);
    assert.deepEqual([d.state.step, d.state.reason], [1, "Pausing"], `at ${t}s`);
    record();
  }
  const last = d.analyse(180 * SEC, [pass()]);
  assert.deepEqual([d.state.phase, d.state.reason], ["Promoting", "Promoting"]);
  assert.ok(last.actions.some((a) => a.kind === "ScaleRevision" && a.revision === "rev2" && a.size === "Full"));
  assert.deepEqual(edges(last.actions), [], "not promoted before the full-size canary is ready");

  const done = d.tick(190 * SEC, { canaryReady: true });
  assert.deepEqual(kinds(edges(done.actions)), ["Promote", "RetireRevision"]);
  assert.deepEqual(weights(done.actions), [100, 0]);
  assert.ok(done.actions.some((a) => a.kind === "SetWeights" && a.stableRevision === "rev2"));
  assert.deepEqual([d.state.phase, d.state.stable.revision, d.state.canary], ["Stable", "rev2", undefined]);
  assert.deepEqual(d.state.history.map((h) => [h.revision, h.outcome, h.modelVersion]), [["rev2", "Promoted", "v2"]]);
  assert.deepEqual(seen, [10, 10, 50, 50, 50, 50], "no step skipped or repeated");
  assert.equal(done.requeueAfterMs, undefined, "nothing timed left");
  assert.deepEqual(edges(d.tick(200 * SEC).actions), [], "retired once");
});

test("a timed pause holds the step even when analysis passed", () => {
  const d = new Driver(canaryPolicy({ steps: [{ weight: 10, pauseMs: 5 * MIN }, { weight: 60, pauseMs: 0 }] }));
  d.tick(0);
  d.analyse(30 * SEC, [pass()]);
  for (const t of [60, 120, 299]) {
    if (d.tick(t * SEC, { canaryReady: true }).actions.some((a) => a.kind === "RunAnalysis")) d.analyse(t * SEC, [pass()]);
    assert.deepEqual([d.state.step, d.state.reason], [0, "Pausing"], `at ${t}s`);
  }
  d.tick(300 * SEC, { canaryReady: true });
  assert.deepEqual([d.state.step, d.state.weight], [1, 60], "advances when the pause ends");
});

test("without analysis a step completes on its pause alone", () => {
  const d = new Driver(canaryPolicy({ analysis: undefined }));
  d.tick(0);
  const held = d.tick(10 * SEC, { canaryReady: true });
  assert.deepEqual([d.state.step, d.state.reason, held.requeueAfterMs], [0, "Pausing", 50 * SEC]);
  d.tick(60 * SEC, { canaryReady: true });
  assert.equal(d.state.step, 1);
});

test("an empty pause waits for a person: no deadline, analysis keeps running, promote continues", () => {
  const d = new Driver(canaryPolicy({ steps: [{ weight: 10, pauseMs: undefined }, { weight: 50, pauseMs: 0 }] }));
  d.tick(0);
  d.analyse(30 * SEC, [pass()]);
  assert.deepEqual([d.state.reason, d.state.blockedSince], ["WaitingForPromotion", undefined]);
  for (let t = 60; t <= 3600; t += 30) d.analyse(t * SEC, [pass()]);
  assert.deepEqual([d.state.phase, d.state.step], ["Progressing", 0], "an hour later, still waiting, not rolled back");
  const promoted = d.tick(3601 * SEC, { canaryReady: true, commands: [{ kind: "promote", id: "p1" }] });
  assert.ok(reasons(promoted).includes("PromoteRequested"));
  assert.deepEqual([d.state.step, d.state.weight], [1, 50]);
});

test("a canary whose model cannot be delivered is rolled back at once, with the fetcher's reason", () => {
  const d = new Driver(canaryPolicy());
  d.tick(0);
  const failure = { reason: "ModelDigestMismatch", message: "pod p init container model-fetcher: s3://m/v2 has digest sha256:aa, but spec.model.digest is sha256:bb" };
  const r = d.tick(20 * SEC, { canaryFailure: failure });
  assert.deepEqual([d.state.phase, d.state.weight, d.state.lastFailure?.reason, d.state.lastFailure?.message], ["RolledBack", 0, failure.reason, failure.message]);
  assert.deepEqual(kinds(edges(r.actions)), ["Rollback"]);
  assert.deepEqual(weights(r.actions), [100, 0], "the canary gets no traffic");
  assert.ok(reasons(r).includes("ModelDigestMismatch"));
});
