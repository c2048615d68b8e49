// A shard's drift against a baseline: the same χ² test as live drift, on the shard's rows.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { ShardDrift } from "../../../src/batch/drift-profile.ts";
import { summaryLine, type BatchSummary } from "../../../src/batch/summary.ts";
import { buildBaseline } from "../../../src/drift/index.ts";

/** A seeded uniform generator (mulberry32), so the rows are the same every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rows = (n: number, seed: number, shift = 0): number[][] => {
  const next = random(seed);
  return Array.from({ length: n }, () => [next() * 10 + shift, next() * 5]);
};
const baseline = buildBaseline(rows(20_000, 1), { columns: ["a", "b"] });

test("rows like the baseline's: no small p-value; a shifted feature: a tiny p-value and a large PSI", () => {
  const same = new ShardDrift(baseline);
  for (const r of rows(5_000, 2)) same.observe(r);
  const calm = same.summary();
  assert.equal(calm.rows, 5_000);
  assert.deepEqual(calm.features.map((f) => f.n), ["a", "b"]);
  for (const f of calm.features) assert.ok((f.p ?? 0) > 1e-4, `${f.n}: p ${f.p}`);

  const shifted = new ShardDrift(baseline);
  for (const r of rows(5_000, 3, 2)) shifted.observe(r);
  const [a, b] = shifted.summary().features;
  assert.ok((a?.p ?? 1) < 1e-12, `a: p ${a?.p}`);
  assert.ok((a?.psi ?? 0) > 0.1, `a: psi ${a?.psi}`);
  assert.ok((b?.p ?? 0) > 1e-4, `b did not move: p ${b?.p}`);
});

test("a feature a row lacks is missing, not binned", () => {
  const drift = new ShardDrift(baseline);
  drift.observe([1]);
  drift.observe([Number.NaN, 2]);
  const [a, b] = drift.summary().features;
  assert.equal(drift.summary().rows, 2);
  assert.notEqual(a?.p, undefined);
  assert.notEqual(b?.p, undefined);
});

test("drift of many features does not fit the summary line: it is left to the manifest", () => {
  const summary: BatchSummary = {
    v: 1, status: "succeeded", shard: 0, shards: 1, rows: 10, succeeded: 10, failed: 0, batches: 1, manifest: "s3://b/manifest-0.json",
    drift: { rows: 10, features: Array.from({ length: 200 }, (_, i) => ({ n: `feature_${i}`, p: 0.1234, psi: 0.012 })) },
  };
  const line = summaryLine(summary);
  assert.ok(Buffer.byteLength(line) <= 4096);
  assert.equal((JSON.parse(line) as BatchSummary).drift, undefined);
  const small = summaryLine({ ...summary, drift: { rows: 10, features: summary.drift!.features.slice(0, 4) } });
  assert.equal((JSON.parse(small) as BatchSummary).drift?.features.length, 4);
});
