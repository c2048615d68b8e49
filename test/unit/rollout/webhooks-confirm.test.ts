// ConfirmPromotion webhooks: an automatic promotion waits until every hook answers 2xx, asking
// again every 30 s; the wait is like a person's (no progress deadline) and survives a restart.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { RolloutPolicy } from "../../../src/rollout/policy.ts";
import type { RolloutState } from "../../../src/rollout/state.ts";
import { Driver, MIN, SEC, canaryPolicy, kinds, edges, ok, pass, reasons, reconcile, refuse } from "./fixtures.ts";

const policy = canaryPolicy({ analysis: undefined, webhooks: ["ConfirmPromotion"] });

/** Walks the two steps (10% for 1m, 50% for 2m) of a ready canary up to the end of the last pause. */
async function toLastPause(p: RolloutPolicy = policy): Promise<Driver> {
  const d = new Driver(p);
  d.tick(0);
  await reconcile(d, 10 * SEC, { canaryReady: true });
  await reconcile(d, MIN, { canaryReady: true });
  assert.deepEqual([d.state.step, d.state.weight], [1, 50]);
  await reconcile(d, MIN + 10 * SEC, { canaryReady: true });
  return d;
}

test("ConfirmPromotion: asked once the last step is done; a refusal waits (WaitingForConfirmation), asked again after 30 s; 2xx promotes", async () => {
  const d = await toLastPause();
  const first = await reconcile(d, 3 * MIN, { canaryReady: true, hooks: { ConfirmPromotion: [ok("ci"), refuse("change-board", 403, "ticket CHG-1 not approved")] } });
  assert.deepEqual(first.calls, [{ type: "ConfirmPromotion", phase: "Progressing", stableRevision: "rev1", canaryRevision: "rev2", modelVersion: "v2", step: 1, weight: 50 }]);
  assert.deepEqual([d.state.phase, d.state.step, d.state.reason], ["Progressing", 1, "WaitingForConfirmation"]);
  assert.match(d.state.message, /asking again at 2026-01-01T00:03:30.000Z: change-board answered 403: ticket CHG-1 not approved/);
  assert.equal(first.result.requeueAfterMs, 30 * SEC);
  assert.deepEqual(reasons(first.result), ["WebhookPassed", "WebhookFailed"]);
  assert.equal(first.result.events[1]?.type, "Normal", "a refusal is the ordinary 'not yet'");
  assert.deepEqual(edges(first.result.actions), []);

  const early = await reconcile(d, 3 * MIN + 20 * SEC, { canaryReady: true });
  assert.deepEqual([early.calls.length, early.result.requeueAfterMs, d.state.reason], [0, 10 * SEC, "WaitingForConfirmation"]);
  assert.match(d.state.message, /CHG-1/, "the last answer stays in the message while waiting");

  const again = await reconcile(d, 3 * MIN + 30 * SEC, { canaryReady: true, hooks: { ConfirmPromotion: [ok("ci"), refuse("change-board", 500)] } });
  assert.equal(again.calls.length, 1);
  assert.equal(d.state.hooks.confirmAt, "2026-01-01T00:04:00.000Z");

  const yes = await reconcile(d, 4 * MIN, { canaryReady: true, hooks: { ConfirmPromotion: [ok("ci"), ok("change-board")] } });
  assert.equal(d.state.phase, "Promoting");
  assert.deepEqual(d.state.hooks, {});
  assert.match(yes.result.events.find((e) => e.reason === "PromotionStarted")?.message ?? "", /ConfirmPromotion webhooks answered 2xx/);
  await reconcile(d, 4 * MIN + 10 * SEC, { canaryReady: true });
  assert.deepEqual([d.state.phase, d.state.stable.revision], ["Stable", "rev2"]);
});

