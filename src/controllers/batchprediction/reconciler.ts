// The BatchPrediction reconcile: parse, resolve what the run scores with, make sure the run's Job
// (or the schedule's CronJob) exists as specified, then compute the status (one pure function)
// and write it once — also when something failed.
import { isDeepStrictEqual } from "node:util";
import type { V1CronJob, V1Deployment, V1Job, V1Pod, V1Secret } from "@kubernetes/client-node";
import { API_VERSION, BATCH_KIND, parseBatchPrediction, type BatchPrediction, type BatchPredictionStatus } from "../../api/index.ts";
import type { RuntimeCatalog } from "../../catalog/catalog.ts";
import { ApiError } from "../../runtime/client/api-error.ts";
import type { KubeClient, KubeObject } from "../../runtime/client/kube-client.ts";
import { Resources } from "../../runtime/client/resource.ts";
import type { Clock } from "../../runtime/clock.ts";
import type { EventRecorder, EventSpec } from "../../runtime/events.ts";
import type { Informer } from "../../runtime/informer.ts";
import { reconcileLogger, type Logger } from "../../runtime/logging.ts";
import type { Result } from "../../runtime/reconcile.ts";
import { WrittenObjects } from "../../runtime/written-objects.ts";
import { childNames } from "../modeldeployment/labels.ts";
import type { ModelDeploymentObject } from "../modeldeployment/resource.ts";
import type { OperatorSettings } from "../modeldeployment/settings.ts";
import { buildCronJob, buildRunJob, runJobName } from "./job.ts";
import { LABEL_BATCH_PREDICTION } from "./labels.ts";
import { BatchProblemError } from "./problems.ts";
import { BATCH_PREDICTIONS, type BatchPredictionObject } from "./resource.ts";
import { inlineServingParts, stableServingParts, type ServingParts } from "./serving-parts.ts";
import { computeBatchStatus, type BatchProblem } from "./status.ts";

export const BATCH_CONTROLLER_NAME = "batchprediction";
/** How soon a BatchPrediction waiting for something (a ModelDeployment, a Secret) looks again. */
const WAITING_RECHECK_MS = 10_000;

export interface BatchCaches {
  batchPredictions: Informer<BatchPredictionObject>;
  jobs: Informer<V1Job & KubeObject>;
  cronJobs: Informer<V1CronJob & KubeObject>;
  pods: Informer<V1Pod & KubeObject>;
  /** What a run needs of each ModelDeployment (model-deployment-cache.ts), not the whole object. */
  modelDeployments: Informer<ModelDeploymentObject>;
}

export interface BatchReconcilerDeps {
  client: KubeClient;
  caches: BatchCaches;
  catalog: RuntimeCatalog;
  settings: OperatorSettings;
  recorder: EventRecorder;
  logger: Logger;
  clock: Clock;
}

type Job = V1Job & KubeObject;

export class BatchPredictionReconciler {
  private readonly deps: BatchReconcilerDeps;
  private readonly written = new WrittenObjects<BatchPredictionObject>();

  constructor(deps: BatchReconcilerDeps) {
    this.deps = deps;
  }

  readonly reconcile = async (key: string, signal?: AbortSignal): Promise<Result> => {
    const client = signal === undefined ? this.deps.client : this.deps.client.withSignal(signal);
    const object = this.written.newest(key, this.deps.caches.batchPredictions.get(key));
    if (object === undefined || object.metadata?.deletionTimestamp !== undefined) return undefined; // Jobs and CronJob are garbage-collected
    const log = reconcileLogger(this.deps.logger, BATCH_CONTROLLER_NAME, key);
    const parsed = parseBatchPrediction(object);
    const bp = parsed.ok ? parsed.value : undefined;
    let problem: BatchProblem | undefined = parsed.ok ? undefined : { reason: "InvalidSpec", message: parsed.error.message, waiting: false };
    let failure: Error | undefined;
    try {
      if (bp !== undefined) await this.converge(bp, client, log);
    } catch (error) {
      if (error instanceof BatchProblemError) problem = { reason: error.reason, message: error.message, waiting: error.waiting };
      else {
        failure = error instanceof Error ? error : new Error(String(error));
        problem = { reason: "ApplyFailed", message: failure.message, waiting: true };
      }
    }
    const previous = object.status;
    const next = computeBatchStatus({
      generation: object.metadata?.generation ?? 0,
      spec: bp?.spec,
      now: new Date(this.deps.clock.now()),
      ...(problem !== undefined && { problem }),
      ...this.currentRun(object, bp),
      pods: this.deps.caches.pods.list().filter((p) => p.metadata?.namespace === object.metadata?.namespace && p.metadata?.labels?.[LABEL_BATCH_PREDICTION] === object.metadata?.name),
    }, previous);
    const written = await this.writeStatus(client, key, object, previous, next, log);
    if (written === "conflict") return { requeueAfter: 500 };
    if (failure !== undefined) throw failure;
    return problem?.waiting === true ? { requeueAfter: WAITING_RECHECK_MS } : undefined;
  };

