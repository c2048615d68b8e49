// Rollback webhooks (asked every interval; 2xx rolls back) and PostRollout webhooks (told once
// after a promotion or a rollback, once it was applied; failures only reported).
import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { WebhookResult } from "../../../src/rollout/hook-state.ts";
import { Driver, MIN, SEC, canaryPolicy, edges, kinds, noAnswer, ok, pass, reasons, reconcile, refuse } from "./fixtures.ts";

const answers: [string, WebhookResult, boolean][] = [
  ["200 rolls back", ok("stop-button", 200), true],
  ["204 rolls back", ok("stop-button", 204), true],
  ["404 continues", refuse("stop-button", 404, "no"), false],
  ["500 continues", refuse("stop-button", 500), false],
  ["no answer continues", noAnswer("stop-button"), false],
];
for (const [name, answer, rollsBack] of answers) {
  test(`Rollback webhook: ${name}`, async () => {
    const d = new Driver(canaryPolicy({ analysis: undefined, webhooks: ["Rollback"] }));
    d.tick(0);
    assert.equal((await reconcile(d, 29 * SEC)).calls.length, 0, "first asked one interval after the start");
    const round = await reconcile(d, 30 * SEC, { hooks: { Rollback: [answer] } });
    assert.deepEqual(round.calls.map((c) => [c.type, c.phase, c.canaryRevision]), [["Rollback", "Progressing", "rev2"]], "asked whether ready or not");
    if (rollsBack) {
      assert.deepEqual([d.state.phase, d.state.reason, d.state.lastFailure?.reason], ["RolledBack", "RollbackWebhook", "RollbackWebhook"]);
      assert.match(d.state.message, new RegExp(`^Rollback webhook stop-button answered ${answer.status ?? ""}`));
      assert.deepEqual(kinds(edges(round.result.actions)), ["Rollback"]);
    } else {
      assert.deepEqual([d.state.phase, d.state.hooks.rollbackAt], ["Progressing", "2026-01-01T00:01:00.000Z"]);
      assert.deepEqual(reasons(round.result), ["WebhookFailed"]);
      assert.equal(round.result.events[0]?.type, answer.status === undefined ? "Warning" : "Normal");
    }
  });
}

test("Rollback webhook: asked every analysis interval, with the analysis in the same reconcile", async () => {
  const d = new Driver(canaryPolicy({ analysis: { intervalMs: 45 * SEC, failureLimit: 0 }, webhooks: ["Rollback"] }));
  d.tick(0);
  const first = await reconcile(d, 45 * SEC, { canaryReady: true, verdicts: [pass()], hooks: { Rollback: [refuse("stop-button", 404)] } });
  assert.deepEqual([first.analysed, first.calls.length], [true, 1]);
  assert.equal((await reconcile(d, 80 * SEC, { canaryReady: true })).calls.length, 0);
  const second = await reconcile(d, 90 * SEC, { canaryReady: true, verdicts: [pass()], hooks: { Rollback: [ok("stop-button")] } });
  assert.equal(second.calls.length, 1);
  assert.equal(d.state.reason, "RollbackWebhook");
});

const postPolicy = canaryPolicy({ steps: [{ weight: 50, pauseMs: 0 }], analysis: undefined, webhooks: ["PostRollout"] });

test("PostRollout: told once after a promotion, in the reconcile after it was applied", async () => {
  const d = new Driver(postPolicy);
  d.tick(0);
  await reconcile(d, 10 * SEC, { canaryReady: true });
  const promoted = await reconcile(d, 20 * SEC, { canaryReady: true });
  assert.deepEqual([d.state.phase, promoted.calls.length, promoted.result.requeueAfterMs], ["Stable", 0, 0]);
  assert.ok(kinds(edges(promoted.result.actions)).includes("Promote"));
  const told = await reconcile(d, 21 * SEC, { hooks: { PostRollout: [ok("slack")] } });
  assert.deepEqual(told.calls, [{ type: "PostRollout", phase: "Promoted", stableRevision: "rev2", canaryRevision: "rev2", modelVersion: "v2", step: 0, weight: 100 }]);
  assert.deepEqual(reasons(told.result), ["WebhookPassed"]);
  assert.deepEqual(d.state.hooks, {});
  assert.equal((await reconcile(d, 2 * MIN)).calls.length, 0, "told once");
});

test("PostRollout: told once after a rollback; a failure is a Warning and changes nothing", async () => {
  const d = new Driver(postPolicy);
  d.tick(0);
  const aborted = await reconcile(d, 10 * SEC, { commands: [{ kind: "abort", id: "a1" }] });
  assert.deepEqual([d.state.phase, aborted.calls.length], ["RolledBack", 0]);
  const told = await reconcile(d, 11 * SEC, { commands: [{ kind: "abort", id: "a1" }], hooks: { PostRollout: [refuse("slack", 500, "down")] } });
  assert.deepEqual(told.calls.map((c) => [c.phase, c.canaryRevision, c.stableRevision, c.weight]), [["Aborted", "rev2", "rev1", 50]]);
  assert.deepEqual(told.result.events.map((e) => [e.type, e.reason, e.message]), [["Warning", "WebhookFailed", "PostRollout webhook slack answered 500: down"]]);
  assert.deepEqual([d.state.phase, d.state.reason, d.state.hooks], ["RolledBack", "Aborted", {}]);
  assert.equal((await reconcile(d, MIN)).calls.length, 0, "not retried");
});

test("PostRollout: a new rollout started before the notification still tells about the old one", async () => {
  const d = new Driver(canaryPolicy({ analysis: undefined, webhooks: ["PostRollout", "PreRollout"] }));
  await reconcile(d, 0, { hooks: { PreRollout: [refuse("gate", 500)] } });
  assert.equal(d.state.hooks.notify?.outcome, "RolledBack");
  const retried = await reconcile(d, 10 * SEC, { commands: [{ kind: "retry", id: "r" }], hooks: { PreRollout: [ok("gate")], PostRollout: [ok("slack")] } });
  assert.deepEqual(retried.calls.map((c) => [c.type, c.phase]), [["PreRollout", "Progressing"], ["PostRollout", "RolledBack"]]);
  assert.deepEqual([d.state.phase, d.state.hooks], ["Progressing", {}]);
});

test("PostRollout: a drift rollback of the stable revision is told too", async () => {
  const d = new Driver(postPolicy);
  d.tick(0);
  await reconcile(d, 10 * SEC, { canaryReady: true });
  await reconcile(d, 20 * SEC, { canaryReady: true });
  await reconcile(d, 21 * SEC, { hooks: { PostRollout: [ok("slack")] } });
  const reverted = d.tick(MIN, { revert: { reason: "DataDrift", message: "PSI 0.4 > 0.2" } });
  assert.deepEqual([d.state.phase, d.state.hooks.notify?.outcome, reverted.requeueAfterMs], ["RolledBack", "RolledBack", 0]);
  const told = await reconcile(d, MIN + SEC, { hooks: { PostRollout: [ok("slack")] } });
  assert.deepEqual(told.calls.map((c) => [c.phase, c.canaryRevision, c.stableRevision]), [["RolledBack", "rev2", "rev1"]]);
});
