import { strict as assert } from "node:assert";
import { test } from "node:test";
import { AnalysisSpec } from "../../../src/api/analysis.ts";
import { planChecks } from "../../../src/analysis/checks.ts";
import { BUILTIN_CHECKS } from "../../../src/rollout/status-fields.ts";

const analysis = AnalysisSpec.parse({
  interval: "1m",
  metrics: [{ name: "errors", provider: "prometheus", query: "up", max: 5 }],
  agreement: { min: 0.95 },
  groundTruth: { minAccuracy: 0.9 },
  drift: { minWindow: 500 },
  latencyP99: { maxMs: 200 },
  successRate: { min: 0.99 },
});
const plan = (options?: { shadowing?: boolean }): [string, string, unknown][] =>
  planChecks(analysis, options).map((c) => [c.name, c.kind, c.threshold]);

test("outside a shadow phase: groundTruth runs, agreement does not (nothing is mirrored)", () => {
  const want: [string, string, unknown][] = [
    ["successRate", "successRate", { min: 0.99 }], ["latencyP99", "latencyP99", { max: 200 }], ["drift", "drift", { min: 0.01 }],
    ["groundTruth", "groundTruth", { min: 0.9 }], ["errors", "metric", { max: 5 }],
  ];
  assert.deepEqual(plan(), want);
  assert.deepEqual(plan({}), want, "shadowing defaults to false");
  assert.deepEqual(plan({ shadowing: false }), want);
});

test("in a shadow phase: agreement runs in groundTruth's place (no user gets the canary's answers, so no labels)", () => {
  assert.deepEqual(plan({ shadowing: true }), [
    ["successRate", "successRate", { min: 0.99 }], ["latencyP99", "latencyP99", { max: 200 }], ["drift", "drift", { min: 0.01 }],
    [BUILTIN_CHECKS.agreement, "agreement", { min: 0.95 }], ["errors", "metric", { max: 5 }],
  ]);
  const checks = planChecks(AnalysisSpec.parse({ interval: "1m", provider: "prometheus", agreement: { min: 0.8, minRows: 10 } }), { shadowing: true });
  assert.deepEqual(checks, [{ name: "agreement", kind: "agreement", provider: "prometheus", threshold: { min: 0.8 } }], "with analysis.provider");
});

test("agreement is planned only when configured; a shadow phase without it has no agreement check", () => {
  const without = AnalysisSpec.parse({ interval: "1m", successRate: { min: 0.9 }, groundTruth: { minAccuracy: 0.9 } });
  assert.deepEqual(planChecks(without, { shadowing: true }).map((c) => c.name), ["successRate"]);
  assert.deepEqual(planChecks(without).map((c) => c.name), ["successRate", "groundTruth"]);
});
