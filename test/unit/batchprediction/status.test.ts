// BatchPrediction status from the run's Job and its pods' summaries.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { computeBatchStatus, type BatchObservation } from "../../../src/controllers/batchprediction/status.ts";
import { countIndexes, shardResultsOf } from "../../../src/controllers/batchprediction/shards.ts";
import { batchPrediction, job, summary, workerPod } from "./fixtures.ts";

const now = new Date("2026-12-04T10:05:00Z");
const observe = (o: Partial<BatchObservation>): BatchObservation => ({ generation: 1, spec: batchPrediction().spec, now, jobs: o.job === undefined ? [] : [o.job], pods: [], ...o });
const condition = (status: ReturnType<typeof computeBatchStatus>, type: string) => status.conditions?.find((c) => c.type === type);

test("index lists count like the Job controller writes them", () => {
  assert.equal(countIndexes(undefined), 0);
  assert.equal(countIndexes(""), 0);
  assert.equal(countIndexes("0-2,5"), 4);
  assert.equal(countIndexes("7"), 1);
});

test("running: shards done, rows of the finished shards, Reconciling", () => {
  const running = job("nightly-1", { active: 2, startTime: "2026-12-04T10:00:00Z" as unknown as Date, completedIndexes: "0,3" });
  const pods = [workerPod("nightly-1", 0, summary(0, 250, 2)), workerPod("nightly-1", 3, summary(3, 250, 0)), workerPod("nightly-1", 1, undefined), workerPod("other", 2, summary(2, 9, 9))];
  const status = computeBatchStatus(observe({ job: running, pods }), undefined);
  assert.equal(status.phase, "Running");
  assert.deepEqual(status.shards, { total: 4, succeeded: 2, failed: 0, active: 2 });
  assert.deepEqual(status.rows, { total: 500, succeeded: 498, failed: 2 });
  assert.equal(status.startTime, "2026-12-04T10:00:00Z");
  assert.equal(condition(status, "Reconciling")?.status, "True");
  assert.equal(condition(status, "Ready")?.status, "False");
  assert.equal(status.output?.uri, "s3://data/out/");
});

test("a shard's report outlives its pod, and a retried shard's newer report wins", () => {
  const running = job("nightly-1", { active: 1, startTime: "2026-12-04T10:00:00Z" as unknown as Date, completedIndexes: "0" });
  const first = computeBatchStatus(observe({ job: running, pods: [workerPod("nightly-1", 0, summary(0, 100, 0)), workerPod("nightly-1", 1, summary(1, 10, 0, "failed", "model server unavailable"), "2026-12-04T10:01:00Z")] }), undefined);
  const later = computeBatchStatus(observe({ job: running, pods: [workerPod("nightly-1", 1, summary(1, 100, 1), "2026-12-04T10:02:00Z")] }), first);
  assert.deepEqual(later.shardResults?.map((r) => [r.index, r.status, r.rows]), [[0, "succeeded", 100], [1, "succeeded", 100]]);
  assert.deepEqual(later.rows, { total: 200, succeeded: 199, failed: 1 });
  // Among pods of one index, the last to finish is the shard's report.
  assert.deepEqual(shardResultsOf([workerPod("j", 0, summary(0, 5, 0), "2026-12-04T10:03:00Z"), workerPod("j", 0, summary(0, 1, 1, "failed"), "2026-12-04T10:01:00Z")], "j").map((r) => r.status), ["succeeded"]);
});

test("done: Succeeded and Ready, with the run in the history", () => {
  const done = job("nightly-1", { succeeded: 4, completedIndexes: "0-3", startTime: "2026-12-04T10:00:00Z" as unknown as Date, completionTime: "2026-12-04T10:04:00Z" as unknown as Date, conditions: [{ type: "Complete", status: "True" }] });
  const pods = [0, 1, 2, 3].map((i) => workerPod("nightly-1", i, summary(i, 25_000, 1)));
  const status = computeBatchStatus(observe({ job: done, pods }), undefined);
  assert.equal(status.phase, "Succeeded");
  assert.equal(condition(status, "Ready")?.status, "True");
  assert.equal(condition(status, "Stalled")?.status, "False");
  assert.deepEqual(status.rows, { total: 100_000, succeeded: 99_996, failed: 4 });
  assert.equal(status.completionTime, "2026-12-04T10:04:00Z");
  assert.deepEqual(status.history, [{ job: "nightly-1", outcome: "Succeeded", startTime: "2026-12-04T10:00:00Z", completionTime: "2026-12-04T10:04:00Z", rowsSucceeded: 99_996, rowsFailed: 4 }]);
});

