// The chaos run's checks (test/support/chaos-checks.ts) can fail: a record of a correct run
// passes them all, and the same record with one thing wrong fails exactly the check about it.
// No cluster needed; it sits beside chaos.test.ts, whose records these checks judge.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { checkAll, type ChaosRecord, type FinalView, type StatusSample } from "../../support/chaos-checks.ts";
import type { ChaosPlan, RolloutPlan } from "../../support/chaos-plan.ts";
import type { HookCall } from "../../support/chaos-receiver.ts";

const T0 = 1_000_000;
const BOUNDS = { each: 60, tailEach: 2 };
const rollout = (name: string, verdict: RolloutPlan["verdict"], extra: Partial<RolloutPlan> = {}): RolloutPlan =>
  ({ name, verdict, rollbackAtStep: 0, confirmRefusals: 0, postRolloutStatus: 200, startAtMs: 0, ...extra });
const PLAN: ChaosPlan = {
  seed: 1,
  shape: { count: 4, weights: [20, 60], faults: 0, faultWindowMs: 10_000, startSpreadMs: 0, confirmRefusals: true },
  rollouts: [rollout("a", "Promoted", { confirmRefusals: 1 }), rollout("b", "AnalysisFailed"), rollout("c", "PreRolloutWebhookFailed"), rollout("d", "RollbackWebhook", { rollbackAtStep: 1 })],
  faults: [],
};

function call(name: string, type: HookCall["type"], atMs: number, status: number, step = 0, weight = 0, phase = "Progressing"): HookCall {
  const stableRevision = type === "PostRollout" && phase === "Promoted" ? `new-${name}` : `old-${name}`;
  return { at: T0 + atMs, name, type, phase, step, weight, stableRevision, canaryRevision: `new-${name}`, modelVersion: "v2", status };
}

function final(name: string, phase: string, promoted: boolean, reason: string, step: number): FinalView {
  return {
    metadata: { name, generation: 2 },
    status: {
      observedGeneration: 2,
      conditions: [
        { type: "Ready", status: promoted ? "True" : "False" }, { type: "Reconciling", status: "False" },
        { type: "Stalled", status: promoted ? "False" : "True", ...(promoted ? {} : { reason }) },
      ],
      stable: promoted ? { revision: `new-${name}`, modelVersion: "v2" } : { revision: `old-${name}`, modelVersion: "v1" },
      rollout: { phase, step, reason },
      history: [{ revision: `new-${name}`, modelVersion: "v2", outcome: promoted ? "Promoted" : "RolledBack" }],
    },
  };
}

function samples(name: string, ranks: [string, number, boolean][]): StatusSample[] {
  return ranks.map(([phase, step, newStable], i) => ({ at: T0 + i * 5000, phase, step, stableRevision: newStable ? `new-${name}` : `old-${name}` }));
}

/** What a correct run of PLAN records. */
function goodRecord(): ChaosRecord {
  return {
    plan: PLAN, t0: T0, intervalMs: 10_000, faults: [],
    calls: [
      call("a", "PreRollout", 1000, 200), call("a", "Rollback", 11_000, 409, 0, 20), call("a", "Rollback", 21_000, 409, 1, 60),
      call("a", "ConfirmPromotion", 21_500, 403, 1, 60), call("a", "ConfirmPromotion", 51_500, 200, 1, 60), call("a", "PostRollout", 53_000, 200, 1, 100, "Promoted"),
      call("b", "PreRollout", 1000, 200), call("b", "Rollback", 11_000, 409, 0, 20), call("b", "PostRollout", 11_500, 200, 0, 20, "RolledBack"),
      call("c", "PreRollout", 1000, 403), call("c", "PostRollout", 1500, 400, 0, 0, "RolledBack"),
      call("d", "PreRollout", 1000, 200), call("d", "Rollback", 11_000, 409, 0, 20), call("d", "Rollback", 21_000, 200, 1, 60), call("d", "PostRollout", 21_500, 200, 1, 60, "RolledBack"),
    ],
    initial: new Map(["a", "b", "c", "d"].map((n) => [n, `old-${n}`])),
    final: [final("a", "Stable", true, "Stable", 0), final("b", "RolledBack", false, "AnalysisFailed", 0), final("c", "RolledBack", false, "PreRolloutWebhookFailed", 0), final("d", "RolledBack", false, "RollbackWebhook", 1)],
    samples: new Map([
      ["a", samples("a", [["Stable", 0, false], ["Progressing", 0, false], ["Progressing", 1, false], ["Promoting", 1, false], ["Stable", 0, true]])],
      ["d", samples("d", [["Stable", 0, false], ["Progressing", 0, false], ["Progressing", 1, false], ["RolledBack", 1, false]])],
    ]),
    events: [
      { name: "a", reason: "RolloutStarted", message: "Started Canary rollout" }, { name: "a", reason: "StepStarted", message: "Started step 2 of 2: 60%" },
      { name: "a", reason: "PromotionStarted", message: "Promoting" }, { name: "d", reason: "StepStarted", message: "Started step 2 of 2: 60%" },
    ],
    reconciles: { total: 4 * 20, tail: 0, tailMs: 10_000 },
  };
}

/** The record with `change` applied, and the problems the checks find in it. */
function problems(change: (r: { -readonly [K in keyof ChaosRecord]: ChaosRecord[K] }) => void): string[] {
  const r = structuredClone(goodRecord()) as { -readonly [K in keyof ChaosRecord]: ChaosRecord[K] };
  change(r);
  return checkAll(r, BOUNDS);
}

