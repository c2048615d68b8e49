// BatchPrediction status from what the caches show: the run's Job, its pods' summaries, the
// CronJob, and the previous status (shard reports outlive their pods there). One pure function.
import type { V1Job, V1Pod } from "@kubernetes/client-node";
import type { BatchPhase, BatchPredictionSpec, BatchPredictionStatus, BatchRunRecord, BatchShardResult } from "../../api/index.ts";
import { judgeFailures, parseFailureBudget, UNLIMITED } from "../../batch/failure-budget.ts";
import { formatTime, setCondition, type Condition } from "../../runtime/conditions.ts";
import { runDrift, type BatchDrift } from "./drift.ts";
import { ANNOTATION_SCORES_WITH } from "./labels.ts";
import { countIndexes, jobEndedAt, jobOutcome, mergeShardResults, shardResultsOf } from "./shards.ts";

export interface BatchProblem {
  readonly reason: string;
  readonly message: string;
  /** Time may fix it (Reconciling), rather than a change to the spec or the cluster (Stalled). */
  readonly waiting: boolean;
}

export interface BatchObservation {
  readonly generation: number;
  /** The parsed spec; undefined when it is invalid (then `problem` says why). */
  readonly spec: BatchPredictionSpec | undefined;
  readonly now: Date;
  readonly problem?: BatchProblem;
  /** The run to report: the single run's Job, or the newest Job the schedule started. */
  readonly job?: V1Job;
  /** Every Job of this BatchPrediction in the cache (finished ones enter the history). */
  readonly jobs: readonly V1Job[];
  readonly pods: readonly V1Pod[];
  readonly lastScheduleTime?: string;
}

interface RunVerdict {
  readonly outcome?: "Succeeded" | "Failed";
  readonly reason?: string;
  readonly message?: string;
}

type Rows = NonNullable<BatchPredictionStatus["rows"]>;

function sumRows(results: readonly BatchShardResult[]): Rows {
  return results.reduce((sum, r) => ({ total: sum.total + r.rows, succeeded: sum.succeeded + r.succeeded, failed: sum.failed + r.failed }), { total: 0, succeeded: 0, failed: 0 });
}

/**
 * How a run ended: its Job's Complete or Failed condition, and, for a complete one, the failed rows
 * of all shards against spec.maxFailedRows (each shard judged only its own rows).
 */
export function runVerdict(job: V1Job, results: readonly BatchShardResult[], spec: BatchPredictionSpec | undefined): RunVerdict {
  const ended = jobOutcome(job);
  if (ended === undefined) return {};
  if (ended.outcome === "Failed") {
    const shard = results.find((r) => r.status === "failed" && r.error !== undefined);
    const detail = shard === undefined ? "" : `; shard ${shard.index}: ${shard.error ?? ""}`;
    return { outcome: "Failed", reason: ended.reason, message: `Job ${job.metadata?.name ?? ""} failed: ${ended.message || ended.reason}${detail}` };
  }
  const budget = spec?.maxFailedRows === undefined ? UNLIMITED : parseFailureBudget(String(spec.maxFailedRows)) ?? UNLIMITED;
  const rows = sumRows(results);
  const verdict = judgeFailures(budget, rows.failed, rows.total, true);
  if (verdict.exceeded) {
    return { outcome: "Failed", reason: "FailureBudgetExceeded", message: `${verdict.reason.replace("--max-failed-rows", "spec.maxFailedRows")} over all shards` };
  }
  return { outcome: "Succeeded", reason: "Completed", message: `${rows.succeeded} rows predicted, ${rows.failed} failed` };
}

function phaseOf(o: BatchObservation, verdict: RunVerdict): { phase: BatchPhase; reason: string; message: string } {
  if (o.problem !== undefined) return { phase: "Pending", reason: o.problem.reason, message: o.problem.message };
  const job = o.job;
  const active = (job?.status?.active ?? 0) > 0;
  // A single run that has ended keeps its outcome when suspended afterwards: there is nothing left to hold.
  const ended = job !== undefined && verdict.outcome !== undefined && o.spec?.schedule === undefined;
  if (o.spec?.suspend === true && !active && !ended) return { phase: "Suspended", reason: "Suspended", message: "spec.suspend is true: no run starts" };
  if (job === undefined) {
    return o.spec?.schedule === undefined
      ? { phase: "Pending", reason: "Creating", message: "Creating the run's Job" }
      : { phase: "Scheduled", reason: "Scheduled", message: `Waiting for the schedule ${o.spec.schedule}` };
  }
  const name = job.metadata?.name ?? "";
  if (verdict.outcome === "Failed") return { phase: "Failed", reason: verdict.reason ?? "Failed", message: verdict.message ?? "" };
  if (verdict.outcome === "Succeeded") {
    return o.spec?.schedule === undefined
      ? { phase: "Succeeded", reason: "Completed", message: `Run ${name} done: ${verdict.message ?? ""}` }
      : { phase: "Scheduled", reason: "Scheduled", message: `Last run ${name} done: ${verdict.message ?? ""}; next on the schedule ${o.spec.schedule}` };
  }
  if (!active && (job.status?.startTime === undefined)) return { phase: "Pending", reason: "Starting", message: `Run ${name} is starting` };
  return { phase: "Running", reason: "Running", message: `Run ${name}: ${countIndexes(job.status?.completedIndexes)} of ${job.spec?.completions ?? 0} shards done, ${job.status?.active ?? 0} running` };
}

