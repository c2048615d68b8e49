import { strict as assert } from "node:assert";
import { test } from "node:test";
import { EMPTY_BIN_EPSILON, toProportions } from "../../../src/drift/proportions.ts";
import { populationStabilityIndex, psiOfCounts } from "../../../src/drift/psi.ts";
import { assertClose } from "./assert-close.ts";

test("PSI of identical distributions is 0", () => {
  assert.equal(populationStabilityIndex([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]), 0);
  assert.equal(populationStabilityIndex([0.5, 0, 0.5], [0.5, 0, 0.5]), 0);
});

test("PSI of two bins by hand", () => {
  // e = (0.5, 0.5), a = (0.25, 0.75):
  // (0.25 − 0.5)·ln(0.25/0.5) + (0.75 − 0.5)·ln(0.75/0.5) = 0.25·ln 2 + 0.25·ln 1.5 = 0.25·ln 3
  // = 0.25 · 1.0986122886681098 = 0.27465307216702745
  assertClose(populationStabilityIndex([0.5, 0.5], [0.25, 0.75]), 0.25 * Math.log(3));
  assertClose(populationStabilityIndex([0.5, 0.5], [0.25, 0.75]), 0.27465307216702745);
});

test("PSI of three bins by hand, and it is symmetric", () => {
  // e = (0.2, 0.3, 0.5), a = (0.1, 0.4, 0.5):
  // (0.1 − 0.2)·ln(0.1/0.2) = −0.1 · −0.6931471805599453 = 0.06931471805599453
  // (0.4 − 0.3)·ln(0.4/0.3) =  0.1 ·  0.2876820724517809 = 0.02876820724517809
  // (0.5 − 0.5)·ln 1        =  0
  // sum = 0.09808292530117262
  assertClose(populationStabilityIndex([0.2, 0.3, 0.5], [0.1, 0.4, 0.5]), 0.09808292530117262);
  assertClose(populationStabilityIndex([0.1, 0.4, 0.5], [0.2, 0.3, 0.5]), 0.09808292530117262);
});

test("PSI floors an empty bin at ε = 1e-4 instead of going to infinity", () => {
  assert.equal(EMPTY_BIN_EPSILON, 1e-4);
  // e = (0.5, 0.5), a = (1, 0) → a₂ becomes 1e-4:
  // (1 − 0.5)·ln(1/0.5)           = 0.5 · 0.6931471805599453     = 0.34657359027997264
  // (1e-4 − 0.5)·ln(1e-4/0.5)     = −0.4999 · −8.517193191416238 = 4.257744876388977
  // sum = 4.60431846666895
  assertClose(populationStabilityIndex([0.5, 0.5], [1, 0]), 4.60431846666895);
  // A caller's own ε: 1e-2 → 0.5·ln 2 + (0.01 − 0.5)·ln(0.02) = 0.34657359 + 1.91691304 = 2.26348663…
  assertClose(populationStabilityIndex([0.5, 0.5], [1, 0], 1e-2), 0.5 * Math.log(2) + (0.01 - 0.5) * Math.log(0.02));
});

test("PSI rejects mismatched bins and propagates NaN", () => {
  assert.throws(() => populationStabilityIndex([0.5, 0.5], [1]), RangeError);
  assert.throws(() => populationStabilityIndex([], []), RangeError);
  assert.ok(Number.isNaN(populationStabilityIndex([0.5, 0.5], [Number.NaN, Number.NaN])));
});

test("PSI of counts: an empty bin counts as what the sample's size resolves, not a fixed ε", () => {
  // A 10-bin uniform baseline of 10 000 rows; a window matching it, but for one bin it missed by chance.
  const baseline = Array.from({ length: 10 }, () => 1000);
  const missed = (n: number): number[] => Array.from({ length: 10 }, (_, i) => (i === 0 ? 0 : i === 1 ? (2 * n) / 10 : n / 10));
  const small = psiOfCounts(baseline, missed(100));
  const large = psiOfCounts(baseline, missed(10_000));
  // With ε = 1e-4 the empty bin alone added 0.1·ln(0.1/1e-4) ≈ 0.69 at any window size.
  const withEpsilon = populationStabilityIndex(toProportions(baseline), toProportions(missed(100)));
  assert.ok(withEpsilon > 0.69, `the old estimate: ${withEpsilon}`);
  assert.ok(small < 0.45, `a 100-row window that missed one bin is a moderate shift at most: ${small}`);
  assert.ok(large > small, "the same empty bin in a 10 000-row window is stronger evidence");
  // By hand for n = 100: k = 10 bins, proportions (c + ½)/(N + 5).
  let expected = 0;
  for (let i = 0; i < 10; i++) {
    const e = (1000 + 0.5) / 10_005;
    const a = ((missed(100)[i] ?? 0) + 0.5) / 105;
    expected += (a - e) * Math.log(a / e);
  }
  assertClose(small, expected);
  assert.equal(psiOfCounts(baseline, baseline), 0);
  assert.ok(Number.isNaN(psiOfCounts(baseline, Array.from({ length: 10 }, () => 0))));
  // Bins empty in both samples carry nothing.
  assertClose(psiOfCounts([10, 10, 0], [5, 15, 0]), psiOfCounts([10, 10], [5, 15]));
  assert.throws(() => psiOfCounts([1, 2], [1, 2, 3]), RangeError);
});
