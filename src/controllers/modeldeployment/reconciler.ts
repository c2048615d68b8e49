// The ModelDeployment reconcile: observe from the caches, build the desired children with pure
// functions, apply what differs, retire old revisions, then compute the status (one pure
// function) and write it once.
import { isDeepStrictEqual } from "node:util";
import { API_VERSION, KIND, type ModelDeploymentStatus } from "../../api/index.ts";
import type { KubeObject } from "../../runtime/client/kube-client.ts";
import { reconcileLogger, type Logger } from "../../runtime/logging.ts";
import type { Result } from "../../runtime/reconcile.ts";
import { computeStatus, nextDiagnosisChangeMs, transitionEvents, type Observation } from "./status/index.ts";
import { converge, type Convergence } from "./converge.ts";
import { executeRollout, type ExecutedRollout } from "./rollout/execute.ts";
import { rolloutEvents, rolloutObservation } from "./rollout/observe.ts";
import { scaledEvent } from "./status/autoscaling.ts";
import { forgetRolloutMetrics, recordRolloutMetrics } from "./rollout/metrics.ts";
import { monitorDrift, type DriftMonitoring } from "./drift/monitor.ts";
import type { PerformanceAssessment } from "./performance/assess.ts";
import { monitorPerformance } from "./performance/monitor.ts";
import { MODEL_DEPLOYMENTS, type ModelDeploymentObject } from "./resource.ts";
import { LABEL_MODEL_DEPLOYMENT } from "./labels.ts";
import { WrittenObjects } from "../../runtime/written-objects.ts";
import { ApiError } from "../../runtime/client/api-error.ts";
import type { ReconcilerDeps } from "./deps.ts";
import { ownedBy } from "./ownership.ts";


export const CONTROLLER_NAME = "modeldeployment";
/** Shortest requeue: a rollout timer that is due now is looked at again after this long. */
const MIN_REQUEUE_MS = 500;
const DEFAULT_DRIFT_CHECK_MS = 30_000;

/**
 * Level-triggered: given only a key, converges that ModelDeployment and reports its status.
 * Configuration problems become a Stalled condition (not an error, so no retry storm); API
 * errors are thrown and retried with backoff by the queue.
 */
export class ModelDeploymentReconciler {
  private readonly deps: ReconcilerDeps;
  /** Status this reconciler wrote that the cache may not show yet: decisions build on the newest. */
  private readonly written = new WrittenObjects<ModelDeploymentObject>();

  constructor(deps: ReconcilerDeps) {
    this.deps = deps;
  }

  /** `signal` aborts the reconcile's API requests, analysis and drift reads (shutdown, lost leadership). */
  readonly reconcile = async (key: string, signal?: AbortSignal): Promise<Result> => {
    const deps: ReconcilerDeps = signal === undefined ? this.deps : { ...this.deps, client: this.deps.client.withSignal(signal), signal };
    const md = this.written.newest(key, this.deps.caches.modelDeployments.get(key));
    if (md === undefined || md.metadata?.deletionTimestamp !== undefined) {
      const [namespace = "", name = ""] = key.split("/");
      if (this.deps.metrics !== undefined) forgetRolloutMetrics(this.deps.metrics, namespace, name);
      this.deps.autoscaler?.untrack(key);
      return undefined; // children are garbage-collected
    }
    const log = reconcileLogger(this.deps.logger, CONTROLLER_NAME, key);

    // Until converge answers, all that is known is the spec's model version (for status).
    let convergence: Convergence = { modelVersion: md.spec?.model?.version ?? "unknown" };
    let failure: Error | undefined;
    let executed: ExecutedRollout | undefined;
    let drift: DriftMonitoring | undefined;
    let performance: PerformanceAssessment | undefined;
    try {
      convergence = await converge(md, deps, log);
      if (convergence.desired !== undefined && convergence.model !== undefined) {
        drift = await monitorDrift(md, convergence.model, deps, log);
        performance = await monitorPerformance(md, convergence.model, deps);
        const outcome = await executeRollout(md, convergence, deps, log, drift?.revert);
        if ("decision" in outcome) executed = outcome;
        else {
          convergence.problem = outcome;
          if (outcome.recheckAfterMs !== undefined) convergence.requeueAfterMs = outcome.recheckAfterMs;
        }
      }
    } catch (error) {
      // Status is still written (once), saying what failed — also when converge's lookups failed (ADR
      // 0004); the error then goes to the queue for a retry.
      failure = error instanceof Error ? error : new Error(String(error));
      convergence.problem = { kind: "Transient", reason: "ApplyFailed", message: failure.message };
    }
    const previous = md.status;
    const observation = this.observe(md, convergence);
    const crashLogs = await this.deps.crashLogs?.excerpts(observation.pods, observation.now, deps.signal);
    const next = computeStatus({
      ...observation,
      ...(crashLogs !== undefined && { crashLogs }),
      ...rolloutObservation(executed, convergence),
      ...monitoringObservation(convergence, drift, performance),
    }, previous);
    if (executed !== undefined && this.deps.metrics !== undefined) {
      recordRolloutMetrics(this.deps.metrics, md.metadata?.namespace ?? "", md.metadata?.name ?? "", executed.decision, previous);
    }
    const written = await this.writeStatus(deps, key, md, previous, next, log);
    if (written === "conflict") return { requeueAfter: MIN_REQUEUE_MS };
    if (written === "deleted") return undefined; // the next reconcile finds it gone
    const scaled = scaledEvent(previous?.autoscaling, next.autoscaling);
    for (const event of [...rolloutEvents(executed, written), ...(drift?.events ?? []), ...(scaled === undefined ? [] : [scaled])]) this.deps.recorder.record(md, event);
    if (failure !== undefined) throw failure;
    const driftRecheck = drift === undefined && performance === undefined ? undefined : this.deps.driftCheckIntervalMs ?? DEFAULT_DRIFT_CHECK_MS;
    // A container that stays unready changes no pod status: look again when it reaches the load timeout.
    const diagnosisDue = nextDiagnosisChangeMs(observation.pods, observation.now, this.deps.modelLoadTimeoutMs);
    const requeue = [convergence.requeueAfterMs, executed?.decision.requeueAfterMs, driftRecheck, diagnosisDue].filter((ms): ms is number => ms !== undefined);
    return requeue.length === 0 ? undefined : { requeueAfter: Math.max(MIN_REQUEUE_MS, Math.min(...requeue)) };
  };

