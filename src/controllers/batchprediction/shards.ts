// What the shards of a run reported: each worker's one-line summary, which the kubelet copied
// from its termination log into the pod's status. Pure.
import type { V1Job, V1Pod } from "@kubernetes/client-node";
import type { BatchShardResult } from "../../api/index.ts";
import { parseBatchSummary } from "../../batch/summary.ts";
import { CONTAINER_WORKER, LABEL_COMPLETION_INDEX } from "./labels.ts";

/** The Job controller's label naming a pod's Job. */
export const LABEL_JOB_NAME = "batch.kubernetes.io/job-name";
const MAX_ERROR = 1024;

/** How many indexes a Job's index list ("0-2,5") names. */
export function countIndexes(list: string | undefined): number {
  if (list === undefined || list === "") return 0;
  return list.split(",").reduce((sum, range) => {
    const [from = "", to] = range.split("-");
    return sum + (to === undefined ? 1 : Number(to) - Number(from) + 1);
  }, 0);
}

/**
 * The last report of each shard among the pods of `jobName`: a pod whose worker ended and left a
 * summary. A worker that died without one (killed, out of memory) reports nothing; its Job runs
 * the shard again. Sorted by index.
 */
export function shardResultsOf(pods: readonly V1Pod[], jobName: string): BatchShardResult[] {
  const latest = new Map<number, { at: number; result: BatchShardResult }>();
  for (const pod of pods) {
    if (pod.metadata?.labels?.[LABEL_JOB_NAME] !== jobName) continue;
    const index = Number(pod.metadata.labels[LABEL_COMPLETION_INDEX]);
    const terminated = pod.status?.containerStatuses?.find((c) => c.name === CONTAINER_WORKER)?.state?.terminated;
    const summary = parseBatchSummary(terminated?.message);
    if (!Number.isInteger(index) || terminated === undefined || summary === undefined) continue;
    const at = new Date(terminated.finishedAt ?? 0).getTime();
    const previous = latest.get(index);
    if (previous !== undefined && previous.at > at) continue;
    latest.set(index, {
      at,
      result: {
        index, status: summary.status, rows: summary.rows, succeeded: summary.succeeded, failed: summary.failed,
        ...(summary.manifest !== "" && { manifest: summary.manifest }),
        ...(summary.error !== undefined && { error: summary.error.slice(0, MAX_ERROR) }),
        ...(summary.drift !== undefined && { drift: { rows: summary.drift.rows, features: summary.drift.features.map((f) => ({ name: f.n, pValue: f.p, psi: f.psi })) } }),
      },
    });
  }
  return [...latest.values()].map((v) => v.result).sort((a, b) => a.index - b.index);
}

/** `known` (from an earlier status of the same Job) updated with `seen`; a shard's newer report wins. */
export function mergeShardResults(known: readonly BatchShardResult[], seen: readonly BatchShardResult[]): BatchShardResult[] {
  const byIndex = new Map(known.map((r) => [r.index, r]));
  for (const result of seen) byIndex.set(result.index, result);
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/** Whether a Job finished, and how: its Complete or Failed condition. */
export function jobOutcome(job: V1Job): { outcome: "Succeeded" | "Failed"; reason: string; message: string } | undefined {
  for (const condition of job.status?.conditions ?? []) {
    if (condition.status !== "True") continue;
    if (condition.type === "Complete") return { outcome: "Succeeded", reason: "Completed", message: condition.message ?? "" };
    if (condition.type === "Failed") return { outcome: "Failed", reason: condition.reason ?? "JobFailed", message: condition.message ?? "" };
  }
  return undefined;
}

/** When a Job ended: its completionTime, or (a failed Job has none) when its Failed condition became true. */
export function jobEndedAt(job: V1Job): string | Date | undefined {
  return job.status?.completionTime ?? job.status?.conditions?.find((c) => c.type === "Failed" && c.status === "True")?.lastTransitionTime;
}
