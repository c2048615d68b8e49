import { strict as assert } from "node:assert";
import { after, before, test } from "node:test";
import { AnalysisSpec } from "../../../src/api/analysis.ts";
import { createAnalyzer, type AgentEndpoint, type AgentLocator } from "../../../src/analysis/index.ts";
import type { AnalysisRequest } from "../../../src/analysis/analyzer.ts";
import { LocatorError } from "../../../src/analysis/errors.ts";
import type { Verdict } from "../../../src/rollout/verdict.ts";
import { StubAgent } from "./stub-agent.ts";

let a: StubAgent;
let b: StubAgent;
let located: AgentEndpoint[] | Error = [];
/** The stable revision r1's agents. */
let stableLocated: AgentEndpoint[] = [];
const locator: AgentLocator = {
  locate: (namespace, name, revision) => {
    assert.deepEqual([namespace, name], ["ml", "fraud"]);
    if (revision === "r1") return Promise.resolve(stableLocated);
    assert.equal(revision, "r2");
    return located instanceof Error ? Promise.reject(located) : Promise.resolve(located);
  },
};
let clock = 0;
let last: Verdict[] = [];
const analyzer = createAnalyzer({ locator, clock: { now: () => clock }, timeoutMs: 1000 });

function request(analysis: Record<string, unknown>): AnalysisRequest {
  return { namespace: "ml", name: "fraud", revision: "r2", stableRevision: "r1", intervalMs: 60_000, analysis: AnalysisSpec.parse(analysis) };
}
async function run(analysis: Record<string, unknown>): Promise<unknown[][]> {
  await a.refresh();
  await b.refresh();
  const verdicts = await analyzer.analyze(request(analysis));
  last = verdicts;
  return verdicts.map((v) => [v.check, v.status, v.reason, ...(v.value === undefined ? [] : [v.value])]);
}

before(async () => {
  a = await new StubAgent().start();
  b = await new StubAgent().start();
  located = [{ pod: "a", url: a.stub.url }, { pod: "b", url: b.stub.url }];
});
after(async () => {
  await a.stub.close();
  await b.stub.close();
});

test("agent provider: the first interval counts since the pods started, later ones the deltas", async () => {
  const spec = { successRate: { min: 0.9 }, latencyP99: { maxMs: 100 } };
  assert.deepEqual(await run(spec), [["successRate", "noData", "NoRequests"], ["latencyP99", "noData", "NoRequests"]]);
  assert.equal(last[0]?.message, "no requests in the agents' lifetime; 2 of 2 agents read for the first time: counted since they started; threshold the minimum 0.9");
  a.serve("infer", 200, 90);
  a.serve("infer", 500, 10);
  b.serve("infer", 200, 100);
  b.serve("health", 500, 50);
  clock += 60_000;
  // 200 requests, 10 answered 500; all in the (10 ms, 25 ms] bucket: p99 = 10 + 15·198/200 ms.
  assert.deepEqual(await run(spec), [["successRate", "pass", "SuccessRateAtOrAboveMin", 0.95], ["latencyP99", "pass", "LatencyWithinMax", 24.85]]);
  b.serve("infer", 503, 20, 0.2);
  clock += 60_000;
  assert.deepEqual(await run(spec), [["successRate", "fail", "SuccessRateBelowMin", 0], ["latencyP99", "fail", "LatencyAboveMax", 248.5]]);
  assert.equal(last[0]?.message, "success rate 0 is below the minimum 0.9 (20 of 20 requests answered 5xx in the last 60s)");
  clock += 60_000;
  assert.deepEqual(await run({ ...spec, minRequests: 1 }), [["successRate", "noData", "TooFewRequests"], ["latencyP99", "noData", "TooFewRequests"]]);
});