  /** What the caches show now; the time is read once, here, from the operator's clock. */
  private observe(md: ModelDeploymentObject, c: Convergence): Observation {
    const name = md.metadata?.name ?? "";
    const namespace = md.metadata?.namespace ?? "";
    const mine = (o: KubeObject): boolean =>
      o.metadata?.namespace === namespace && o.metadata?.labels?.[LABEL_MODEL_DEPLOYMENT] === name;
    return {
      generation: md.metadata?.generation ?? 0,
      spec: md.spec,
      name,
      namespace,
      revision: c.revision ?? "",
      modelVersion: c.modelVersion,
      // The Deployments this reconcile just applied count even before the cache shows them.
      deployments: this.deps.applied?.overlay(this.deps.caches.deployments.list(), (d) => mine(d) && ownedBy(d, md))
        ?? this.deps.caches.deployments.list().filter((d) => mine(d) && ownedBy(d, md)),
      pods: this.deps.caches.pods.list().filter(mine),
      problem: c.problem,
      suspended: md.spec.suspend === true,
      ...(c.defaults !== undefined && { defaults: c.defaults }),
      serviceUrl: `http://${name}.${namespace}.svc.cluster.local`,
      ...(this.deps.modelLoadTimeoutMs === undefined ? {} : { modelLoadTimeoutMs: this.deps.modelLoadTimeoutMs }),
      now: new Date(this.deps.clock.now()),
    };
  }

  /**
   * Writes `next` when it differs and records the status transition Events; returns their reasons.
   * The write is conditional on the resourceVersion the decision was made on: when the object
   * changed since (a spec edit, or a status this reconcile had not seen), nothing is written and
   * the answer is "conflict": decide again on the newer object. When the object is gone (deleted
   * since it was read: 404), nothing is written and the answer is "deleted": nothing to retry, the
   * deletion's own event reconciles it away.
   */
  private async writeStatus(deps: ReconcilerDeps, key: string, md: ModelDeploymentObject, previous: ModelDeploymentStatus | undefined, next: ModelDeploymentStatus, log: Logger): Promise<Set<string> | "conflict" | "deleted"> {
    if (isDeepStrictEqual(normalise(previous), normalise(next))) return new Set();
    try {
      const stored = await deps.client.apply<ModelDeploymentObject>(MODEL_DEPLOYMENTS, {
        apiVersion: API_VERSION, kind: KIND,
        metadata: { name: md.metadata?.name, namespace: md.metadata?.namespace, resourceVersion: md.metadata?.resourceVersion },
        status: next,
      } as ModelDeploymentObject, { subresource: "status" });
      this.written.remember(key, stored);
    } catch (error) {
      if (error instanceof ApiError && error.isNotFound) {
        log.debug("ModelDeployment was deleted during the reconcile; status not written", { resourceVersion: md.metadata?.resourceVersion });
        return "deleted";
      }
      if (!(error instanceof ApiError && error.isConflict)) throw error;
      log.info("ModelDeployment changed since it was read; deciding again", { resourceVersion: md.metadata?.resourceVersion });
      return "conflict";
    }
    log.info("Updated ModelDeployment status", { phase: next.phase, observedGeneration: next.observedGeneration });
    const events = transitionEvents(previous, next);
    for (const event of events) this.deps.recorder.record(md, event);
    return new Set(events.map((e) => e.reason));
  }
}

/** Drift and ground truth as computeStatus takes them: present while monitored, with this reconcile's assessment if any. */
function monitoringObservation(c: Convergence, drift: DriftMonitoring | undefined, performance: PerformanceAssessment | undefined): Pick<Observation, "drift" | "performance"> {
  const monitoring = c.model?.spec.monitoring;
  return {
    ...(monitoring?.drift !== undefined && { drift: { ...(drift !== undefined && { assessment: drift.assessment }), reverting: drift?.revert !== undefined } }),
    ...(monitoring?.groundTruth !== undefined && { performance: performance === undefined ? {} : { assessment: performance } }),
  };
}

function normalise(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
