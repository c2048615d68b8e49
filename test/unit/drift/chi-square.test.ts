import { strict as assert } from "node:assert";
import { test } from "node:test";
import { chiSquarePValue, chiSquareTest } from "../../../src/drift/chi-square.ts";
import { assertClose } from "./assert-close.ts";

test("χ² statistic and p-value by hand", () => {
  // O = (30, 20, 50), p = (0.25, 0.25, 0.5), n = 100 → E = (25, 25, 50)
  // χ² = 5²/25 + 5²/25 + 0 = 2, df = 2; for df = 2 the survival function is e^(−χ²/2) = e^(−1) = 0.36787944117144233
  const result = chiSquareTest([30, 20, 50], [0.25, 0.25, 0.5]);
  assert.equal(result.statistic, 2);
  assert.equal(result.degreesOfFreedom, 2);
  assertClose(result.pValue, Math.exp(-1), 1e-14);
});

test("χ² of a fair coin: 60 heads in 100 tosses", () => {
  // E = (50, 50): χ² = 10²/50 + 10²/50 = 4, df = 1; p = erfc(√(4/2)) = erfc(√2) = 0.04550026389635842
  const result = chiSquareTest([60, 40], [0.5, 0.5]);
  assert.equal(result.statistic, 4);
  assertClose(result.pValue, 0.04550026389635842, 1e-13);
});

test("χ² p-values at tabulated critical values", () => {
  // Critical values of the χ² distribution, checked against the closed forms
  // Q(k, x) = e^(−x) Σⱼ<ₖ xʲ/j! (even df) and Q(k + ½, x) = erfc(√x) + e^(−x) Σⱼ₌₁ᵏ x^(j−½)/Γ(j + ½) (odd df).
  const table: [df: number, critical: number, p: number][] = [
    [1, 3.841458820694124, 0.05],
    [2, 5.991464547107979, 0.05],
    [5, 15.08627246938899, 0.01],
    [10, 18.307038053275146, 0.05],
    [30, 43.77297182574219, 0.05],
    [100, 124.34211340400407, 0.05],
    [1000, 1074.679449, 0.04999999956789826],
  ];
  for (const [df, critical, p] of table) assertClose(chiSquarePValue(critical, df), p, 1e-10, `df ${df}`);
});

test("χ² test of five equal categories by hand", () => {
  // O = (10, 30, 20, 20, 20), p = 0.2 each, n = 100 → E = 20 each
  // χ² = (10² + 10² + 0 + 0 + 0)/20 = 10, df = 4; Q(2, 5) = e^(−5)·(1 + 5) = 6e^(−5) = 0.04042768199451279
  const result = chiSquareTest([10, 30, 20, 20, 20], [0.2, 0.2, 0.2, 0.2, 0.2]);
  assert.equal(result.statistic, 10);
  assert.equal(result.degreesOfFreedom, 4);
  assertClose(result.pValue, 6 * Math.exp(-5), 1e-14);
});

test("χ² floors unseen categories at ε, and handles degenerate input", () => {
  // O = (90, 10), p = (1, 0): E = (100·1, 100·1e-4) = (100, 0.01)
  // χ² = (90 − 100)²/100 + (10 − 0.01)²/0.01 = 1 + 9980.01 = 9981.01; p ≈ 0
  const result = chiSquareTest([90, 10], [1, 0]);
  assertClose(result.statistic, 1 + (10 - 0.01) ** 2 / 0.01, 1e-12);
  assert.ok(result.pValue < 1e-300);
  assert.deepEqual(chiSquareTest([7], [1]), { statistic: 0, degreesOfFreedom: 0, pValue: 1 });
  const empty = chiSquareTest([0, 0], [0.5, 0.5]);
  assert.ok(Number.isNaN(empty.statistic) && Number.isNaN(empty.pValue));
  assert.throws(() => chiSquareTest([1, 2], [1]), RangeError);
});
