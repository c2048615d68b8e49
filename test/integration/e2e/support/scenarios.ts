// The three end-to-end scenarios and what each must show: the decision (promoted or rolled
// back, and why), the measured values behind it in status and Events, what the load generator
// sent where, and — for a rollback — how soon it came.
import { strict as assert } from "node:assert";
import { condition } from "../../../support/mdep.ts";
import type { RolloutMdepView } from "../../../support/rollout.ts";
import type { RevisionTally } from "../../../support/e2e/weighted-load.ts";
import { numberAfter, type ShownCheck } from "./status-views.ts";

export interface Outcome {
  done: RolloutMdepView;
  stableRevision: string;
  canaryRevision: string;
  versions: readonly RolloutMdepView[];
  checks: Record<string, ShownCheck[]>;
  /** Event messages by reason. */
  events: Record<string, string[]>;
  reasons: string[];
  rolloutStartedMs: number;
  tally: ReadonlyMap<string, RevisionTally>;
  /** The canary's desired weight in each distinct status.traffic the load generator saw. */
  canaryWeightsSeen: number[];
}

export interface Policy {
  intervalMs: number;
  failureLimit: number;
}

export interface Scenario {
  kind: "healthy" | "failing" | "drift";
  title: string;
  /** Which MLServer the canary's agent fronts. */
  canaryServer: "healthy" | "failing";
  verify(o: Outcome, policy: Policy): void;
}

/** Every request sent to `revision` answered `status` (and some were sent). */
function allAnswered(o: Outcome, revision: string, status: number, who: string): void {
  const statuses = o.tally.get(revision)?.statuses ?? new Map<number, number>();
  const sent = [...statuses.values()].reduce((a, b) => a + b, 0);
  assert.ok(sent > 0, `requests were sent to the ${who}`);
  assert.deepEqual([...statuses.keys()], [status], `every request to the ${who} answered ${status}: ${JSON.stringify([...statuses])}`);
}

const SR = "successRate: success rate ";
const P99 = "latencyP99: p99 latency ";
/** The drift check's value in messages: the smallest Bonferroni-adjusted p-value (drift-verdict.ts). */
const NO_DRIFT = "drift: no drift detected, adjusted p-value ";
const DRIFT = "drift: drift detected, adjusted p-value ";

function promoted(o: Outcome): void {
  const s = o.done.status;
  assert.equal(s?.rollout?.phase, "Stable");
  assert.equal(s?.stable?.revision, o.canaryRevision, "status.stable is the canary revision");
  assert.deepEqual(s?.history?.map((h) => [h.revision, h.outcome]).at(-1), [o.canaryRevision, "Promoted"]);
  assert.ok(o.reasons.includes("Promoted"), `a Promoted Event (got ${o.reasons.join(", ")})`);
  for (const w of [50, 75, 100]) assert.ok(o.canaryWeightsSeen.includes(w), `the load followed the canary to ${w}% (saw ${o.canaryWeightsSeen.join(", ")})`);
  allAnswered(o, o.stableRevision, 200, "stable");
  allAnswered(o, o.canaryRevision, 200, "canary");
  // Every step needs a passing interval: at least two, with every measured value in bounds.
  const passes = (o.checks.successRate ?? []).filter((c, i) => c.status === "pass"
    && o.checks.latencyP99?.[i]?.status === "pass" && o.checks.drift?.[i]?.status === "pass");
  assert.ok(passes.length >= 2, `two intervals passed all checks in status.canary.analysis.checks: ${JSON.stringify(o.checks)}`);
  for (const c of o.checks.successRate?.filter((x) => x.status === "pass") ?? []) assert.ok(c.value !== undefined && c.value >= 0.95, c.message);
  for (const c of o.checks.latencyP99?.filter((x) => x.status === "pass") ?? []) assert.ok(c.value !== undefined && c.value <= 2000, c.message);
  for (const c of o.checks.drift?.filter((x) => x.status === "pass") ?? []) assert.ok(c.reason === "NoDriftDetected" && c.value !== undefined && c.value >= 0.01, c.message);
  const passed = o.events.AnalysisPassed ?? [];
  assert.ok(passed.length >= 2, `an AnalysisPassed Event per step: ${passed.join(" | ")}`);
  for (const m of passed) {
    assert.ok(numberAfter(m, SR) >= 0.95 && numberAfter(m, P99) <= 2000 && numberAfter(m, NO_DRIFT) >= 0.01, `AnalysisPassed names the measured values: ${m}`);
  }
}