test("agent provider: custom metrics, drift, and readRevisionDrift", async () => {
  a.metrics.upstreamErrors.inc({ kind: "timeout" }, 3);
  b.metrics.upstreamErrors.inc({ kind: "connect" }, 1);
  a.drift = { windowSamples: 1000, maxPSI: 0.31, features: [{ name: "amount", psi: 0.31 }, { name: "age", psi: 0.02 }] };
  b.drift = { windowSamples: 800, maxPSI: 0.1, features: [{ name: "amount", psi: 0.1 }, { name: "age", psi: 0.12 }, { name: "zip", psi: null }] };
  clock += 60_000;
  const verdicts = await run({
    drift: { maxPSI: 0.25 },
    metrics: [
      { name: "timeouts", provider: "agent", query: 'mdo_agent_upstream_errors_total{kind="timeout"}', max: 2 },
      { name: "inflight", provider: "agent", query: "mdo_agent_requests_in_flight", max: 10 },
      { name: "bad", provider: "agent", query: "rate(x[1m])", max: 1 },
      { name: "promql", provider: "prometheus", query: "up", min: 1 },
    ],
  });
  assert.deepEqual(verdicts, [
    ["drift", "fail", "DriftAboveMax", 0.31],
    ["timeouts", "fail", "MetricAboveMax", 3],
    ["inflight", "pass", "MetricWithinBounds", 0],
    ["bad", "noData", "InvalidQuery"],
    ["promql", "noData", "PrometheusNotConfigured"],
  ]);
  const drift = await analyzer.readRevisionDrift("ml", "fraud", "r2");
  assert.ok(drift.ok);
  assert.deepEqual(drift.value, {
    maxPSI: 0.31, window: 1800, reporting: 2, agents: 2,
    features: [{ name: "amount", psi: 0.31 }, { name: "age", psi: 0.12 }],
  });
  a.drift = undefined;
  b.drift = undefined;
  assert.deepEqual(await run({ drift: { maxPSI: 0.25 } }), [["drift", "noData", "DriftUnavailable"]]);
});

