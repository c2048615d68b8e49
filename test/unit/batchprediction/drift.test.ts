// A run's drift verdict from its shards' tests: Bonferroni over features × tested shards.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { BatchShardResult } from "../../../src/api/index.ts";
import { runDrift } from "../../../src/controllers/batchprediction/drift.ts";
import { computeBatchStatus } from "../../../src/controllers/batchprediction/status.ts";
import { batchPrediction, job } from "./fixtures.ts";

const TEST = JSON.stringify({ falseAlarmRate: 0.01, minWindow: 1000, minPsi: 0 });
const withTest = (annotation: string | null = TEST) => {
  const j = job("nightly-1", { conditions: [{ type: "Complete", status: "True" }], completedIndexes: "0-1" }, 2);
  if (annotation !== null) j.metadata!.annotations = { "mdo.dev/drift-test": annotation };
  return j;
};
const shard = (index: number, rows: number, a: number, b: number): BatchShardResult => ({
  index, status: "succeeded", rows, succeeded: rows, failed: 0,
  drift: { rows, features: [{ name: "a", pValue: a, psi: 0.2 }, { name: "b", pValue: b, psi: 0.01 }] },
});

test("a feature drifts when its p-value in some shard is below α / (features × tested shards)", () => {
  // 2 features × 2 shards: threshold 0.01 / 4 = 0.0025.
  const drift = runDrift(withTest(), [shard(0, 5000, 0.002, 0.5), shard(1, 5000, 0.3, 0.003)]);
  assert.equal(drift?.threshold, 0.0025);
  assert.deepEqual(drift?.drifted, [{ name: "a", shard: 0, pValue: 0.002, psi: 0.2 }]);
  assert.equal(drift?.shardsTested, 2);
  assert.equal(drift?.rows, 10_000);
  assert.match(drift?.message ?? "", /1 feature\(s\) drifted from the baseline: a/);
});

test("shards under minWindow are not tested, and count in no correction", () => {
  const drift = runDrift(withTest(), [shard(0, 5000, 0.004, 0.5), shard(1, 999, 1e-9, 1e-9)]);
  assert.equal(drift?.shardsTested, 1);
  assert.equal(drift?.threshold, 0.005);
  assert.deepEqual(drift?.drifted.map((f) => f.name), ["a"]);
  assert.match(runDrift(withTest(), [shard(0, 10, 1e-9, 1e-9)])?.message ?? "", /minWindow/);
});

test("no drift test on the Job: no drift in status; a verdict sets the DataDrift condition", () => {
  assert.equal(runDrift(withTest(null), [shard(0, 5000, 1e-9, 1e-9)]), undefined);
  const pods = [0, 1].map((i) => ({
    metadata: { name: `p${i}`, labels: { "batch.kubernetes.io/job-name": "nightly-1", "batch.kubernetes.io/job-completion-index": String(i) } },
    status: { containerStatuses: [{ name: "worker", ready: false, restartCount: 0, image: "", imageID: "", state: { terminated: { exitCode: 0, message: JSON.stringify({ v: 1, status: "succeeded", shard: i, shards: 2, rows: 2000, succeeded: 2000, failed: 0, batches: 20, manifest: "", drift: { rows: 2000, features: [{ n: "a", p: i === 0 ? 1e-8 : 0.4, psi: 0.3 }] } }) } } }] },
  }));
  const status = computeBatchStatus({ generation: 1, spec: batchPrediction().spec, now: new Date(), jobs: [withTest()], job: withTest(), pods }, undefined);
  assert.equal(status.conditions?.find((c) => c.type === "DataDrift")?.status, "True");
  assert.deepEqual(status.drift?.drifted.map((f) => [f.name, f.shard]), [["a", 0]]);
  assert.equal(status.phase, "Succeeded", "drift is reported, it does not fail the run");
});