/** Rolled back on AnalysisFailed within the bound; returns the last failure's message. */
function rolledBack(o: Outcome, p: Policy): string {
  const s = o.done.status;
  assert.deepEqual([s?.rollout?.phase, s?.rollout?.reason], ["RolledBack", "AnalysisFailed"]);
  assert.equal(s?.stable?.revision, o.stableRevision, "the stable revision stays");
  assert.deepEqual(s?.history?.map((h) => [h.revision, h.outcome]).at(-1), [o.canaryRevision, "RolledBack"]);
  assert.equal(condition(o.done, "Stalled")?.reason, "AnalysisFailed");
  assert.equal(s?.lastFailure?.reason, "AnalysisFailed");
  const message = s?.lastFailure?.message ?? "";
  assert.ok(message.includes(`${p.failureLimit + 1} analysis intervals failed, more than failureLimit ${p.failureLimit}; last: `), message);
  // Every interval fails, so the rollback comes at the (failureLimit + 1)-th analysis, the first
  // being one interval after the rollout started. One more interval is tolerated: the first may
  // be inconclusive while the canary's agent starts and gets its first scrapes (noData does not
  // count). 3 s cover the reconcile and the analysis' own requests.
  const elapsed = Date.parse(s?.history?.at(-1)?.time ?? "") - o.rolloutStartedMs;
  const bound = (p.failureLimit + 2) * p.intervalMs + 3000;
  console.log(`[e2e] rolled back ${elapsed} ms after the rollout started (bound ${bound} ms)`);
  assert.ok(elapsed >= (p.failureLimit + 1) * p.intervalMs - 1000 && elapsed <= bound, `rolled back after ${elapsed} ms; expected within ${bound} ms`);
  assert.ok(Math.max(...o.canaryWeightsSeen) <= 50, "the canary never left its first step");
  assert.equal(o.canaryWeightsSeen.at(-1), 0, "the load generator saw the canary's weight go back to 0");
  allAnswered(o, o.stableRevision, 200, "stable");
  const failed = o.events.AnalysisFailed ?? [];
  assert.ok(failed.some((m) => m.startsWith(`Interval failed (1 of at most ${p.failureLimit} tolerated)`)), `an AnalysisFailed Event per failed interval: ${failed.join(" | ")}`);
  assert.ok(failed.some((m) => m.includes(o.canaryRevision) && m.includes(`${p.failureLimit + 1} analysis intervals failed`)), `an AnalysisFailed Event for the rollback: ${failed.join(" | ")}`);
  return message;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    kind: "healthy", title: "a healthy canary is promoted automatically", canaryServer: "healthy",
    verify: (o) => promoted(o),
  },
  {
    kind: "failing", title: "a canary whose model fails every request is rolled back on its success rate", canaryServer: "failing",
    verify: (o, p) => {
      const message = rolledBack(o, p);
      allAnswered(o, o.canaryRevision, 500, "canary (its MLServer rejects four features)");
      assert.ok(numberAfter(message, SR) < 0.95, `lastFailure names the success rate below 0.95: ${message}`);
      const shown = (o.checks.successRate ?? []).filter((c) => c.status === "fail");
      assert.ok(shown.length >= p.failureLimit, `status showed the failing interval(s) before the rollback: ${JSON.stringify(o.checks.successRate)}`);
      for (const c of shown) assert.ok(c.reason === "SuccessRateBelowMin" && c.value !== undefined && c.value < 0.95, JSON.stringify(c));
      for (const m of o.events.AnalysisFailed ?? []) assert.ok(numberAfter(m, SR) < 0.95, `AnalysisFailed names the success rate: ${m}`);
    },
  },
  {
    kind: "drift", title: "a canary whose inputs drift is rolled back on drift", canaryServer: "healthy",
    verify: (o, p) => {
      const message = rolledBack(o, p);
      allAnswered(o, o.canaryRevision, 200, "canary (drift is in the inputs only)");
      assert.ok(numberAfter(message, DRIFT) < 0.01, `lastFailure names the adjusted p-value below 0.01: ${message}`);
      assert.match(message, /petal_length vs the (baseline|stable revision)/, "the shifted feature is named");
      assert.doesNotMatch(message, /successRate: success rate [\d.]+ is below/);
      const shown = (o.checks.drift ?? []).filter((c) => c.status === "fail");
      assert.ok(shown.length >= p.failureLimit, `status showed the drift failing before the rollback: ${JSON.stringify(o.checks.drift)}`);
      for (const c of shown) assert.ok(c.reason === "DriftDetected" && c.value !== undefined && c.value < 0.01, JSON.stringify(c));
      for (const m of o.events.AnalysisFailed ?? []) assert.ok(numberAfter(m, DRIFT) < 0.01, `AnalysisFailed names the adjusted p-value: ${m}`);
    },
  },
];
