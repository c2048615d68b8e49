// The agreement check through createAnalyzer with the agent provider: the stable revision's
// agents (real AgentMetrics registries on real HTTP servers) are scraped, and only the shadow
// series whose `candidate` is the canary count.
import { strict as assert } from "node:assert";
import { after, before, beforeEach, test } from "node:test";
import { AnalysisSpec } from "../../../src/api/analysis.ts";
import { createAnalyzer, type AgentEndpoint } from "../../../src/analysis/index.ts";
import type { Verdict } from "../../../src/rollout/verdict.ts";
import { StubAgent } from "./stub-agent.ts";

/** Stable revision r1: two pods. Canary r2: one pod. */
let stableA: StubAgent;
let stableB: StubAgent;
let canary: StubAgent;
const located: Record<string, AgentEndpoint[]> = {};
const analyzer = createAnalyzer({
  locator: { locate: (_namespace, _name, revision) => Promise.resolve(located[revision] ?? []) },
  clock: { now: () => 0 },
  timeoutMs: 1000,
});

before(async () => {
  [stableA, stableB, canary] = await Promise.all([new StubAgent("r1").start(), new StubAgent("r1").start(), new StubAgent("r2").start()]);
});
after(async () => {
  for (const agent of [stableA, stableB, canary]) await agent.stub.close();
});
beforeEach(() => {
  located.r1 = [{ pod: "s-a", url: stableA.stub.url }, { pod: "s-b", url: stableB.stub.url }];
  located.r2 = [{ pod: "c", url: canary.stub.url }];
});

/** What the stable agent `agent` counted mirroring to `candidate`. */
function mirrored(agent: StubAgent, candidate: string, rows: number, agreeing: number, results: Record<string, number> = {}): void {
  agent.metrics.shadowRows.inc({ candidate }, rows);
  agent.metrics.shadowAgreeingRows.inc({ candidate }, agreeing);
  for (const [result, n] of Object.entries({ compared: rows, ...results })) agent.metrics.shadowRequests.inc({ candidate, result }, n);
}

async function analyze(analysis: Record<string, unknown>, shadowing: boolean | undefined): Promise<Verdict[]> {
  for (const agent of [stableA, stableB, canary]) await agent.refresh();
  return analyzer.analyze({
    namespace: "ml", name: "fraud", revision: "r2", stableRevision: "r1", intervalMs: 60_000,
    analysis: AnalysisSpec.parse({ interval: "1m", ...analysis }), ...(shadowing === undefined ? {} : { shadowing }),
  });
}
const brief = (verdicts: Verdict[]): unknown[][] => verdicts.map((v) => [v.check, v.status, v.reason, ...(v.value === undefined ? [] : [v.value])]);

const SPEC = { agreement: { min: 0.9, minRows: 100 }, groundTruth: { minAccuracy: 0.5, minLabels: 1 } };

test("sums the stable agents' series of this candidate only, cumulatively, and judges agreeing / rows", async () => {
  // Another candidate's series are on the same agents and must not count: they would pass.
  mirrored(stableA, "r3", 10_000, 10_000);
  mirrored(stableB, "r3", 5_000, 5_000);
  mirrored(stableA, "r2", 40, 38, { candidate_error: 2 });
  assert.deepEqual(brief(await analyze(SPEC, true)), [["agreement", "noData", "TooFewComparedRows"]], "40 rows, fewer than 100");
  mirrored(stableA, "r2", 60, 52, { dropped: 5 });
  mirrored(stableB, "r2", 200, 180, { candidate_error: 1, incomparable: 7 });
  // 300 rows, 270 agreeing: exactly 0.9.
  let verdicts = await analyze(SPEC, true);
  assert.deepEqual(brief(verdicts), [["agreement", "pass", "AnswersAgree", 0.9]]);
  assert.equal(verdicts[0]?.message, "the candidate agreed on 270 of 300 rows (0.9), at least the minimum 0.9 (300 requests compared, 3 candidate errors, 5 dropped; counted by 2 agents of the stable revision r1 since they started)");
  // Cumulative, no interval memory: the next reading adds to the same totals.
  mirrored(stableB, "r2", 100, 80);
  verdicts = await analyze(SPEC, true);
  assert.deepEqual(brief(verdicts), [["agreement", "fail", "AgreementBelowMin", 0.875]]);
  assert.match(verdicts[0]?.message ?? "", /^the candidate agreed on 350 of 400 rows \(0\.875\), below the minimum 0\.9 \(400 requests compared, 3 candidate errors, 5 dropped;/);
});

test("outside a shadow phase the stable agents are not read: groundTruth runs, agreement does not", async () => {
  located.r1 = [{ pod: "gone", url: "http://127.0.0.1:1" }];
  for (const shadowing of [undefined, false]) {
    // Labels joined for the canary in this interval (the agent provider counts increases).
    canary.metrics.feedbackRows.inc(10);
    canary.metrics.feedbackCorrect.inc(9);
    assert.deepEqual(brief(await analyze(SPEC, shadowing)), [["groundTruth", "pass", "QualityWithinThreshold", 0.9]], `shadowing ${shadowing}`);
  }
});

test("a stable revision without agents is NoAgents; an agent that cannot be read is MetricsUnavailable", async () => {
  located.r1 = [];
  let verdicts = await analyze(SPEC, true);
  assert.deepEqual(brief(verdicts), [["agreement", "noData", "NoAgents"]]);
  assert.match(verdicts[0]?.message ?? "", /no ready agent of revision r1 was found/);
  located.r1 = [{ pod: "s-a", url: stableA.stub.url }, { pod: "gone", url: "http://127.0.0.1:1" }];
  verdicts = await analyze(SPEC, true);
  assert.deepEqual(brief(verdicts), [["agreement", "noData", "MetricsUnavailable"]]);
  assert.match(verdicts[0]?.message ?? "", /could not read 1 of 2 agents: GET http:\/\/127\.0\.0\.1:1\/metrics/);
});

test("the canary's agents not located: agreement still answered with the reason, never missing", async () => {
  located.r2 = [];
  const verdicts = await analyze({ ...SPEC, successRate: { min: 0.9 } }, true);
  assert.deepEqual(brief(verdicts), [["successRate", "noData", "NoAgents"], ["agreement", "noData", "NoAgents"]]);
  assert.match(verdicts[1]?.message ?? "", /no ready agent of revision r2 was found/);
});

test("provider prometheus without a Prometheus URL: agreement is PrometheusNotConfigured", async () => {
  assert.deepEqual(brief(await analyze({ ...SPEC, provider: "prometheus" }, true)), [["agreement", "noData", "PrometheusNotConfigured"]]);
});
