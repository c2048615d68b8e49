import { strict as assert } from "node:assert";
import { test } from "node:test";
import { BaselineError } from "../../../src/drift/baseline.ts";
import { buildBaseline } from "../../../src/drift/build-baseline.ts";
import { quantileEdges } from "../../../src/drift/quantile-edges.ts";

test("quantileEdges: values at ranks ⌊j·n/bins⌋, without duplicates and the minimum", () => {
  // n = 10, bins = 5 → ranks 2, 4, 6, 8 → values 2, 4, 6, 8
  assert.deepEqual(quantileEdges([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 5), [2, 4, 6, 8]);
  // ties: 0,0,0,0,0,0,1,1,1,1 with 4 bins → ranks 2, 5, 7 → 0, 0, 1 → drop the minimum → [1]
  assert.deepEqual(quantileEdges([0, 0, 0, 0, 0, 0, 1, 1, 1, 1], 4), [1]);
  assert.deepEqual(quantileEdges([7, 7, 7], 10), []);
  assert.deepEqual(quantileEdges([1, 2], 10), [2]);
});

test("numeric features get quantile bins, proportions, mean and standard deviation", () => {
  const rows = Array.from({ length: 10 }, (_, i) => [i, i % 2 === 0 ? "even" : "odd"]);
  const baseline = buildBaseline(rows, { columns: ["x", "parity"], bins: 5 });
  const [x, parity] = baseline.features;
  // x = 0…9, bins = 5 → edges 2, 4, 6, 8; bins (−∞,2) [2,4) [4,6) [6,8) [8,∞) hold 2 values each
  // mean = 4.5; population variance = Σ(i − 4.5)²/10 = 82.5/10 = 8.25
  assert.deepEqual(x, { kind: "numeric", name: "x", index: 0, count: 10, edges: [2, 4, 6, 8], proportions: [0.2, 0.2, 0.2, 0.2, 0.2], mean: 4.5, std: Math.sqrt(8.25) });
  assert.deepEqual(parity, { kind: "categorical", name: "parity", index: 1, count: 10, categories: ["even", "odd", "__other__"], proportions: [0.5, 0.5, 0] });
});

test("categorical: most frequent first (ties by name), the rest pooled in __other__, forced columns", () => {
  const values = ["b", "a", "c", "a", "b", "d", "a", "__other__"];
  const rows = values.map((v, i) => [v, i % 3]);
  const baseline = buildBaseline(rows, { columns: ["letter", "code"], categorical: ["code"], maxCategories: 2 });
  const [letter, code] = baseline.features;
  // a: 3, b: 2, then c, d and the literal "__other__" (1 each) → __other__ 3/8
  assert.deepEqual(letter, { kind: "categorical", name: "letter", index: 0, count: 8, categories: ["a", "b", "__other__"], proportions: [3 / 8, 2 / 8, 3 / 8] });
  // codes 0,1,2,0,1,2,0,1 → "0": 3, "1": 3 (tie, by name), "2": 2 → __other__
  assert.equal(code?.kind, "categorical");
  assert.deepEqual(code?.kind === "categorical" && code.categories, ["0", "1", "__other__"]);
});

test("indexes count feature columns only; missing cells are skipped; the prediction is profiled apart", () => {
  const rows = [
    ["id1", 1, null, "yes"],
    ["id2", 2, 5, "no"],
    ["id3", Number.NaN, 6, "yes"],
    ["id4", 4, "", "yes"],
  ];
  const baseline = buildBaseline(rows, { columns: ["id", "a", "b", "label"], exclude: ["id"], prediction: "label", bins: 2 });
  assert.deepEqual(baseline.features.map((f) => [f.name, f.index, f.count]), [["a", 0, 3], ["b", 1, 2]]);
  assert.equal(baseline.prediction?.name, "label");
  assert.deepEqual(baseline.prediction?.kind === "categorical" && baseline.prediction.proportions, [0.75, 0.25, 0]);
});

test("bad input is a BaselineError", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => buildBaseline([], { columns: ["a"] }), /No rows/],
    [() => buildBaseline([[1]], { columns: ["a"], bins: 1 }), /bins/],
    [() => buildBaseline([[1]], { columns: ["a"], categorical: ["b"] }), /Unknown column.*b/],
    [() => buildBaseline([[1]], { columns: ["a"], exclude: ["a"] }), /No feature columns/],
    [() => buildBaseline([[null, 1]], { columns: ["a", "b"] }), /"a" has no values/],
    [() => buildBaseline([[1, 2]], { columns: ["a", "a"] }), /unique/],
  ];
  for (const [run, message] of cases) assert.throws(run, (e: unknown) => e instanceof BaselineError && message.test(e.message));
});