function conditionsOf(previous: readonly Condition[] | undefined, state: { phase: BatchPhase; reason: string; message: string }, o: BatchObservation, drift: BatchDrift | undefined): Condition[] {
  const { phase, reason, message } = state;
  const stalled = phase === "Failed" || (o.problem !== undefined && !o.problem.waiting);
  const reconciling = !stalled && (phase === "Pending" || phase === "Running");
  // A suspended schedule is a state someone chose and nothing is under way (kstatus: Current); a
  // single run suspended before it ended is work not done (Ready=False, as a ModelDeployment
  // suspended mid-roll).
  const ready = phase === "Succeeded" || phase === "Scheduled" || (phase === "Suspended" && o.spec?.schedule !== undefined);
  const at = { observedGeneration: o.generation };
  let conditions = setCondition(previous, { type: "Ready", status: ready ? "True" : "False", reason, message, ...at }, o.now);
  conditions = setCondition(conditions, { type: "Reconciling", status: reconciling ? "True" : "False", reason: reconciling ? reason : "Idle", message: reconciling ? message : "", ...at }, o.now);
  conditions = setCondition(conditions, { type: "Stalled", status: stalled ? "True" : "False", reason: stalled ? reason : "Progressing", message: stalled ? message : "", ...at }, o.now);
  if (drift === undefined || drift.shardsTested === 0) return conditions.filter((c) => c.type !== "DataDrift");
  const drifted = drift.drifted.length > 0;
  return setCondition(conditions, { type: "DataDrift", status: drifted ? "True" : "False", reason: drifted ? "InputsDrifted" : "NoDrift", message: drift.message, ...at }, o.now);
}

/** Finished runs, oldest first, at most `limit`: the earlier history plus Jobs that finished since. */
function historyOf(o: BatchObservation, previous: BatchPredictionStatus | undefined, current: { job?: string; results: readonly BatchShardResult[] }): BatchRunRecord[] {
  const history = [...(previous?.history ?? [])];
  for (const job of o.jobs) {
    const name = job.metadata?.name ?? "";
    if (history.some((h) => h.job === name)) continue;
    const results = name === current.job ? current.results : shardResultsOf(o.pods, name);
    const verdict = runVerdict(job, results, o.spec);
    if (verdict.outcome === undefined) continue;
    const rows = sumRows(results);
    history.push({
      job: name, outcome: verdict.outcome,
      ...(job.status?.startTime === undefined ? {} : { startTime: formatTime(new Date(job.status.startTime)) }),
      ...(jobEndedAt(job) === undefined ? {} : { completionTime: formatTime(new Date(jobEndedAt(job) ?? 0)) }),
      rowsSucceeded: rows.succeeded, rowsFailed: rows.failed,
      ...(verdict.outcome === "Failed" && verdict.reason !== undefined && { reason: verdict.reason }),
    });
  }
  history.sort((a, b) => (a.completionTime ?? "").localeCompare(b.completionTime ?? ""));
  return history.slice(-(o.spec?.historyLimit ?? 5));
}

/** The status for `o`, keeping what `previous` knew that the caches no longer show. Pure. */
export function computeBatchStatus(o: BatchObservation, previous: BatchPredictionStatus | undefined): BatchPredictionStatus {
  const job = o.job;
  const jobName = job?.metadata?.name;
  const sameRun = jobName !== undefined && previous?.job === jobName;
  const results = jobName === undefined ? [] : mergeShardResults(sameRun ? previous.shardResults ?? [] : [], shardResultsOf(o.pods, jobName));
  const verdict = job === undefined ? {} : runVerdict(job, results, o.spec);
  const state = phaseOf(o, verdict);
  const drift = job === undefined ? undefined : runDrift(job, results);
  const history = historyOf(o, previous, { ...(jobName !== undefined && { job: jobName }), results });
  const failing = state.phase === "Failed" || (o.problem !== undefined && !o.problem.waiting);
  const keptFailure = previous?.lastFailure?.reason === state.reason ? previous.lastFailure : undefined;
  const startTime = job?.status?.startTime;
  const completionTime = job === undefined ? undefined : jobEndedAt(job);
  const model = job?.metadata?.annotations?.[ANNOTATION_SCORES_WITH];
  return {
    observedGeneration: o.generation,
    phase: state.phase,
    conditions: conditionsOf(previous?.conditions, state, o, drift),
    ...(jobName !== undefined && { job: jobName }),
    ...(model !== undefined && { model }),
    ...(startTime !== undefined && { startTime: formatTime(new Date(startTime)) }),
    ...(completionTime !== undefined && { completionTime: formatTime(new Date(completionTime)) }),
    ...(job !== undefined && {
      shards: {
        total: job.spec?.completions ?? 0,
        succeeded: countIndexes(job.status?.completedIndexes),
        failed: countIndexes(job.status?.failedIndexes ?? undefined),
        active: job.status?.active ?? 0,
      },
      rows: sumRows(results),
    }),
    ...(results.length > 0 && { shardResults: results }),
    ...(drift !== undefined && { drift }),
    ...(o.spec !== undefined && { output: { uri: o.spec.output.uri, manifests: `${o.spec.output.uri}manifest-<shard>.json` } }),
    ...(o.lastScheduleTime !== undefined && { lastScheduleTime: formatTime(new Date(o.lastScheduleTime)) }),
    ...(failing && { lastFailure: keptFailure ?? { reason: state.reason, message: state.message, time: formatTime(o.now) } }),
    ...(history.length > 0 && { history }),
  };
}
