import { strict as assert } from "node:assert";
import { test } from "node:test";
import { AnalysisSpec } from "../../../src/api/analysis.ts";
import type { AnalysisRequest } from "../../../src/analysis/analyzer.ts";
import { planChecks } from "../../../src/analysis/checks.ts";
import { decide, type MeasurementsByProvider } from "../../../src/analysis/decide.ts";
import type { DriftEvidence } from "../../../src/analysis/drift-evidence.ts";
import type { Measurements, Reading, Traffic } from "../../../src/analysis/provider.ts";
import { judge } from "../../../src/analysis/verdicts.ts";

function request(analysis: Record<string, unknown>): AnalysisRequest {
  return { namespace: "ml", name: "fraud", revision: "r2", stableRevision: "r1", intervalMs: 60_000, analysis: AnalysisSpec.parse({ interval: "1m", ...analysis }) };
}

const traffic = (requests: number, errors: number, latencyP99Ms?: number): Reading<Traffic> => ({ ok: true, value: { requests, errors, latencyP99Ms, windowMs: 60_000 } });
const value = (v: number, note?: string): Reading<number> => ({ ok: true, value: v, ...(note === undefined ? {} : { note }) });
/** Evidence from agents that send no bin counts: judged by the PSI rule. */
const legacy = (maxPSI: number): Reading<DriftEvidence> => ({ ok: true, value: { rows: 1000, maxPSI, testable: false, tests: [] } });
const none = (reason: string, message = "why"): Reading<never> => ({ ok: false, reason, message });
const m = (parts: Partial<Measurements>): Measurements => ({ metrics: new Map(), ...parts });

const ALL = {
  successRate: { min: 0.99 }, latencyP99: { maxMs: 200 }, drift: { maxPSI: 0.2 },
  metrics: [{ name: "errors", provider: "agent", query: "mdo_agent_upstream_errors_total", max: 5 }, { name: "cpu", provider: "prometheus", query: "up", min: 1 }],
};

test("every check gets one verdict with its reason, value and threshold", () => {
  const cases: { name: string; analysis?: Record<string, unknown>; measured: MeasurementsByProvider; want: [string, string, string, number?][] }[] = [
    {
      name: "all pass",
      measured: {
        agent: m({ traffic: traffic(1000, 5, 120), drift: legacy(0.05), metrics: new Map([["mdo_agent_upstream_errors_total", value(2)]]) }),
        prometheus: m({ metrics: new Map([["up", value(1)]]) }),
      },
      want: [["successRate", "pass", "SuccessRateAtOrAboveMin", 0.995], ["latencyP99", "pass", "LatencyWithinMax", 120], ["drift", "pass", "DriftWithinMax", 0.05], ["errors", "pass", "MetricWithinBounds", 2], ["cpu", "pass", "MetricWithinBounds", 1]],
    },
    {
      name: "all fail",
      measured: {
        agent: m({ traffic: traffic(1000, 50, 250), drift: legacy(0.3), metrics: new Map([["mdo_agent_upstream_errors_total", value(6)]]) }),
        prometheus: m({ metrics: new Map([["up", value(0)]]) }),
      },
      want: [["successRate", "fail", "SuccessRateBelowMin", 0.95], ["latencyP99", "fail", "LatencyAboveMax", 250], ["drift", "fail", "DriftAboveMax", 0.3], ["errors", "fail", "MetricAboveMax", 6], ["cpu", "fail", "MetricBelowMin", 0]],
    },
    {
      name: "extrapolated counts with errors a hair above requests: success rate clamped to 0, never negative",
      measured: { agent: m({ traffic: traffic(150, 150.04, 250), drift: legacy(0.3), metrics: new Map([["mdo_agent_upstream_errors_total", value(6)]]) }), prometheus: m({ metrics: new Map([["up", value(0)]]) }) },
      want: [["successRate", "fail", "SuccessRateBelowMin", 0], ["latencyP99", "fail", "LatencyAboveMax", 250], ["drift", "fail", "DriftAboveMax", 0.3], ["errors", "fail", "MetricAboveMax", 6], ["cpu", "fail", "MetricBelowMin", 0]],
    },
    {
      name: "no requests: traffic checks noData, the others still judged",
      measured: { agent: m({ traffic: traffic(0, 0), drift: legacy(0.1), metrics: new Map([["mdo_agent_upstream_errors_total", value(0)]]) }), prometheus: m({ metrics: new Map([["up", none("PrometheusNotConfigured")]]) }) },
      want: [["successRate", "noData", "NoRequests"], ["latencyP99", "noData", "NoRequests"], ["drift", "pass", "DriftWithinMax", 0.1], ["errors", "pass", "MetricWithinBounds", 0], ["cpu", "noData", "PrometheusNotConfigured"]],
    },
    {
      name: "minRequests not met: every check TooFewRequests",
      analysis: { ...ALL, minRequests: 100 },
      measured: { agent: m({ traffic: traffic(99, 0, 5), drift: legacy(0.9), metrics: new Map([["mdo_agent_upstream_errors_total", value(60)]]) }), prometheus: m({ metrics: new Map([["up", value(0)]]) }) },
      want: ["successRate", "latencyP99", "drift", "errors", "cpu"].map((c) => [c, "noData", "TooFewRequests"] as [string, string, string]),
    },
    {
      name: "minRequests with the request count unavailable: every check carries its reason",
      analysis: { ...ALL, minRequests: 100 },
      measured: { agent: m({ traffic: none("NoAgents"), drift: legacy(0.1) }), prometheus: m({ metrics: new Map([["up", value(1)]]) }) },
      want: ["successRate", "latencyP99", "drift", "errors", "cpu"].map((c) => [c, "noData", "NoAgents"] as [string, string, string]),
    },
    {
      name: "readings unavailable",
      measured: {
        agent: m({ traffic: none("MetricsUnavailable"), drift: none("DriftUnavailable"), metrics: new Map([["mdo_agent_upstream_errors_total", none("MetricNotFound")]]) }),
        prometheus: m({ metrics: new Map([["up", none("AmbiguousResult")]]) }),
      },
      want: [["successRate", "noData", "MetricsUnavailable"], ["latencyP99", "noData", "MetricsUnavailable"], ["drift", "noData", "DriftUnavailable"], ["errors", "noData", "MetricNotFound"], ["cpu", "noData", "AmbiguousResult"]],
    },
    {
      name: "requests but no latency samples",
      measured: { agent: m({ traffic: traffic(10, 0, undefined), drift: legacy(0) }), prometheus: m({ metrics: new Map([["up", none("NoSamples")]]) }) },
      want: [["successRate", "pass", "SuccessRateAtOrAboveMin", 1], ["latencyP99", "noData", "NoSamples"], ["drift", "pass", "DriftWithinMax", 0], ["errors", "noData", "MetricsUnavailable"], ["cpu", "noData", "NoSamples"]],
    },
  ];
  for (const c of cases) {
    const req = request(c.analysis ?? ALL);
    const verdicts = decide(req, planChecks(req.analysis), c.measured);
    assert.deepEqual(verdicts.map((v) => [v.check, v.status, v.reason, ...(v.value === undefined ? [] : [v.value])]), c.want, c.name);
    for (const v of verdicts) assert.ok(Object.keys(v.threshold).length > 0, `${c.name}: ${v.check} has a threshold`);
  }
});