test("agent provider: the drift test pools the canary's counts, and compares them with the baseline and the stable revision's", async () => {
  const baseline = [250, 250, 250, 250];
  const feature = (name: string, counts: number[]) => ({ name, psi: 0.01, pValue: 0.5, counts, baselineCounts: baseline });
  const stable = new StubAgent();
  await stable.start();
  try {
    located = [{ pod: "a", url: a.stub.url }, { pod: "b", url: b.stub.url }];
    stableLocated = [{ pod: "s", url: stable.stub.url }];
    // Two canary pods of 600 rows, each alone like the baseline; pooled, `amount` leans to the last bin.
    a.drift = { windowSamples: 600, features: [feature("amount", [140, 150, 150, 160]), feature("age", [150, 150, 150, 150])] };
    b.drift = { windowSamples: 600, features: [feature("amount", [140, 140, 150, 170]), feature("age", [150, 150, 150, 150])] };
    stable.drift = { windowSamples: 1200, features: [feature("amount", [300, 300, 300, 300]), feature("age", [300, 300, 300, 300])] };
    await stable.refresh();
    let verdicts = await run({ drift: { minWindow: 1000 } });
    assert.deepEqual(verdicts.map((v) => v.slice(0, 3)), [["drift", "pass", "NoDriftDetected"]]);
    assert.match(last[0]?.message ?? "", /4 tests at false-alarm rate 0\.01; window 1200 rows; canary: 2 of 2 agents reporting, 1200 rows; compared with the baseline and the stable revision's 1200 rows/);
    // A real shift in the pooled window: flagged against both the baseline and the stable revision.
    a.drift = { windowSamples: 600, features: [feature("amount", [100, 120, 180, 200]), feature("age", [150, 150, 150, 150])] };
    b.drift = { windowSamples: 600, features: [feature("amount", [100, 120, 180, 200]), feature("age", [150, 150, 150, 150])] };
    verdicts = await run({ drift: { minWindow: 1000 } });
    assert.deepEqual(verdicts.map((v) => v.slice(0, 3)), [["drift", "fail", "DriftDetected"]]);
    assert.match(last[0]?.message ?? "", /amount vs the baseline \(p [0-9.e-]+, PSI [0-9.]+\)/);
    assert.match(last[0]?.message ?? "", /amount vs the stable revision \(p [0-9.e-]+, PSI [0-9.]+\)/);
    assert.doesNotMatch(last[0]?.message ?? "", /age vs/, "age did not move");
    // Under minWindow: no decision; the stable revision with another baseline: compared with the baseline only.
    assert.deepEqual((await run({ drift: { minWindow: 2000 } })).map((v) => v.slice(0, 3)), [["drift", "noData", "WindowTooSmall"]]);
    stable.drift = { windowSamples: 1200, features: [{ ...feature("amount", [400, 400, 400]), baselineCounts: [1, 1, 1] }] };
    await stable.refresh();
    await run({ drift: { minWindow: 1000 } });
    assert.match(last[0]?.message ?? "", /2 tests at false-alarm rate/);
  } finally {
    stableLocated = [];
    a.drift = undefined;
    b.drift = undefined;
    await stable.stub.close();
  }
});

test("agent provider: the groundTruth check scores the labels joined for the canary in the interval", async () => {
  located = [{ pod: "a", url: a.stub.url }, { pod: "b", url: b.stub.url }];
  const spec = { groundTruth: { minAccuracy: 0.9, minLabels: 50 } };
  await run(spec); // the previous scrape, so the next interval counts deltas
  a.metrics.feedbackRows.inc(40);
  a.metrics.feedbackCorrect.inc(38);
  b.metrics.feedbackRows.inc(20);
  b.metrics.feedbackCorrect.inc(15);
  clock += 60_000;
  // 53 of 60 correct: 0.8833 < 0.9.
  assert.deepEqual(await run(spec), [["groundTruth", "fail", "AccuracyBelowMin", 0.883333]]);
  assert.match(last[0]?.message ?? "", /^accuracy 0\.8833 is below the minimum 0\.9 \(over 60 labels joined in the last 60s\)$/);
  a.metrics.feedbackRows.inc(30);
  a.metrics.feedbackCorrect.inc(30);
  clock += 60_000;
  assert.deepEqual(await run(spec), [["groundTruth", "noData", "TooFewLabels"]], "30 labels, fewer than 50");
  a.metrics.feedbackRows.inc(100);
  a.metrics.feedbackAbsoluteError.inc(250);
  clock += 60_000;
  assert.deepEqual(await run({ groundTruth: { maxMeanAbsoluteError: 2 } }), [["groundTruth", "fail", "ErrorAboveMax", 2.5]]);
  assert.throws(() => AnalysisSpec.parse({ interval: "1m", groundTruth: { minAccuracy: 0.9, maxMeanAbsoluteError: 1 } }), /exactly one of minAccuracy/);
});

test("agent provider: no agents, an unreachable agent and a failing locator are noData with the reason", async () => {
  const spec = { successRate: { min: 0.9 }, drift: { maxPSI: 0.2 } };
  located = [];
  assert.deepEqual(await run(spec), [["successRate", "noData", "NoAgents"], ["drift", "noData", "NoAgents"]]);
  located = [{ pod: "a", url: a.stub.url }, { pod: "gone", url: "http://127.0.0.1:1" }];
  const verdicts = await analyzer.analyze(request(spec));
  assert.deepEqual(verdicts.map((v) => v.reason), ["MetricsUnavailable", "MetricsUnavailable"]);
  assert.match(verdicts[0]?.message ?? "", /could not read 1 of 2 agents: GET http:\/\/127\.0\.0\.1:1\/metrics: request failed/);
  located = new LocatorError("Could not list the EndpointSlices of Service ml/fraud: forbidden");
  const failed = await analyzer.analyze(request(spec));
  assert.deepEqual(failed.map((v) => v.reason), ["MetricsUnavailable", "MetricsUnavailable"]);
  assert.match(failed[0]?.message ?? "", /forbidden/);
  const drift = await analyzer.readRevisionDrift("ml", "fraud", "r2");
  assert.equal(drift.ok ? "" : drift.reason, "MetricsUnavailable");
  located = [{ pod: "a", url: a.stub.url }, { pod: "b", url: b.stub.url }];
});

test("prometheus checks without a Prometheus URL are PrometheusNotConfigured", async () => {
  assert.deepEqual(await run({ provider: "prometheus", successRate: { min: 0.9 }, drift: { maxPSI: 0.2 } }), [
    ["successRate", "noData", "PrometheusNotConfigured"], ["drift", "noData", "PrometheusNotConfigured"],
  ]);
});

test("an aborted analysis rejects instead of returning verdicts", async () => {
  const controller = new AbortController();
  controller.abort(new Error("shutting down"));
  await assert.rejects(analyzer.analyze(request({ successRate: { min: 0.9 } }), controller.signal), /shutting down/);
});

test("a phase none of the configured checks applies to passes (agreement-only after the shadow phase, groundTruth-only in it)", async () => {
  const agreementOnly = await analyzer.analyze(request({ agreement: { min: 0.9 } }));
  assert.deepEqual(agreementOnly.map((v) => [v.check, v.status, v.reason]), [["analysis", "pass", "NoCheckApplies"]]);
  assert.match(agreementOnly[0]?.message ?? "", /outside the shadow phase/);
  const truthOnly = await analyzer.analyze({ ...request({ groundTruth: { minAccuracy: 0.9 } }), shadowing: true });
  assert.deepEqual(truthOnly.map((v) => [v.check, v.status, v.reason]), [["analysis", "pass", "NoCheckApplies"]]);
  assert.match(truthOnly[0]?.message ?? "", /in the shadow phase/);
});
