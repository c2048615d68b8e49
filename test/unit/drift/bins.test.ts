import { strict as assert } from "node:assert";
import { test } from "node:test";
import { BinLocator, binIndex } from "../../../src/drift/bin-locator.ts";
import { CategoryBins, NumericBins } from "../../../src/drift/bins.ts";
import { uniform } from "./random.ts";

test("binIndex: bins are (−∞, e₀), [e₀, e₁), …, [eₘ₋₁, +∞)", () => {
  const edges = [1, 2, 3];
  assert.equal(binIndex(edges, Number.NEGATIVE_INFINITY), 0);
  assert.equal(binIndex(edges, 0.999), 0);
  assert.equal(binIndex(edges, 1), 1);
  assert.equal(binIndex(edges, 1.5), 1);
  assert.equal(binIndex(edges, 2), 2);
  assert.equal(binIndex(edges, 3), 3);
  assert.equal(binIndex(edges, Number.POSITIVE_INFINITY), 3);
  assert.equal(binIndex([], 42), 0);
  const many = Array.from({ length: 20 }, (_, i) => i * 10);
  for (let x = -5; x < 200; x += 2.5) assert.equal(binIndex(many, x), many.filter((e) => e <= x).length, `x = ${x}`);
});

test("BinLocator agrees with binary search everywhere, including edges, skew and extreme ranges", () => {
  const next = uniform(7);
  const edgeSets: number[][] = [
    [],
    [5],
    [1, 2, 3],
    [0.001, 0.002, 0.004, 0.01, 0.1, 1, 10, 100, 1000], // skewed: most edges crowd into one grid cell
    [-1e308, 0, 1e308], // the range overflows to infinity
    Array.from({ length: 100 }, (_, i) => i * i - 50),
  ];
  for (const edges of edgeSets) {
    const locator = new BinLocator(edges);
    const probes = [...edges, ...edges.map((e) => e - Math.abs(e) * 1e-15 - 1e-300), Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -0, 0];
    const low = edges[0] ?? -1;
    const span = Math.min((edges.at(-1) ?? 1) - low || 1, 1e307); // finite, so no probe is NaN
    for (let i = 0; i < 5000; i++) probes.push(Math.max(low, -1e307) - span * 0.1 + next() * span * 1.2);
    for (const x of probes) {
      assert.ok(!Number.isNaN(x));
      assert.equal(locator.locate(x), binIndex(edges, x), `edges ${edges.length}, x = ${x}`);
    }
  }
});

test("NumericBins counts numbers into bins and everything else as missing", () => {
  const bins = new NumericBins({ kind: "numeric", name: "x", index: 0, count: 1, edges: [0, 10], proportions: [0.2, 0.5, 0.3], mean: 5, std: 1 });
  for (const v of [-1, 0, 5, 9.99, 10, 1e9, Number.NaN, undefined, "3"]) bins.count(v);
  assert.deepEqual([...bins.counts], [1, 3, 2]);
  assert.equal(bins.missing, 3);
  bins.reset();
  assert.deepEqual([...bins.counts], [0, 0, 0]);
  assert.equal(bins.missing, 0);
});

test("CategoryBins puts unlisted values into __other__ and converts numbers", () => {
  const bins = new CategoryBins({ kind: "categorical", name: "c", index: 0, count: 1, categories: ["red", "1", "__other__"], proportions: [0.5, 0.25, 0.25] });
  for (const v of ["red", "red", "blue", 1, "1", "__other__", undefined, Number.NaN]) bins.count(v);
  assert.deepEqual([...bins.counts], [2, 2, 2]);
  assert.equal(bins.missing, 2);
});
