import { strict as assert } from "node:assert";
import { test } from "node:test";
import { Driver, SEC, canaryPolicy, edges, kinds, pass, reasons, weights } from "./fixtures.ts";

const blueGreen = (autoPromote = true) =>
  canaryPolicy({ strategy: "BlueGreen", steps: [], autoPromote, scaleDownDelayMs: 30 * SEC });

test("BlueGreen: full-size preview without traffic, switch on a pass, old revision kept for the delay", () => {
  const d = new Driver(blueGreen());
  const start = d.tick(0);
  assert.deepEqual(weights(start.actions), [100, 0]);
  assert.ok(start.actions.some((a) => a.kind === "ScaleRevision" && a.revision === "rev2" && a.size === "Full"));
  const r = d.analyse(30 * SEC, [pass()]);
  assert.deepEqual(kinds(edges(r.actions)), ["Promote"]);
  assert.deepEqual(weights(r.actions), [100, 0]);
  assert.equal(d.state.stable.revision, "rev2");
  assert.deepEqual(d.state.retiring, { revision: "rev1", at: "2026-01-01T00:01:00.000Z" });
  assert.equal(r.requeueAfterMs, 30 * SEC);
  assert.deepEqual(edges(d.tick(59 * SEC, { desired: { revision: "rev2" } }).actions), []);
  const retired = d.tick(60 * SEC, { desired: { revision: "rev2" } });
  assert.deepEqual(edges(retired.actions), [{ kind: "RetireRevision", revision: "rev1" }]);
  assert.deepEqual(reasons(retired), ["RevisionRetired"]);
});

test("BlueGreen without autoPromote waits for a person, without a deadline", () => {
  const d = new Driver(blueGreen(false));
  d.tick(0);
  d.analyse(30 * SEC, [pass()]);
  assert.deepEqual([d.state.phase, d.state.reason], ["Progressing", "WaitingForPromotion"]);
  d.tick(3600 * SEC, { canaryReady: true, verdicts: [] });
  assert.equal(d.state.phase, "Progressing");
  const r = d.tick(3601 * SEC, { canaryReady: true, commands: [{ kind: "promote", id: "go" }] });
  assert.deepEqual(kinds(edges(r.actions)), ["Promote"]);
});

test("Rolling: new revision at full size, no weights, old retired as soon as the new one is ready", () => {
  const d = new Driver(canaryPolicy({ strategy: "Rolling", steps: [], analysis: undefined }));
  const start = d.tick(0);
  assert.equal(weights(start.actions), undefined);
  assert.deepEqual(start.actions, [
    { kind: "ScaleRevision", revision: "rev2", size: "Full" },
    { kind: "ScaleRevision", revision: "rev1", size: "Full" },
  ]);
  const r = d.tick(5 * SEC, { canaryReady: true });
  assert.deepEqual(kinds(edges(r.actions)), ["Promote", "RetireRevision"]);
  assert.equal(d.state.stable.revision, "rev2");
  const ignored = d.tick(6 * SEC, { desired: { revision: "rev2" }, commands: [{ kind: "promote", id: "p" }] });
  assert.equal(ignored.events[0]?.reason, "CommandIgnored");
});

test("a newer revision supersedes the one in progress", () => {
  const d = new Driver(canaryPolicy());
  d.tick(0);
  const r = d.tick(10 * SEC, { desired: { revision: "rev3" } });
  assert.deepEqual(edges(r.actions), [{ kind: "RetireRevision", revision: "rev2" }]);
  assert.deepEqual(reasons(r), ["RolloutSuperseded", "RolloutStarted"]);
  assert.deepEqual([d.state.canary?.revision, d.state.step, d.state.stepStartedAt], ["rev3", 0, "2026-01-01T00:00:10.000Z"]);
  assert.deepEqual(d.state.history.map((h) => [h.revision, h.outcome]), [["rev2", "Superseded"]]);
});

test("the spec going back to the stable revision ends the rollout; a held-back revision is retired", () => {
  const d = new Driver(canaryPolicy());
  d.tick(0);
  const back = d.tick(10 * SEC, { desired: { revision: "rev1" } });
  assert.deepEqual([d.state.phase, d.state.canary], ["Stable", undefined]);
  assert.deepEqual(kinds(edges(back.actions)), ["RetireRevision"]);
  d.tick(20 * SEC, { commands: [{ kind: "abort", id: "a" }] }); // rev2 again, then aborted
  assert.equal(d.state.phase, "RolledBack");
  const dropped = d.tick(30 * SEC, { desired: { revision: "rev1" } });
  assert.deepEqual([d.state.phase, dropped.events], ["Stable", []]);
  assert.deepEqual(edges(dropped.actions), [{ kind: "RetireRevision", revision: "rev2" }]);
  assert.deepEqual(d.state.history.map((h) => h.outcome), ["Superseded", "Aborted"]);
});
