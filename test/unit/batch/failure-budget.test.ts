import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { judgeFailures, parseFailureBudget, UNLIMITED } from "../../../src/batch/failure-budget.ts";

describe("parseFailureBudget", () => {
  it("reads a whole number as a count and 0<x<1 as a ratio", () => {
    assert.deepEqual(parseFailureBudget("0"), { kind: "count", max: 0 });
    assert.deepEqual(parseFailureBudget("25"), { kind: "count", max: 25 });
    assert.deepEqual(parseFailureBudget("0.05"), { kind: "ratio", max: 0.05 });
    assert.deepEqual(parseFailureBudget(".5"), { kind: "ratio", max: 0.5 });
  });
  it("rejects anything else", () => {
    for (const text of ["", "-1", "1.5", "0.0", "1.0", "abc", "5%", "1e3"]) assert.equal(parseFailureBudget(text), undefined, text);
  });
});

describe("judgeFailures", () => {
  it("exceeds a count as soon as failed > max, final or not", () => {
    const budget = { kind: "count", max: 2 } as const;
    assert.equal(judgeFailures(budget, 2, 2, false).exceeded, false);
    assert.deepEqual(judgeFailures(budget, 3, 100, false), { exceeded: true, reason: "3 rows failed, more than --max-failed-rows 2" });
    assert.equal(judgeFailures({ kind: "count", max: 0 }, 1, 1, true).exceeded, true);
  });
  it("judges a ratio only over the whole input", () => {
    const budget = { kind: "ratio", max: 0.1 } as const;
    assert.equal(judgeFailures(budget, 5, 5, false).exceeded, false);
    assert.equal(judgeFailures(budget, 10, 100, true).exceeded, false);
    assert.equal(judgeFailures(budget, 11, 100, true).exceeded, true);
    assert.equal(judgeFailures(budget, 0, 0, true).exceeded, false);
  });
  it("never exceeds the unlimited budget", () => {
    assert.equal(judgeFailures(UNLIMITED, 1e9, 1e9, true).exceeded, false);
  });
});