test("a complete Job over maxFailedRows in total fails the run, though every shard was under it", () => {
  const done = job("nightly-1", { succeeded: 4, completedIndexes: "0-3", conditions: [{ type: "Complete", status: "True" }] });
  const pods = [0, 1, 2, 3].map((i) => workerPod("nightly-1", i, summary(i, 100, 3)));
  const spec = batchPrediction({ maxFailedRows: 10 }).spec;
  const status = computeBatchStatus(observe({ spec, job: done, pods }), undefined);
  assert.equal(status.phase, "Failed");
  assert.equal(status.lastFailure?.reason, "FailureBudgetExceeded");
  assert.match(status.lastFailure?.message ?? "", /12 rows failed, more than spec.maxFailedRows 10/);
  assert.equal(condition(status, "Stalled")?.status, "True");
  const under = computeBatchStatus(observe({ spec: batchPrediction({ maxFailedRows: 12 }).spec, job: done, pods }), undefined);
  assert.equal(under.phase, "Succeeded");
});

test("a failed Job: Failed with the Job's reason and the failing shard's error", () => {
  const failed = job("nightly-1", { failed: 1, failedIndexes: "2", completedIndexes: "0-1", conditions: [{ type: "Failed", status: "True", reason: "FailedIndexes", message: "Job has failed indexes", lastTransitionTime: "2026-12-04T10:03:00Z" as unknown as Date }] });
  const status = computeBatchStatus(observe({ job: failed, pods: [workerPod("nightly-1", 2, summary(2, 40, 40, "failed", "41 rows failed, more than --max-failed-rows 40"))] }), undefined);
  assert.equal(status.phase, "Failed");
  assert.equal(status.lastFailure?.reason, "FailedIndexes");
  assert.match(status.lastFailure?.message ?? "", /shard 2: 41 rows failed/);
  assert.equal(status.completionTime, "2026-12-04T10:03:00Z");
  assert.deepEqual(status.shards, { total: 4, succeeded: 2, failed: 1, active: 0 });
});

test("problems: waiting ones are Pending and Reconciling, others Stalled", () => {
  const waiting = computeBatchStatus(observe({ problem: { reason: "ModelDeploymentNotServing", message: "no stable revision", waiting: true } }), undefined);
  assert.equal(waiting.phase, "Pending");
  assert.equal(condition(waiting, "Reconciling")?.status, "True");
  assert.equal(condition(waiting, "Stalled")?.status, "False");
  assert.equal(waiting.lastFailure, undefined);
  const invalid = computeBatchStatus(observe({ spec: undefined, problem: { reason: "InvalidSpec", message: "spec.input.uri: must be …", waiting: false } }), undefined);
  assert.equal(condition(invalid, "Stalled")?.reason, "InvalidSpec");
  assert.equal(invalid.lastFailure?.time, "2026-12-04T10:05:00Z");
  // The time of a failure is the first time it was seen.
  const again = computeBatchStatus(observe({ spec: undefined, now: new Date("2026-12-04T11:00:00Z"), problem: { reason: "InvalidSpec", message: "x", waiting: false } }), invalid);
  assert.equal(again.lastFailure?.time, "2026-12-04T10:05:00Z");
});

test("suspended and scheduled", () => {
  const held = computeBatchStatus(observe({ spec: batchPrediction({ suspend: true }).spec }), undefined);
  assert.equal(held.phase, "Suspended");
  assert.equal(condition(held, "Ready")?.status, "False", "a run suspended before it ended is work not done");
  const done = job("nightly-1", { completionTime: "2026-12-04T10:00:00Z" as unknown as Date, conditions: [{ type: "Complete", status: "True" }] });
  const doneThenSuspended = computeBatchStatus(observe({ spec: batchPrediction({ suspend: true }).spec, job: done }), undefined);
  assert.equal(doneThenSuspended.phase, "Succeeded", "a run that ended keeps its outcome when suspended afterwards");
  assert.equal(condition(doneThenSuspended, "Ready")?.status, "True");
  const pausedSchedule = computeBatchStatus(observe({ spec: batchPrediction({ schedule: "@daily", suspend: true }).spec }), undefined);
  assert.equal(pausedSchedule.phase, "Suspended");
  assert.equal(condition(pausedSchedule, "Ready")?.status, "True", "a suspended schedule is a steady state");
  const scheduled = batchPrediction({ schedule: "@daily" }).spec;
  const waiting = computeBatchStatus(observe({ spec: scheduled, lastScheduleTime: "2026-12-04T00:00:00Z" }), undefined);
  assert.equal(waiting.phase, "Scheduled");
  assert.equal(condition(waiting, "Ready")?.status, "True");
  assert.equal(waiting.lastScheduleTime, "2026-12-04T00:00:00Z");
  const runs = ["a", "b", "c"].map((n, i) => job(`nightly-${n}`, { completionTime: `2026-12-0${i + 1}T00:10:00Z` as unknown as Date, conditions: [{ type: "Complete", status: "True" }] }));
  const status = computeBatchStatus(observe({ spec: batchPrediction({ schedule: "@daily", historyLimit: 2 }).spec, jobs: runs, job: runs[2] }), undefined);
  assert.equal(status.phase, "Scheduled");
  assert.deepEqual(status.history?.map((h) => h.job), ["nightly-b", "nightly-c"]);
});