test("messages name the value and the threshold", () => {
  const req = request({ ...ALL, provider: "prometheus", minRequests: 10 });
  const checks = planChecks(req.analysis);
  const measured = { prometheus: m({ traffic: { ok: true, value: { requests: 1000.4, errors: 50.2, latencyP99Ms: 250, windowMs: 60_000 }, note: "from Prometheus" }, drift: legacy(0.3), metrics: new Map([["up", value(0)]]) }), agent: m({ metrics: new Map([["mdo_agent_upstream_errors_total", value(6, "increase of 2 series")]]) }) };
  const [rate, latency, drift, errors, cpu] = decide(req, checks, measured);
  assert.equal(rate?.message, "success rate 0.9498 is below the minimum 0.99 (50.2 of 1000 requests answered 5xx in the last 60s; from Prometheus)");
  assert.equal(latency?.message, "p99 latency 250 ms is above the maximum 200 ms (1000 requests in the last 60s; from Prometheus)");
  assert.equal(drift?.message, "largest feature PSI 0.3 is above the maximum 0.2 (the agents sent no bin counts to test, so the PSI rule decides)");
  assert.equal(errors?.message, "value 6 is above the maximum 5 (increase of 2 series)");
  assert.equal(cpu?.message, "value 0 is below the minimum 1");
  const few = decide(req, checks, { prometheus: m({ traffic: traffic(3, 0, 1) }) });
  assert.equal(few[0]?.message, "3 requests in the last 60s, fewer than minRequests 10; threshold the minimum 0.99");
  const passed = judge({ name: "x", kind: "metric", provider: "agent", threshold: { min: 1, max: 5 } }, 3);
  assert.equal(passed.message, "value 3 is within [1, 5]");
  assert.throws(() => judge(checks[0]!, Number.NaN), RangeError);
});

test("planChecks orders built-in checks first, with analysis.provider; custom ones keep their provider", () => {
  const checks = planChecks(request({ ...ALL, provider: "prometheus" }).analysis);
  assert.deepEqual(checks.map((c) => [c.name, c.kind, c.provider]), [
    ["successRate", "successRate", "prometheus"], ["latencyP99", "latencyP99", "prometheus"], ["drift", "drift", "prometheus"],
    ["errors", "metric", "agent"], ["cpu", "metric", "prometheus"],
  ]);
  assert.deepEqual(checks.map((c) => c.threshold), [{ min: 0.99 }, { max: 200 }, { min: 0.01 }, { max: 5 }, { min: 1 }], "drift: the smallest adjusted p-value that passes");
});
