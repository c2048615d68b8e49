import { test } from "node:test";
import { chiSquarePValue } from "../../../src/drift/chi-square.ts";
import { assertClose } from "./assert-close.ts";

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

test("χ² p-values by hand: df 2 is e^(−x/2), df 1 is erfc(√(x/2))", () => {
  assertClose(chiSquarePValue(2, 2), Math.exp(-1), 1e-14);
  assertClose(chiSquarePValue(4, 1), 0.04550026389635842, 1e-13);
  assertClose(chiSquarePValue(10, 4), 6 * Math.exp(-5), 1e-14);
});