  /** The Jobs of `bp` in the cache: its own (a single run) and those its CronJob started. */
  private jobsOf(object: BatchPredictionObject): Job[] {
    return this.deps.caches.jobs.list().filter((j) => j.metadata?.namespace === object.metadata?.namespace && j.metadata?.labels?.[LABEL_BATCH_PREDICTION] === object.metadata?.name);
  }

  private currentRun(object: BatchPredictionObject, bp: BatchPrediction | undefined): { jobs: Job[]; job?: Job; lastScheduleTime?: string } {
    const jobs = this.jobsOf(object);
    if (bp?.spec.schedule === undefined) {
      const name = bp === undefined ? object.status?.job : runJobName(bp);
      const job = jobs.find((j) => j.metadata?.name === name);
      return { jobs, ...(job !== undefined && { job }) };
    }
    const cronJob = this.deps.caches.cronJobs.get(`${object.metadata?.namespace ?? ""}/${object.metadata?.name ?? ""}`);
    const scheduled = jobs.filter((j) => j.metadata?.ownerReferences?.some((o) => o.kind === "CronJob"));
    const newest = scheduled.sort((a, b) => String(a.metadata?.creationTimestamp ?? "").localeCompare(String(b.metadata?.creationTimestamp ?? ""))).at(-1);
    const last = cronJob?.status?.lastScheduleTime;
    return { jobs: scheduled, ...(newest !== undefined && { job: newest }), ...(last !== undefined && { lastScheduleTime: String(last instanceof Date ? last.toISOString() : last) }) };
  }

  /**
   * Makes the cluster match the spec: a single run's Job is created once (its template is
   * immutable; only `suspend` is changed later) and Jobs of an earlier spec are deleted; a
   * schedule's CronJob is applied. Throws BatchProblemError.
   */
  private async converge(bp: BatchPrediction, client: KubeClient, log: Logger): Promise<void> {
    const namespace = bp.metadata.namespace ?? "";
    const name = bp.metadata.name ?? "";
    if (bp.spec.schedule === undefined) {
      const jobName = runJobName(bp);
      for (const old of this.jobsOf(bp)) {
        const ownedByMe = old.metadata?.ownerReferences?.some((o) => o.kind === BATCH_KIND && o.uid === bp.metadata.uid) === true;
        if (ownedByMe && old.metadata?.name !== jobName && jobActive(old)) {
          log.info("Deleting the Job of an earlier spec", { job: old.metadata?.name });
          await client.delete(Resources.jobs, namespace, old.metadata?.name ?? "", { uid: old.metadata?.uid ?? "" });
        }
      }
      // The schedule was removed: its CronJob goes (the Jobs it started stay in the history).
      if (this.deps.caches.cronJobs.get(`${namespace}/${name}`) !== undefined) await client.delete(Resources.cronJobs, namespace, name);
      const existing = this.jobsOf(bp as BatchPredictionObject).find((j) => j.metadata?.name === jobName);
      if (existing !== undefined) {
        if ((existing.spec?.suspend ?? false) !== bp.spec.suspend) {
          await client.apply(Resources.jobs, { apiVersion: "batch/v1", kind: "Job", metadata: { name: jobName, namespace }, spec: { suspend: bp.spec.suspend } } as Job);
        }
        return;
      }
      // A run that finished and whose Job was deleted since is not run again.
      if (bp.status?.history?.some((h) => h.job === jobName) === true) return;
      const parts = await this.servingParts(bp, client);
      await this.checkSecrets(bp, client);
      log.info("Creating the run's Job", { job: jobName, shards: bp.spec.parallelism });
      try {
        await client.create(Resources.jobs, buildRunJob(bp, parts, this.deps.settings) as Job);
      } catch (error) {
        if (!(error instanceof ApiError && error.isConflict)) throw error; // already exists: the cache had not shown it yet
      }
      this.deps.recorder.record(bp, { type: "Normal", reason: "RunStarted", message: `Created Job ${jobName}: ${bp.spec.parallelism} shard(s) scoring with ${parts.description}`, action: "Create" });
      return;
    }
    const parts = await this.servingParts(bp, client);
    await this.checkSecrets(bp, client);
    await client.apply(Resources.cronJobs, buildCronJob(bp, parts, this.deps.settings) as V1CronJob & KubeObject);
  }

