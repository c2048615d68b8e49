import { strict as assert } from "node:assert";
import { test } from "node:test";
import { summarise } from "../../../src/rollout/verdict.ts";
import { fail, noData, pass } from "./fixtures.ts";

test("summarise: all pass → pass with every check named", () => {
  const s = summarise([pass("successRate"), pass("latencyP99", 120)]);
  assert.equal(s.status, "pass");
  assert.equal(s.reason, "AnalysisPassed");
  assert.match(s.message, /successRate.*latencyP99/);
  assert.deepEqual(s.deciding, []);
});

test("summarise: one failure fails the interval even beside noData, and names the failure", () => {
  const s = summarise([noData("drift"), fail("successRate", 0.42), pass("latencyP99", 10)]);
  assert.equal(s.status, "fail");
  assert.equal(s.reason, "AnalysisFailed");
  assert.deepEqual(s.deciding.map((v) => v.check), ["successRate"]);
  assert.match(s.message, /1 of 3 checks failed: successRate: 0.42 < 0.99/);
});

test("summarise: noData beside passes is inconclusive, never a pass", () => {
  const s = summarise([pass(), noData("drift")]);
  assert.equal(s.status, "noData");
  assert.equal(s.reason, "AnalysisInconclusive");
  assert.deepEqual(s.deciding.map((v) => v.check), ["drift"]);
});

test("summarise: no verdicts at all is inconclusive (NoChecks)", () => {
  const s = summarise([]);
  assert.deepEqual([s.status, s.reason], ["noData", "NoChecks"]);
});
