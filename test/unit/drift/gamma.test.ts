import { strict as assert } from "node:assert";
import { test } from "node:test";
import { logGamma, regularizedGammaP, regularizedGammaQ } from "../../../src/drift/gamma.ts";
import { assertClose, assertRelative } from "./assert-close.ts";

test("lnΓ matches known values", () => {
  // Γ(1) = Γ(2) = 1; Γ(5) = 4! = 24; Γ(10) = 9! = 362880; Γ(½) = √π
  assertClose(logGamma(1), 0, 1e-14);
  assertClose(logGamma(2), 0, 1e-14);
  assertClose(logGamma(5), Math.log(24), 1e-14);
  assertClose(logGamma(10), Math.log(362880), 1e-14);
  assertClose(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14);
  // Γ(7.5) = 6.5 · 5.5 · 4.5 · 3.5 · 2.5 · 1.5 · 0.5 · √π = 1871.2543057977884…, ln = 7.534364236758733
  assertClose(logGamma(7.5), Math.log(6.5 * 5.5 * 4.5 * 3.5 * 2.5 * 1.5 * 0.5 * Math.sqrt(Math.PI)), 1e-13);
  // ln 99! = Σₖ₌₂⁹⁹ ln k
  let lnFactorial = 0;
  for (let k = 2; k < 100; k++) lnFactorial += Math.log(k);
  assertClose(logGamma(100), lnFactorial, 1e-13);
  // Γ(x) ≈ 1/x − γ near 0: ln Γ(0.001) = 6.907178885383854
  assertClose(logGamma(0.001), 6.907178885383854, 1e-13);
  assert.ok(Number.isNaN(logGamma(0)));
  assert.ok(Number.isNaN(logGamma(-1)));
});

test("P(1, x) = 1 − e^(−x) and Q(1, x) = e^(−x), on both sides of x = a + 1", () => {
  for (const x of [0.1, 0.5, 1.9, 2.1, 5, 30]) {
    assertClose(regularizedGammaP(1, x), 1 - Math.exp(-x), 1e-14, `P(1, ${x})`);
    assertRelative(regularizedGammaQ(1, x), Math.exp(-x), 1e-12, `Q(1, ${x})`);
  }
  // Q(1, 50) = e^(−50) = 1.9287498479639178e-22: the tail keeps its relative precision
  assertRelative(regularizedGammaQ(1, 50), 1.9287498479639178e-22, 1e-12);
});

test("Q at integer a equals the Poisson sum e^(−x) Σₖ<ₐ xᵏ/k!", () => {
  // Q(2, 0.5) = e^(−0.5)·(1 + 0.5) = 0.9097959895689501
  assertClose(regularizedGammaQ(2, 0.5), 0.9097959895689501, 1e-14);
  // Q(3, 2) = e^(−2)·(1 + 2 + 2) = 5e^(−2) = 0.6766764161830635
  assertClose(regularizedGammaQ(3, 2), 0.6766764161830635, 1e-14);
  // Q(10, 5) = e^(−5)·Σₖ₌₀⁹ 5ᵏ/k! = 0.968171942693795
  assertClose(regularizedGammaQ(10, 5), 0.968171942693795, 1e-13);
  // P(50, 2) = e^(−2)·Σₖ≥₅₀ 2ᵏ/k! = 5.2143019033171315e-51 (series far from the switch point)
  assertRelative(regularizedGammaP(50, 2), 5.2143019033171315e-51, 1e-10);
});

test("Q(½, x) = erfc(√x)", () => {
  // erfc(√(3.841458820694124/2)) = 0.05 (the χ²₁ 5% critical value); erfc(1) = 0.15729920705028513
  assertClose(regularizedGammaQ(0.5, 3.841458820694124 / 2), 0.05, 1e-13);
  assertClose(regularizedGammaQ(0.5, 1), 0.15729920705028513, 1e-13);
  assertClose(regularizedGammaP(0.5, 1), 1 - 0.15729920705028513, 1e-13);
});

test("P and Q: edges and invalid arguments", () => {
  assert.equal(regularizedGammaP(3, 0), 0);
  assert.equal(regularizedGammaQ(3, 0), 1);
  assert.equal(regularizedGammaP(3, Number.POSITIVE_INFINITY), 1);
  assert.equal(regularizedGammaQ(3, Number.POSITIVE_INFINITY), 0);
  for (const [a, x] of [[0, 1], [-1, 1], [1, -1], [Number.NaN, 1], [1, Number.NaN]] as const) {
    assert.ok(Number.isNaN(regularizedGammaP(a, x)), `P(${a}, ${x})`);
    assert.ok(Number.isNaN(regularizedGammaQ(a, x)), `Q(${a}, ${x})`);
  }
  for (const [a, x] of [[0.5, 0.3], [4, 4.9], [4, 5.1], [250, 240], [250, 260]] as const) {
    assertClose(regularizedGammaP(a, x) + regularizedGammaQ(a, x), 1, 1e-13, `P + Q at (${a}, ${x})`);
  }
});