  /** What the worker pods serve: spec.model, or the referenced ModelDeployment's stable revision. */
  private async servingParts(bp: BatchPrediction, client: KubeClient): Promise<ServingParts> {
    const ref = bp.spec.modelDeploymentRef;
    if (ref === undefined) return inlineServingParts(bp, this.deps.catalog, this.deps.settings);
    const namespace = bp.metadata.namespace ?? "";
    const md = this.deps.caches.modelDeployments.get(`${namespace}/${ref.name}`);
    if (md === undefined) throw new BatchProblemError("ModelDeploymentNotFound", `ModelDeployment ${ref.name} (spec.modelDeploymentRef) does not exist in namespace ${namespace}`, { waiting: true });
    const stable = md.status?.stable;
    if (stable === undefined) throw new BatchProblemError("ModelDeploymentNotServing", `ModelDeployment ${ref.name} has no stable revision yet: the run starts once it serves`, { waiting: true });
    if (md.spec.protocol !== undefined && md.spec.protocol !== "v2") {
      throw new BatchProblemError("UnsupportedProtocol", `ModelDeployment ${ref.name} speaks protocol ${md.spec.protocol}; batch predictions need v2 (the Open Inference Protocol)`);
    }
    const deployment = await client.get<V1Deployment & KubeObject>(Resources.deployments, namespace, childNames.deployment(ref.name, stable.revision));
    if (deployment === null) throw new BatchProblemError("ModelDeploymentNotServing", `The Deployment of ModelDeployment ${ref.name}'s stable revision ${stable.revision} is gone`, { waiting: true });
    const drift = md.spec.monitoring?.drift;
    const test = drift === undefined ? undefined : { falseAlarmRate: drift.falseAlarmRate ?? 0.01, minWindow: drift.minWindow ?? 1000, minPsi: drift.psiThreshold ?? 0 };
    return stableServingParts(ref.name, stable.revision, stable.modelVersion, deployment, test);
  }

  /** The Secrets the pods mount must exist, or no pod could start (by name only; never read). */
  private async checkSecrets(bp: BatchPrediction, client: KubeClient): Promise<void> {
    const namespace = bp.metadata.namespace ?? "";
    const names = [bp.spec.storageSecretRef?.name, bp.spec.model?.storageSecretRef?.name].filter((n): n is string => n !== undefined);
    for (const secret of names) {
      if (await client.get<V1Secret & KubeObject>(Resources.secrets, namespace, secret) === null) {
        throw new BatchProblemError("SecretNotFound", `Secret ${secret} does not exist in namespace ${namespace}`, { waiting: true });
      }
    }
  }

  private async writeStatus(client: KubeClient, key: string, object: BatchPredictionObject, previous: BatchPredictionStatus | undefined, next: BatchPredictionStatus, log: Logger): Promise<"written" | "unchanged" | "conflict"> {
    if (isDeepStrictEqual(JSON.parse(JSON.stringify(previous ?? null)), JSON.parse(JSON.stringify(next)))) return "unchanged";
    try {
      const stored = await client.apply<BatchPredictionObject>(BATCH_PREDICTIONS, {
        apiVersion: API_VERSION, kind: BATCH_KIND,
        metadata: { name: object.metadata?.name, namespace: object.metadata?.namespace, resourceVersion: object.metadata?.resourceVersion },
        status: next,
      } as BatchPredictionObject, { subresource: "status" });
      this.written.remember(key, stored);
    } catch (error) {
      if (error instanceof ApiError && error.isNotFound) return "unchanged";
      if (!(error instanceof ApiError && error.isConflict)) throw error;
      log.info("BatchPrediction changed since it was read; deciding again", { resourceVersion: object.metadata?.resourceVersion });
      return "conflict";
    }
    log.info("Updated BatchPrediction status", { phase: next.phase });
    const event = transitionEvent(previous, next);
    if (event !== undefined) this.deps.recorder.record(object, event);
    return "written";
  }
}

function jobActive(job: V1Job): boolean {
  return !(job.status?.conditions ?? []).some((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
}

/** The Event of a phase change that people care about: a run done, failed, or unable to start. */
function transitionEvent(previous: BatchPredictionStatus | undefined, next: BatchPredictionStatus): EventSpec | undefined {
  if (previous !== undefined && previous.phase === next.phase && previous.job === next.job) return undefined;
  const ready = next.conditions?.find((c) => c.type === "Ready");
  const stalled = next.conditions?.find((c) => c.type === "Stalled" && c.status === "True");
  if (next.phase === "Succeeded") return { type: "Normal", reason: "RunSucceeded", message: ready?.message ?? "", action: "Reconcile" };
  if (stalled !== undefined && previous?.phase !== next.phase) return { type: "Warning", reason: stalled.reason, message: stalled.message, action: "Reconcile" };
  return undefined;
}
