// BatchPrediction statuses in every phase the operator sets, each computed by the operator's own
// computeBatchStatus, with the health Flux (kstatus) and Argo CD (deploy/argocd/batch-health.lua)
// give it.
import type { BatchPhase, BatchPredictionInput, BatchPredictionStatus } from "../../../src/api/index.ts";
import { computeBatchStatus, type BatchObservation } from "../../../src/controllers/batchprediction/status.ts";
import { batchPrediction, job, summary, workerPod } from "../../unit/batchprediction/fixtures.ts";
import type { ArgoHealth, Kstatus } from "./md-cases.ts";

type BatchSpec = Partial<BatchPredictionInput["spec"]>;

export interface BatchCase {
  name: string;
  /** Spec fields beside model, input and output, so Argo CD and the CRD see what the operator saw. */
  spec: BatchSpec;
  status: BatchPredictionStatus;
  phase: BatchPhase;
  kstatus: Kstatus;
  argo: ArgoHealth;
}

const now = new Date("2026-12-04T10:05:00Z");
const time = (iso: string) => iso as unknown as Date;
const started = { startTime: time("2026-12-04T10:00:00Z") };
const running = job("nightly-1", { active: 2, ...started, completedIndexes: "0" });
const done = job("nightly-1", { succeeded: 4, completedIndexes: "0-3", ...started, completionTime: time("2026-12-04T10:04:00Z"), conditions: [{ type: "Complete", status: "True" }] });
const failedJob = job("nightly-1", {
  failed: 1, failedIndexes: "2", completedIndexes: "0-1", ...started,
  conditions: [{ type: "Failed", status: "True", reason: "FailedIndexes", message: "Job has failed indexes", lastTransitionTime: time("2026-12-04T10:03:00Z") }],
});
const reports = (failed: number) => [0, 1, 2, 3].map((i) => workerPod("nightly-1", i, summary(i, 100, failed)));

function bp(name: string, spec: BatchSpec, o: Partial<BatchObservation>, expect: Omit<BatchCase, "name" | "spec" | "status">): BatchCase {
  const observation: BatchObservation = {
    generation: 1, spec: batchPrediction(spec).spec, now, jobs: o.job === undefined ? [] : [o.job], pods: [], ...o,
  };
  return { name, spec, status: computeBatchStatus(observation, undefined), ...expect };
}

export function batchCases(): BatchCase[] {
  const daily = { schedule: "@daily" };
  return [
    bp("creating the run's Job", {}, {}, { phase: "Pending", kstatus: "InProgress", argo: "Progressing" }),
    bp("Job created, not started", {}, { job: job("nightly-1", {}) }, { phase: "Pending", kstatus: "InProgress", argo: "Progressing" }),
    bp("waiting for the ModelDeployment", {}, { problem: { reason: "ModelDeploymentNotServing", message: "no stable revision", waiting: true } },
      { phase: "Pending", kstatus: "InProgress", argo: "Progressing" }),
    bp("cannot start (Stalled problem)", {}, { problem: { reason: "SecretNotFound", message: 'Secret "warehouse" does not exist', waiting: false } },
      { phase: "Pending", kstatus: "Failed", argo: "Degraded" }),
    bp("running", {}, { job: running, pods: reports(0).slice(0, 1) }, { phase: "Running", kstatus: "InProgress", argo: "Progressing" }),
    // A schedule's run in progress holds a Flux `wait` until it ends (kstatus says a CronJob is
    // always Current): see docs/gitops.md.
    bp("a scheduled run in progress", daily, { job: running }, { phase: "Running", kstatus: "InProgress", argo: "Progressing" }),
    bp("run done", {}, { job: done, pods: reports(1) }, { phase: "Succeeded", kstatus: "Current", argo: "Healthy" }),
    bp("run failed (Job failed)", {}, { job: failedJob, pods: [workerPod("nightly-1", 2, summary(2, 40, 40, "failed", "41 rows failed"))] },
      { phase: "Failed", kstatus: "Failed", argo: "Degraded" }),
    bp("run over spec.maxFailedRows", { maxFailedRows: 10 }, { job: done, pods: reports(3) }, { phase: "Failed", kstatus: "Failed", argo: "Degraded" }),
    bp("a scheduled run failed", daily, { job: failedJob }, { phase: "Failed", kstatus: "Failed", argo: "Degraded" }),
    bp("waiting for the schedule", daily, { lastScheduleTime: "2026-12-04T00:00:00Z" }, { phase: "Scheduled", kstatus: "Current", argo: "Healthy" }),
    bp("last scheduled run done", daily, { job: done, pods: reports(0) }, { phase: "Scheduled", kstatus: "Current", argo: "Healthy" }),
    // A single run suspended before it ended is work not done: Ready=False, kstatus InProgress (a
    // Flux `wait` waits for spec.suspend to go). One that ended keeps its outcome; a suspended
    // schedule is Ready: Current.
    bp("suspended before its run", { suspend: true }, {}, { phase: "Suspended", kstatus: "InProgress", argo: "Suspended" }),
    bp("suspended after its run succeeded", { suspend: true }, { job: done, pods: reports(0) }, { phase: "Succeeded", kstatus: "Current", argo: "Healthy" }),
    bp("schedule suspended", { ...daily, suspend: true }, {}, { phase: "Suspended", kstatus: "Current", argo: "Suspended" }),
  ];
}
