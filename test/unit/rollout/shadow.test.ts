// The shadow phase: a Canary rollout with spec.rollout.shadow starts with the candidate at 0% and
// mirrored requests only, analysed with shadowing, and moves to step 1 after its duration.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { ShadowSpec } from "../../../src/api/shadow.ts";
import { policyFromSpec } from "../../../src/rollout/policy.ts";
import { canaryPolicy, Driver, fail, MIN, pass, SEC } from "./fixtures.ts";

const SHADOW: ShadowSpec = { duration: "2m", sampleRate: 0.5, maxInFlight: 64, timeout: "10s", comparison: { mode: "Label" } };
const shadowPolicy = (overrides: Parameters<typeof canaryPolicy>[0] = {}) =>
  canaryPolicy({ shadow: { durationMs: 2 * MIN, spec: SHADOW }, ...overrides });

test("the rollout starts in the shadow phase: candidate at 0% with shadow replicas, stable at full size, mirroring on", () => {
  const d = new Driver(shadowPolicy());
  const started = d.tick(0);
  assert.equal(d.state.shadowing, true);
  assert.deepEqual([d.state.step, d.state.weight], [0, 0]);
  assert.deepEqual(started.actions.slice(0, 4), [
    { kind: "SetWeights", stableRevision: "rev1", stable: 100, canaryRevision: "rev2", canary: 0 },
    { kind: "ScaleRevision", revision: "rev1", size: "Full" },
    { kind: "ScaleRevision", revision: "rev2", size: "Shadow" },
    { kind: "Mirror", stableRevision: "rev1", candidateRevision: "rev2" },
  ]);
  assert.match(started.events.find((e) => e.reason === "RolloutStarted")?.message ?? "", /shadow phase/);
});

test("analysis in the shadow phase is asked for with shadowing; the phase holds for its duration, then step 1 at its weight", () => {
  const d = new Driver(shadowPolicy());
  d.tick(0);
  const ask = d.tick(30 * SEC, { canaryReady: true });
  assert.deepEqual(ask.actions.find((a) => a.kind === "RunAnalysis"), { kind: "RunAnalysis", revision: "rev2", shadowing: true });
  d.tick(30 * SEC, { canaryReady: true, verdicts: [pass("agreement", 0.99)] });
  assert.equal(d.state.reason, "Shadowing");
  assert.match(d.state.message, /50% of requests mirrored, no user traffic/);
  d.analyse(60 * SEC, [pass("agreement", 0.99)]);
  assert.equal(d.state.shadowing, true, "still shadowing before its 2 minutes");
  const done = d.analyse(2 * MIN, [pass("agreement", 0.99)]);
  assert.equal(d.state.shadowing, undefined);
  assert.deepEqual([d.state.step, d.state.weight, d.state.analysis.passedThisStep], [0, 10, false]);
  assert.match(done.events.find((e) => e.reason === "ShadowCompleted")?.message ?? "", /step 1 of 2 sends 10% of traffic to revision rev2/);
  assert.ok(!done.actions.some((a) => a.kind === "Mirror"), "mirroring stops with the phase");
  assert.deepEqual(done.actions.find((a) => a.kind === "ScaleRevision" && a.revision === "rev2"), { kind: "ScaleRevision", revision: "rev2", size: "ForWeight" });
  const later = d.analyse(2 * MIN + 30 * SEC, [pass()]);
  assert.ok(later.actions.some((a) => a.kind === "SetWeights" && a.canary === 10));
});

test("the shadow phase does not end without a passing interval, and failing ones roll back before any user traffic", () => {
  const d = new Driver(shadowPolicy());
  d.tick(0);
  d.analyse(30 * SEC, [fail("agreement", 0.7)]);
  d.tick(2 * MIN, { canaryReady: true });
  assert.equal(d.state.shadowing, true, "no passing interval yet: the duration alone does not end the phase");
  const rolledBack = d.analyse(2 * MIN + 30 * SEC, [fail("agreement", 0.7)]);
  assert.equal(d.state.phase, "RolledBack");
  assert.equal(d.state.shadowing, undefined);
  assert.equal(d.state.weight, 0);
  assert.ok(rolledBack.actions.some((a) => a.kind === "Rollback"));
  assert.ok(!rolledBack.actions.some((a) => a.kind === "Mirror"));
  assert.deepEqual(d.state.history.map((h) => h.outcome), ["RolledBack"]);
});

test("a person's promote ends the shadow phase (step 1), not the whole rollout", () => {
  const d = new Driver(shadowPolicy({ analysis: undefined }));
  d.tick(0);
  d.tick(10 * SEC, { canaryReady: true, commands: [{ kind: "promote", id: "p1" }] });
  assert.deepEqual([d.state.phase, d.state.shadowing, d.state.step, d.state.weight], ["Progressing", undefined, 0, 10]);
});

test("without analysis the phase lasts its duration once the candidate is ready", () => {
  const d = new Driver(shadowPolicy({ analysis: undefined }));
  d.tick(0);
  d.tick(MIN, { canaryReady: true });
  assert.equal(d.state.shadowing, true);
  d.tick(2 * MIN, { canaryReady: true });
  assert.deepEqual([d.state.shadowing, d.state.weight], [undefined, 10]);
});

test("policyFromSpec: shadow only for Canary, with its duration in ms", () => {
  const canary = policyFromSpec({ strategy: "Canary", steps: [{ weight: 10, pause: "1m" }], shadow: SHADOW, progressDeadline: "10m" });
  assert.equal(canary.shadow?.durationMs, 2 * MIN);
  assert.equal(canary.shadow?.spec.sampleRate, 0.5);
  const none = policyFromSpec({ strategy: "Canary", steps: [{ weight: 10, pause: "1m" }], progressDeadline: "10m" });
  assert.equal(none.shadow, undefined);
});