test("ConfirmPromotion: waiting does not consume the progress deadline, however long", async () => {
  const d = await toLastPause();
  for (let t = 3 * MIN; t <= 30 * MIN; t += 30 * SEC) {
    await reconcile(d, t, { canaryReady: true, hooks: { ConfirmPromotion: [refuse("change-board")] } });
    assert.deepEqual([d.state.phase, d.state.reason, d.state.blockedSince], ["Progressing", "WaitingForConfirmation", undefined], `at ${t / 1000}s`);
  }
  await reconcile(d, 30 * MIN + 30 * SEC, { canaryReady: true, hooks: { ConfirmPromotion: [ok("change-board")] } });
  assert.equal(d.state.phase, "Promoting");
});

test("ConfirmPromotion: a canary that stops being ready while waiting is blocked again, and the deadline runs from then", async () => {
  const d = await toLastPause();
  await reconcile(d, 3 * MIN, { canaryReady: true, hooks: { ConfirmPromotion: [refuse("change-board")] } });
  await reconcile(d, 4 * MIN, { canaryReady: false });
  assert.deepEqual([d.state.reason, d.state.blockedSince], ["WaitingForReadiness", "2026-01-01T00:04:00.000Z"]);
  await reconcile(d, 14 * MIN, { canaryReady: false });
  assert.deepEqual([d.state.phase, d.state.reason], ["RolledBack", "ProgressDeadlineExceeded"]);
});

test("ConfirmPromotion: a restarted operator resumes the wait from status, asking at the persisted time", async () => {
  const d = await toLastPause();
  await reconcile(d, 3 * MIN, { canaryReady: true, hooks: { ConfirmPromotion: [refuse("change-board")] } });
  const restarted = new Driver(policy, JSON.parse(JSON.stringify(d.state)) as RolloutState);
  const before = await reconcile(restarted, 3 * MIN + 29 * SEC, { canaryReady: true });
  assert.deepEqual([before.calls.length, before.result.requeueAfterMs, restarted.state.reason], [0, SEC, "WaitingForConfirmation"]);
  const at = await reconcile(restarted, 3 * MIN + 30 * SEC, { canaryReady: true, hooks: { ConfirmPromotion: [ok("change-board")] } });
  assert.deepEqual([at.calls.length, restarted.state.phase], [1, "Promoting"]);
});

test("ConfirmPromotion: with analysis, asked in the same reconcile right after the last passing interval", async () => {
  const d = new Driver(canaryPolicy({ steps: [{ weight: 50, pauseMs: 0 }], webhooks: ["ConfirmPromotion"] }));
  d.tick(0);
  const round = await reconcile(d, 30 * SEC, { canaryReady: true, verdicts: [pass()], hooks: { ConfirmPromotion: [ok("ci")] } });
  assert.equal(round.analysed, true);
  assert.deepEqual(round.calls.map((c) => c.type), ["ConfirmPromotion"]);
  assert.equal(d.state.phase, "Promoting");
});

test("ConfirmPromotion: not asked before the last step, nor when a person promotes (the person confirms)", async () => {
  const d = new Driver(policy);
  d.tick(0);
  assert.equal((await reconcile(d, 10 * SEC, { canaryReady: true })).calls.length, 0);
  await reconcile(d, MIN, { canaryReady: true });
  const promoted = await reconcile(d, MIN + 5 * SEC, { canaryReady: true, commands: [{ kind: "promote", id: "p1" }] });
  assert.deepEqual([promoted.calls.length, d.state.phase], [0, "Promoting"]);
  assert.deepEqual(kinds(edges(promoted.result.actions)), []);
});

test("ConfirmPromotion: gates the blue-green switch", async () => {
  const d = new Driver(canaryPolicy({ strategy: "BlueGreen", steps: [], analysis: undefined, webhooks: ["ConfirmPromotion"] }));
  d.tick(0);
  await reconcile(d, 10 * SEC, { canaryReady: true, hooks: { ConfirmPromotion: [refuse("ci")] } });
  assert.deepEqual([d.state.phase, d.state.reason], ["Progressing", "WaitingForConfirmation"]);
  await reconcile(d, 40 * SEC, { canaryReady: true, hooks: { ConfirmPromotion: [ok("ci")] } });
  assert.deepEqual([d.state.phase, d.state.stable.revision], ["Stable", "rev2"], "the preview was ready at full size: switched at once");
});