const one = (found: string[], pattern: RegExp): void => {
  assert.equal(found.length, 1, `exactly one problem, found: ${JSON.stringify(found)}`);
  assert.match(found[0]!, pattern);
};

test("a correct run's record passes every check", () => {
  assert.deepEqual(checkAll(goodRecord(), BOUNDS), []);
});

test("outcomes: a promotion that left the old revision stable, a rollback for another reason", () => {
  const stayed = problems((r) => {
    r.final = r.final.map((md) => (md.metadata.name === "a" ? { ...md, status: { ...md.status, stable: { revision: "old-a", modelVersion: "v1" } } } : md));
  });
  one(stayed, /^a \(Promoted\): status.stable is old-a\/v1, expected the new revision new-a\/v2/);
  const reason = problems((r) => {
    r.final = r.final.map((md) => (md.metadata.name === "b" ? final("b", "RolledBack", false, "ProgressDeadlineExceeded", 0) : md));
  });
  assert.ok(reason.some((p) => /^b \(AnalysisFailed\): rollout phase RolledBack \(ProgressDeadlineExceeded\), expected RolledBack \(AnalysisFailed\)/.test(p)), reason.join("\n"));
  const twice = problems((r) => {
    r.final = r.final.map((md) => (md.metadata.name === "d" ? { ...md, status: { ...md.status, history: [...md.status!.history!, ...md.status!.history!] } } : md));
  });
  one(twice, /^d \(RollbackWebhook\): status.history has .* expected one RolledBack entry for new-d/);
});

test("progress: status going back a step, a step announced twice", () => {
  one(problems((r) => {
    r.samples = new Map([["a", samples("a", [["Progressing", 1, false], ["Progressing", 0, false], ["Promoting", 1, false], ["Stable", 0, true]])]]);
  }), /^a: status went back from Progressing step 1 .* to Progressing step 0/);
  one(problems((r) => {
    r.events = [...r.events, { name: "a", reason: "StepStarted", message: "Started step 2 of 2: 60%" }];
  }), /^a: 2 StepStarted 2 Events, expected at most 1/);
});

test("hooks: a once-only call repeated without a fault (allowed across one), a missing notification, a hook called after it", () => {
  const again = (r: { calls: readonly HookCall[] }): void => void (r.calls = [...r.calls, call("b", "PreRollout", 5000, 200)]);
  one(problems(again), /^b: PreRollout called again at 5000 ms \(before: 1000 ms\) with no fault in between/);
  assert.deepEqual(problems((r) => {
    again(r);
    r.faults = [{ kind: "operator-kill", plannedMs: 2000, startMs: 2000, endMs: 4000, detail: "killed" }];
  }), [], "a repeat across an operator kill is what at-least-once allows");
  one(problems((r) => void (r.calls = r.calls.filter((c) => !(c.name === "c" && c.type === "PostRollout")))), /^c \(PreRolloutWebhookFailed\): PostRollout hook never called/);
  one(problems((r) => void (r.calls = [...r.calls, call("b", "Rollback", 30_000, 409, 0, 20)])), /^b \(AnalysisFailed\): Rollback called after the PostRollout notification/);
});

test("hooks: a Rollback hook asked before its interval, a refused ConfirmPromotion asked again before 30 s, a PreRollout hook that decided the wrong way", () => {
  // 11 s, 14 s, 21 s: both gaps are too short.
  const early = problems((r) => void (r.calls = [...r.calls, call("a", "Rollback", 14_000, 409, 0, 20)]));
  assert.equal(early.length, 2, early.join("\n"));
  assert.match(early[0]!, /^a: Rollback asked again after 3000 ms \(at 14000 ms\), its period is 10000 ms/);
  one(problems((r) => void (r.calls = r.calls.map((c) => (c.name === "a" && c.type === "ConfirmPromotion" && c.status === 200 ? { ...c, at: T0 + 26_500 } : c)))),
    /^a: ConfirmPromotion asked again after 5000 ms \(at 26500 ms\), its period is 30000 ms/);
  const rollbackAtZero = problems((r) => void (r.calls = r.calls.map((c) => (c.name === "d" && c.type === "Rollback" ? { ...c, status: 200 } : c))));
  assert.ok(rollbackAtZero.some((p) => /^d \(RollbackWebhook\): a Rollback hook answered 2xx at step 0, 1, the plan says step 1/.test(p)), rollbackAtZero.join("\n"));
});

test("settled and reconciles: Reconciling left True, a reconcile loop, reconciles after the end", () => {
  one(problems((r) => {
    r.final = r.final.map((md) => (md.metadata.name === "a" ? { ...md, status: { ...md.status, conditions: [{ type: "Reconciling", status: "True", reason: "RollingOut", message: "step 2" }] } } : md));
  }), /^a: Reconciling=True at the end \(RollingOut: step 2\)/);
  one(problems((r) => void (r.reconciles = { ...r.reconciles, total: 4 * 61 })), /^244 reconciles for 4 ModelDeployments \(61.0 each\), at most 60 each/);
  one(problems((r) => void (r.reconciles = { ...r.reconciles, tail: 9 })), /^9 reconciles in the 10000 ms after every rollout ended/);
});
