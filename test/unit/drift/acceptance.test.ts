// The drift acceptance property, end to end through the agent's path: baseline built from
// reference data → v2 request bodies → FeatureExtractor → DriftMonitor → report.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { FeatureExtractor } from "../../../src/agent/features.ts";
import type { Baseline } from "../../../src/drift/baseline.ts";
import { buildBaseline } from "../../../src/drift/build-baseline.ts";
import { DriftMonitor } from "../../../src/drift/window.ts";
import { ManualClock } from "../../../src/runtime/clock.ts";
import { normal, uniform } from "./random.ts";

const SAMPLES = 5000;
const COLUMNS = ["normal", "lognormal", "uniform", "exponential", "counts"];

/** Five differently shaped features, one row per call. */
function source(seed: number): () => number[] {
  const u = uniform(seed);
  const z = normal(u);
  return () => [50 + 10 * z(), Math.exp(0.5 * z()), u(), -Math.log(1 - u()) / 2, Math.round(10 + 3 * z())];
}

function draw(seed: number, n: number): number[][] {
  const next = source(seed);
  return Array.from({ length: n }, next);
}

/** PSI per feature of `rows` sent as v2 requests of 10 rows each through the agent's path. */
function psiThroughAgent(baseline: Baseline, rows: readonly number[][]): number[] {
  const extractor = new FeatureExtractor(baseline.features);
  const monitor = new DriftMonitor(baseline, { maxSamples: rows.length, maxAgeMs: 60_000, clock: new ManualClock() });
  for (let i = 0; i < rows.length; i += 10) {
    const batch = rows.slice(i, i + 10);
    const body = JSON.stringify({ inputs: [{ name: "input-0", shape: [batch.length, COLUMNS.length], datatype: "FP64", data: batch.flat() }] });
    for (const row of extractor.rowsFromText(body)) monitor.observe(row);
  }
  const report = monitor.report();
  assert.equal(report?.windowSamples, rows.length);
  return report.features.map((f) => f.psi ?? Number.NaN);
}

test("same-distribution data gives PSI < 0.1 on every feature; a 1σ shift gives PSI > 0.25 on that feature only", () => {
  const baseline = buildBaseline(draw(1, SAMPLES), { columns: COLUMNS, bins: 10 });
  const live = draw(2, SAMPLES);
  const same = psiThroughAgent(baseline, live);
  same.forEach((psi, j) => assert.ok(psi < 0.1, `${COLUMNS[j]}: PSI ${psi} should be < 0.1 without drift`));

  baseline.features.forEach((feature, j) => {
    assert.equal(feature.kind, "numeric");
    const std = feature.kind === "numeric" ? feature.std : Number.NaN;
    const shifted = live.map((row) => row.map((v, k) => (k === j ? v + std : v)));
    const psi = psiThroughAgent(baseline, shifted);
    psi.forEach((value, k) => {
      if (k === j) assert.ok(value > 0.25, `${COLUMNS[k]} shifted by 1σ: PSI ${value} should be > 0.25`);
      else assert.ok(value < 0.1, `${COLUMNS[k]} (not shifted, while ${COLUMNS[j]} is): PSI ${value} should be < 0.1`);
    });
  });
});
