import { strict as assert } from "node:assert";
import { test } from "node:test";
import { commandsFromAnnotations } from "../../../src/rollout/commands.ts";
import { initialState } from "../../../src/rollout/state.ts";
import { Driver, MIN, SEC, canaryPolicy, edges, fail, kinds, pass, reasons, weights } from "./fixtures.ts";

const abort = (id: string) => ({ kind: "abort" as const, id });
const retry = (id: string) => ({ kind: "retry" as const, id });
const pause = (id: string) => ({ kind: "pause" as const, id });
const resume = (id: string) => ({ kind: "resume" as const, id });
const promote = (id: string) => ({ kind: "promote" as const, id });

test("commandsFromAnnotations reads mdo.dev/<command> in application order, abort last", () => {
  assert.deepEqual(commandsFromAnnotations({ "mdo.dev/abort": "a1", "mdo.dev/promote": "p1", "mdo.dev/pause": "", other: "x" }), [
    { kind: "promote", id: "p1" },
    { kind: "abort", id: "a1" },
  ]);
  assert.deepEqual(commandsFromAnnotations(undefined), []);
});

test("abort rolls back (outcome Aborted, not a failure); the same annotation value again does nothing", () => {
  const d = new Driver(canaryPolicy());
  d.tick(0);
  const r = d.tick(20 * SEC, { canaryReady: true, commands: [abort("a1")] });
  assert.deepEqual([d.state.phase, d.state.reason, d.state.lastFailure], ["RolledBack", "Aborted", undefined]);
  assert.deepEqual(weights(r.actions), [100, 0]);
  assert.equal(r.actions[0]?.kind, "SetWeights");
  assert.deepEqual(kinds(edges(r.actions)), ["Rollback"]);
  assert.deepEqual(reasons(r), ["Aborted", "AbortRequested"]);
  assert.deepEqual(d.state.history.map((h) => h.outcome), ["Aborted"]);
  const before = JSON.stringify(d.state);
  const again = d.tick(30 * SEC, { canaryReady: true, commands: [abort("a1")] });
  assert.deepEqual([again.events, edges(again.actions), JSON.stringify(d.state)], [[], [], before]);
});

test("retry restarts a rolled-back revision from the first step with failures reset, once per id", () => {
  const d = new Driver(canaryPolicy({ analysis: { intervalMs: 30 * SEC, failureLimit: 0 } }));
  d.tick(0);
  d.analyse(30 * SEC, [fail()]);
  assert.equal(d.state.phase, "RolledBack");
  const r = d.tick(40 * SEC, { commands: [retry("r1")] });
  assert.ok(reasons(r).includes("RolloutStarted") && reasons(r).includes("RetryRequested"));
  assert.deepEqual([d.state.phase, d.state.step, d.state.analysis.failedChecks, d.state.lastFailure], ["Progressing", 0, 0, undefined]);
  d.analyse(70 * SEC, [pass()]);
  d.analyse(100 * SEC, [pass()]);
  assert.equal(d.state.step, 1);
  d.tick(101 * SEC, { canaryReady: false, commands: [retry("r1")] });
  assert.equal(d.state.step, 1, "the same retry id does not restart the rollout");
});

test("pause holds the rollout past its pause without a deadline; resume continues; both acknowledged once", () => {
  const d = new Driver(canaryPolicy());
  d.tick(0);
  d.tick(10 * SEC, { canaryReady: false, commands: [pause("x")] });
  assert.deepEqual([d.state.pausedByPerson, d.state.reason, d.state.blockedSince], [true, "PausedByPerson", undefined]);
  d.tick(30 * MIN, { canaryReady: false, commands: [pause("x")] });
  assert.equal(d.state.phase, "Progressing", "a person's pause does not count against the deadline");
  d.analyse(31 * MIN, [pass()], [pause("x")]);
  d.analyse(32 * MIN, [pass()], [pause("x")]);
  assert.deepEqual([d.state.step, d.state.analysis.passedThisStep], [0, true], "held although analysis passed and the pause elapsed");
  const resumed = d.tick(32 * MIN + SEC, { canaryReady: true, commands: [pause("x"), resume("y")] });
  assert.deepEqual(reasons(resumed).filter((r) => r.endsWith("Requested")), ["ResumeRequested"]);
  assert.equal(d.state.step, 1, "continues where it was");
  d.tick(32 * MIN + 2 * SEC, { canaryReady: false, commands: [pause("x"), resume("y")] });
  assert.equal(d.state.pausedByPerson, false, "the old pause id is not replayed");
  assert.equal(d.state.blockedSince, "2026-01-01T00:32:01.000Z", "deadline clock restarted at resume");
});

test("analysis still rolls back a paused rollout", () => {
  const d = new Driver(canaryPolicy({ analysis: { intervalMs: 30 * SEC, failureLimit: 0 } }));
  d.tick(0, { commands: [pause("x")] });
  d.analyse(30 * SEC, [fail()], [pause("x")]);
  assert.equal(d.state.phase, "RolledBack");
});

test("promote completes the current step once per id; at the last step it starts promotion", () => {
  const d = new Driver(canaryPolicy());
  d.tick(0);
  d.tick(5 * SEC, { canaryReady: true, commands: [promote("p1")] });
  assert.deepEqual([d.state.step, d.state.weight], [1, 50]);
  d.tick(6 * SEC, { canaryReady: true, commands: [promote("p1")] });
  assert.equal(d.state.step, 1, "the same promote id does not skip another step");
  d.tick(7 * SEC, { canaryReady: true, commands: [promote("p2")] });
  assert.equal(d.state.phase, "Promoting");
});

test("commands that do not apply are acknowledged and ignored with a reason", () => {
  const d = new Driver(canaryPolicy());
  const r = d.tick(0, { desired: { revision: "rev1" }, commands: [abort("a"), resume("b")] });
  assert.deepEqual(r.events.map((e) => [e.reason, e.message]), [
    ["CommandIgnored", "Ignored resume (id b): not paused"],
    ["CommandIgnored", "Ignored abort (id a): no rollout to abort in phase Stable"],
  ]);
  assert.deepEqual(d.state.acknowledged, { abort: "a", resume: "b" });
  d.tick(1, { commands: [abort("a")] });
  assert.equal(d.state.phase, "Progressing", "an abort from before the rollout does not abort it");
});

test("initialState acknowledges annotations present when first seen", () => {
  const d = new Driver(canaryPolicy(), initialState({ revision: "rev1" }, { abort: "old" }));
  d.tick(0, { commands: [abort("old")] });
  assert.equal(d.state.phase, "Progressing");
});
