// PreRollout webhooks: asked when a rollout starts; the new revision gets neither traffic nor
// replicas until all answered 2xx; any failure rolls the rollout back.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { WebhookResult } from "../../../src/rollout/hook-state.ts";
import { Driver, MIN, SEC, canaryPolicy, edges, kinds, noAnswer, ok, reasons, reconcile, refuse, weights } from "./fixtures.ts";

const policy = canaryPolicy({ analysis: undefined, webhooks: ["PreRollout"] });

test("PreRollout: asked at the start with the canary at 0% and zero replicas; 2xx starts step 1 then", async () => {
  const d = new Driver(policy);
  const asking = d.tick(0);
  assert.deepEqual(kinds(edges(asking.actions)), ["CallWebhooks"]);
  assert.deepEqual(asking.actions.find((a) => a.kind === "CallWebhooks"), {
    kind: "CallWebhooks",
    call: { type: "PreRollout", phase: "Progressing", stableRevision: "rev1", canaryRevision: "rev2", modelVersion: "v2", step: 0, weight: 0 },
  });
  assert.deepEqual(weights(asking.actions), [100, 0]);
  assert.ok(asking.actions.some((a) => a.kind === "ScaleRevision" && a.revision === "rev2" && a.size === "Zero"));
  assert.equal(asking.requeueAfterMs, 0);
  assert.deepEqual([d.state.reason, d.state.weight, d.state.hooks.preRolloutPending], ["RunningPreRolloutWebhooks", 0, true]);

  d.tick(5 * SEC, { canaryReady: true });
  const round = await reconcile(d, 20 * SEC, { hooks: { PreRollout: [ok("load-test")] } });
  assert.deepEqual(round.calls.map((c) => c.type), ["PreRollout"]);
  assert.deepEqual(reasons(round.result), ["WebhookPassed"]);
  assert.deepEqual([d.state.phase, d.state.weight, d.state.stepStartedAt, d.state.hooks], ["Progressing", 10, "2026-01-01T00:00:20.000Z", {}]);
  assert.deepEqual(weights(round.result.actions), [90, 10]);
  assert.ok(round.result.actions.some((a) => a.kind === "ScaleRevision" && a.revision === "rev2" && a.size === "ForWeight"));
  assert.equal(d.state.reason, "WaitingForReadiness", "readiness is judged again at the step's size");
  assert.equal((await reconcile(d, 30 * SEC)).calls.length, 0, "asked once per rollout");
});

const failures: [string, WebhookResult[], RegExp][] = [
  ["a 5xx after retries", [refuse("load-test", 500, "boom")], /PreRollout webhook load-test answered 500: boom/],
  ["no answer", [noAnswer("load-test")], /load-test no answer within 10000 ms \(after 3 attempts\)/],
  ["a 4xx", [refuse("load-test", 403, "forbidden")], /load-test answered 403: forbidden/],
  ["one of two", [ok("smoke"), refuse("load-test", 409, "busy")], /^PreRollout webhook load-test answered 409: busy$/],
];
for (const [name, answers, message] of failures) {
  test(`PreRollout: ${name} rolls the rollout back (PreRolloutWebhookFailed) before any traffic`, async () => {
    const d = new Driver(policy);
    const round = await reconcile(d, 0, { hooks: { PreRollout: answers } });
    assert.deepEqual([d.state.phase, d.state.reason, d.state.lastFailure?.reason], ["RolledBack", "PreRolloutWebhookFailed", "PreRolloutWebhookFailed"]);
    assert.match(d.state.message, message);
    assert.deepEqual(kinds(edges(round.result.actions)), ["Rollback"]);
    assert.deepEqual(weights(round.result.actions), [100, 0]);
    const failed = round.result.events.filter((e) => e.reason === "WebhookFailed");
    assert.ok(failed.length > 0 && failed.every((e) => e.type === "Warning" && e.message.startsWith("PreRollout webhook load-test")));
    assert.ok(reasons(round.result).includes("PreRolloutWebhookFailed"));
    assert.deepEqual(d.state.hooks, {});
    assert.equal((await reconcile(d, MIN)).calls.length, 0, "held back, not asked again");
  });
}

test("PreRollout: retry asks again, and a pass then starts the rollout", async () => {
  const d = new Driver(policy);
  await reconcile(d, 0, { hooks: { PreRollout: [refuse("load-test", 500)] } });
  const again = await reconcile(d, MIN, { commands: [{ kind: "retry", id: "r1" }], hooks: { PreRollout: [ok("load-test")] } });
  assert.deepEqual(again.calls.map((c) => c.type), ["PreRollout"]);
  assert.deepEqual([d.state.phase, d.state.weight], ["Progressing", 10]);
});
