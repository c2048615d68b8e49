// The previous revision is kept after a promotion, and a drift action can return to it.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { Driver, SEC, canaryPolicy, edges, pass, reasons, weights } from "./fixtures.ts";

const rev2 = { revision: "rev2", modelVersion: "v2" };
const drift = { reason: "DataDrift", message: "feature petal_length PSI 0.86 > 0.25" };

/** A Driver whose rollout of rev2 was promoted at 60 s (rev1 kept as previous). */
function promoted(): Driver {
  const d = new Driver(canaryPolicy({ steps: [{ weight: 50, pauseMs: 0 }], analysis: undefined }));
  d.tick(0);
  d.tick(1 * SEC, { canaryReady: true });
  d.tick(2 * SEC, { canaryReady: true });
  assert.equal(d.state.stable.revision, "rev2");
  return d;
}

test("after a promotion the replaced revision is kept as previous, at zero replicas once retired", () => {
  const d = promoted();
  assert.deepEqual(d.state.previous, { revision: "rev1", modelVersion: "v1" });
  const r = d.tick(3 * SEC, { desired: rev2 });
  assert.ok(r.actions.some((a) => a.kind === "ScaleRevision" && a.revision === "rev1" && a.size === "Zero"), "previous held at zero");
  assert.ok(r.actions.some((a) => a.kind === "ScaleRevision" && a.revision === "rev2" && a.size === "Full"));
});

test("revert returns all traffic to the previous revision and holds the replaced one back", () => {
  const d = promoted();
  const r = d.tick(10 * SEC, { desired: rev2, revert: drift });
  assert.equal(d.state.phase, "RolledBack");
  assert.deepEqual(d.state.stable, { revision: "rev1", modelVersion: "v1" });
  assert.deepEqual(d.state.canary, rev2);
  assert.equal(d.state.previous, undefined);
  assert.deepEqual(weights(r.actions), [100, 0]);
  assert.deepEqual(edges(r.actions), [{ kind: "Rollback", revision: "rev2", reason: "DataDrift", message: drift.message }]);
  assert.deepEqual(reasons(r), ["DataDrift"]);
  assert.equal(d.state.history.at(-1)?.outcome, "RolledBack");
  assert.equal(d.state.lastFailure?.reason, "DataDrift");
  // The spec still asks for rev2: it stays held back, no new rollout starts by itself.
  d.tick(20 * SEC, { desired: rev2 });
  assert.equal(d.state.phase, "RolledBack");
  // A retry rolls rev2 out again from the first step.
  d.tick(30 * SEC, { desired: rev2, commands: [{ kind: "retry", id: "1" }] });
  assert.equal(d.state.phase, "Progressing");
});

test("revert without a previous revision, or during a rollout, is refused with a RevertIgnored Event", () => {
  const fresh = new Driver(canaryPolicy());
  const none = fresh.tick(0, { desired: { revision: "rev1", modelVersion: "v1" }, revert: drift });
  assert.equal(fresh.state.phase, "Stable");
  assert.deepEqual(reasons(none), ["RevertIgnored"]);
  const rolling = new Driver(canaryPolicy());
  rolling.tick(0);
  const during = rolling.tick(SEC, { revert: drift, canaryReady: true, verdicts: [pass()] });
  assert.ok(reasons(during).includes("RevertIgnored"));
  assert.equal(rolling.state.phase, "Progressing");
});
