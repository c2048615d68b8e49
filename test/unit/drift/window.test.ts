import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { Baseline } from "../../../src/drift/baseline.ts";
import { DriftMonitor } from "../../../src/drift/window.ts";
import { ManualClock } from "../../../src/runtime/clock.ts";
import { assertClose } from "./assert-close.ts";

const baseline: Baseline = {
  version: 1,
  features: [
    { kind: "numeric", name: "x", index: 0, count: 100, edges: [0], proportions: [0.5, 0.5], mean: 0, std: 1 },
    { kind: "categorical", name: "c", index: 1, count: 100, categories: ["a", "b", "__other__"], proportions: [0.5, 0.5, 0] },
  ],
  prediction: { kind: "categorical", name: "label", index: 0, count: 100, categories: ["yes", "no", "__other__"], proportions: [0.5, 0.5, 0] },
};

test("a window closes at maxSamples rows and reports per-feature drift", () => {
  const clock = new ManualClock(1000);
  const monitor = new DriftMonitor(baseline, { maxSamples: 4, maxAgeMs: 60_000, minSamples: 2, clock });
  assert.equal(monitor.report(), undefined);
  monitor.observe([-1, "a"]);
  clock.advance(10);
  monitor.observe([1, "b"]);
  monitor.observe([2, "zzz"]);
  monitor.observePrediction("yes");
  assert.equal(monitor.openWindowSamples, 3);
  clock.advance(5);
  monitor.observe([undefined, "a"]);
  assert.equal(monitor.openWindowSamples, 0);
  const report = monitor.report();
  assert.ok(report !== undefined);
  assert.equal(report.windowStartMs, 1000);
  assert.equal(report.windowEndMs, 1015);
  assert.equal(report.windowSamples, 4);
  const [x, c] = report.features;
  // x: counts (1, 2) vs the baseline's (50, 50), PSI of counts with ½ per bin (psiOfCounts):
  // a = (1.5/4, 2.5/4) = (3/8, 5/8), e = (50.5/101, 50.5/101) = (½, ½):
  // PSI = (3/8 − ½)·ln(3/4) + (5/8 − ½)·ln(5/4) = (1/8)·ln(5/3) = 0.06385320297074884
  // KS = |½ − 1/3| = 1/6 (proportions, unsmoothed)
  assert.equal(x?.samples, 3);
  assert.equal(x?.missing, 1);
  assertClose(x?.psi ?? Number.NaN, Math.log(5 / 3) / 8);
  assertClose(x?.ks ?? Number.NaN, 1 / 6);
  // The homogeneity test against the baseline's counts (count 100 × proportions): values from
  // scipy.stats.chi2_contingency(correction=False). x: (1, 2) vs (50, 50).
  assertClose(x?.chi2 ?? Number.NaN, 0.32365510306686773);
  assert.equal(x?.df, 1);
  assertClose(x?.pValue ?? Number.NaN, 0.5694192973648151, 1e-10);
  assert.deepEqual(x?.counts, [1, 2]);
  // c: (2, 1, 1) vs (50, 50, 0): "zzz" is in "__other__", which the baseline never saw, so that
  // bin counts (df 2) and is strong evidence, but finite — no ε.
  assertClose(c?.chi2 ?? Number.NaN, 25.49019607843137);
  assert.equal(c?.df, 2);
  assertClose(c?.pValue ?? Number.NaN, 2.9165823967716684e-6, 1e-9);
  assert.deepEqual(c?.counts, [2, 1, 1]);
  assert.equal(c?.ks, undefined);
  assert.equal(report.maxPSIFeature, "c");
  assert.equal(report.maxPSI, c?.psi);
  assert.equal(report.prediction?.samples, 1);
});

test("an old window closes at report() once it has minSamples rows, even when idle", () => {
  const clock = new ManualClock(0);
  const monitor = new DriftMonitor(baseline, { maxSamples: 1000, maxAgeMs: 1000, minSamples: 3, clock });
  clock.advance(5000); // idle before the first row: the window starts at its first row
  monitor.observe([1, "a"]);
  clock.advance(2000);
  monitor.observe([-1, "b"]);
  assert.equal(monitor.report(), undefined, "two rows are below minSamples, however old the window");
  monitor.observe([1, "a"]);
  assert.deepEqual([monitor.report()?.windowStartMs, monitor.report()?.windowEndMs, monitor.report()?.windowSamples], [5000, 7000, 3]);
  assert.equal(monitor.report()?.prediction, undefined, "no predictions observed");
  for (let i = 0; i < 3; i++) monitor.observe([1, "a"]);
  clock.advance(999);
  assert.equal(monitor.report()?.windowEndMs, 7000, "the new window is not old yet");
  clock.advance(1);
  assert.deepEqual([monitor.report()?.windowStartMs, monitor.report()?.windowEndMs, monitor.report()?.windowSamples], [7000, 8000, 3]);
});

test("observe checks an old window's age every 16th row", () => {
  const clock = new ManualClock(0);
  const monitor = new DriftMonitor(baseline, { maxSamples: 1000, maxAgeMs: 1000, minSamples: 3, clock });
  monitor.observe([1, "a"]);
  clock.advance(1000);
  for (let i = 2; i <= 15; i++) monitor.observe([1, "a"]);
  assert.equal(monitor.openWindowSamples, 15, "rows 2 to 15 do not look at the clock");
  monitor.observe([1, "a"]);
  assert.equal(monitor.openWindowSamples, 0, "row 16 closes the old window");
  clock.advance(5);
  assert.deepEqual([monitor.report()?.windowStartMs, monitor.report()?.windowEndMs, monitor.report()?.windowSamples], [0, 1000, 16]);
});

test("a feature with no values in a window reports null statistics", () => {
  const clock = new ManualClock(0);
  const monitor = new DriftMonitor(baseline, { maxSamples: 2, maxAgeMs: 1000, clock });
  monitor.observe([undefined, "a"]);
  monitor.observe([]);
  const [x, c] = monitor.report()?.features ?? [];
  assert.deepEqual(x, { name: "x", kind: "numeric", samples: 0, missing: 2, psi: null, js: null, ks: null, chi2: null, df: 1, pValue: null, counts: [0, 0], baselineCounts: [50, 50] });
  assert.equal(c?.samples, 1);
  assert.equal(monitor.report()?.maxPSIFeature, "c");
});

test("identical traffic gives zero drift", () => {
  const monitor = new DriftMonitor(baseline, { maxSamples: 4, maxAgeMs: 1000, clock: new ManualClock() });
  for (const row of [[-1, "a"], [1, "b"], [-2, "a"], [2, "b"]] as const) monitor.observe(row);
  assert.deepEqual(
    monitor.report()?.features.map((f) => [f.psi, f.js]),
    [[0, 0], [0, 0]],
  );
});

test("window options are checked", () => {
  const clock = new ManualClock();
  assert.throws(() => new DriftMonitor(baseline, { maxSamples: 0, maxAgeMs: 1, clock }), RangeError);
  assert.throws(() => new DriftMonitor(baseline, { maxSamples: 10, maxAgeMs: 0, clock }), RangeError);
  assert.throws(() => new DriftMonitor(baseline, { maxSamples: 10, maxAgeMs: 1, minSamples: 11, clock }), RangeError);
});
