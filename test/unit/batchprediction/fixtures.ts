// BatchPredictions and Jobs for the batch controller's unit tests.
import type { V1Job, V1Pod } from "@kubernetes/client-node";
import { parseBatchPrediction, type BatchPrediction, type BatchPredictionInput } from "../../../src/api/index.ts";

export function batchPrediction(spec: Partial<BatchPredictionInput["spec"]> = {}): BatchPrediction {
  const parsed = parseBatchPrediction({
    apiVersion: "mdo.dev/v1alpha1", kind: "BatchPrediction",
    metadata: { name: "nightly", namespace: "ml", uid: "uid-1", generation: 1 },
    spec: {
      model: { uri: "s3://models/iris/", format: "sklearn", version: "v3" },
      input: { uri: "s3://data/in/" },
      output: { uri: "s3://data/out/" },
      ...spec,
    },
  });
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

export function job(name: string, status: V1Job["status"], completions = 4): V1Job {
  return { apiVersion: "batch/v1", kind: "Job", metadata: { name, namespace: "ml", labels: { "mdo.dev/batch-prediction": "nightly" } }, spec: { completions, template: { spec: { containers: [] } } }, status };
}

export function workerPod(jobName: string, index: number, message: string | undefined, finishedAt = "2026-12-04T10:00:00Z"): V1Pod {
  return {
    metadata: { name: `${jobName}-${index}-x`, namespace: "ml", labels: { "batch.kubernetes.io/job-name": jobName, "batch.kubernetes.io/job-completion-index": String(index), "mdo.dev/batch-prediction": "nightly" } },
    status: { containerStatuses: [{ name: "worker", ready: false, restartCount: 0, image: "mdo", imageID: "", state: { terminated: { exitCode: 0, ...(message !== undefined && { message }), finishedAt: finishedAt as unknown as Date } } }] },
  };
}

export function summary(shard: number, rows: number, failed: number, status: "succeeded" | "failed" = "succeeded", error?: string): string {
  return JSON.stringify({ v: 1, status, shard, shards: 4, rows, succeeded: rows - failed, failed, batches: 1, manifest: `s3://data/out/manifest-${shard}.json`, ...(error !== undefined && { error }) });
}
