/**
 * The four conditions computeStatus owns, judged from what was observed (kstatus semantics):
 * - Ready summarises: True only when the current revision is fully rolled out, no older
 *   revision runs, no pod of the current revision fails and the reconcile found no problem.
 *   While a new generation rolls out, Ready is False even though the old revision serves;
 *   Available says whether anything serves.
 * - Reconciling is True while work is in progress (RollingOut, Scaling, RetiringRevision, or a
 *   transient problem being retried); False when up to date, suspended or stalled.
 * - Stalled is True when only a change can help: a Stalled problem, a persistent pod failure of
 *   the current revision, or the current Deployment's progress deadline exceeded.
 * - Available is True while at least one replica of any revision is ready.
 * The first matching cause wins; see {@link judge}.
 */
import type { ConditionUpdate } from "../../../runtime/conditions.ts";
import type { PodDiagnosis } from "./reasons.ts";
import type { Observation } from "./observation.ts";
import {
  AvailableReasons,
  ConditionTypes,
  PodFailureReasons,
  ReadyReasons,
  ReconcilingReasons,
  StalledReasons,
} from "./reasons.ts";
import type { Progress, RevisionReplicas, RolloutAssessment } from "./revisions.ts";

type Status = "True" | "False";

/** A reason with its message: why a condition has its status, or what failed. */
export interface Cause {
  reason: string;
  message: string;
}

export interface Findings {
  obs: Observation;
  rollout: RolloutAssessment;
  /** Work in progress, from {@link progressOf}. */
  progress: Progress | undefined;
  /** The worst failure among the current revision's pods. */
  currentFailure: PodDiagnosis | undefined;
  /** The worst failure among all pods, the current revision's first. */
  anyFailure: PodDiagnosis | undefined;
}

export interface StatusVerdict {
  ready: ConditionUpdate;
  reconciling: ConditionUpdate;
  stalled: ConditionUpdate;
  available: ConditionUpdate;
  /** What status.lastFailure should record now, if anything is failing. */
  failure: Cause | undefined;
}

/** Judges the conditions; `observedGeneration` is set on each from the observation. */
export function judgeStatus(f: Findings): StatusVerdict {
  const { obs, rollout, progress } = f;
  const problem = obs.problem;
  const stalled = stalledCause(f);
  const blocking =
    f.currentFailure === undefined || f.currentFailure.reason === PodFailureReasons.Evicted ? undefined : causeOf(f.currentFailure);
  const transient =
    problem?.kind === "Transient"
      ? { reason: problem.reason, message: `reconcile failed and is retried: ${problem.message}` }
      : undefined;
  const condition = (type: string, status: Status, cause: Cause): ConditionUpdate => ({
    type,
    status,
    observedGeneration: obs.generation,
    reason: cause.reason,
    message: cause.message,
  });

  const notReady = stalled ?? transient ?? blocking ?? suspendedCause(f) ?? progress;
  const ready =
    notReady === undefined
      ? condition(ConditionTypes.Ready, "True", { reason: ReadyReasons.RolledOut, message: rolledOutMessage(f) })
      : condition(ConditionTypes.Ready, "False", notReady);

  const reconciling = condition(ConditionTypes.Reconciling, ...reconcilingOf(f, stalled, transient));
  const stalledCondition =
    stalled === undefined
      ? condition(ConditionTypes.Stalled, "False", { reason: StalledReasons.AsExpected, message: "nothing blocks progress" })
      : condition(ConditionTypes.Stalled, "True", stalled);

  return {
    ready,
    reconciling,
    stalled: stalledCondition,
    available: condition(ConditionTypes.Available, rollout.readyReplicas > 0 ? "True" : "False", availableCause(f)),
    failure: stalled ?? (f.anyFailure === undefined ? undefined : causeOf(f.anyFailure)) ?? transient,
  };
}

function stalledCause({ obs, rollout, currentFailure }: Findings): Cause | undefined {
  if (obs.problem?.kind === "Stalled") return { reason: obs.problem.reason, message: obs.problem.message };
  if (currentFailure?.persistent === true) return causeOf(currentFailure);
  if (rollout.deadlineExceeded !== undefined && !rollout.complete) {
    const deployment = rollout.current?.deployment ?? "";
    const pods = currentFailure === undefined ? "" : `; ${currentFailure.message}`;
    const deadline = `(Deployment ${deployment}: ${rollout.deadlineExceeded})`;
    return {
      reason: StalledReasons.ProgressDeadlineExceeded,
      message: `revision ${obs.revision} made no progress within the deadline ${deadline}${pods}`,
    };
  }
  return undefined;
}

function causeOf(d: PodDiagnosis): Cause {
  return { reason: d.reason, message: d.message };
}

function reconcilingOf(
  { obs, progress }: Findings,
  stalled: Cause | undefined,
  transient: Cause | undefined,
): [Status, Cause] {
  if (obs.suspended) {
    const message = "spec.suspend is true: the operator changes nothing until it is set to false";
    return ["False", { reason: ReconcilingReasons.Suspended, message }];
  }
  if (stalled !== undefined) {
    const message = `no progress is possible until the cause in the Stalled condition (${stalled.reason}) is fixed`;
    return ["False", { reason: ReconcilingReasons.Stalled, message }];
  }
  const working = transient ?? progress;
  if (working !== undefined) return ["True", working];
  const message = `revision ${obs.revision} is rolled out and nothing is in progress`;
  return ["False", { reason: ReconcilingReasons.UpToDate, message }];
}

function suspendedCause({ obs, progress }: Findings): Cause | undefined {
  if (!obs.suspended || progress === undefined) return undefined;
  return {
    reason: ReconcilingReasons.Suspended,
    message: `paused because spec.suspend is true (${progress.message}); set spec.suspend to false to continue`,
  };
}

function rolledOutMessage({ obs, rollout }: Findings): string {
  const ready = rollout.current?.ready ?? 0;
  return `revision ${obs.revision} (model ${obs.modelVersion}) is rolled out with ${ready} ready replicas`;
}

function availableCause({ obs, rollout, anyFailure }: Findings): Cause {
  if (rollout.readyReplicas > 0) {
    const serving = [rollout.current, ...rollout.older]
      .filter((r): r is RevisionReplicas => r !== undefined && r.ready > 0)
      .map((r) => `revision ${r.revision}: ${r.ready}`);
    return {
      reason: AvailableReasons.MinimumReplicasAvailable,
      message: `${rollout.readyReplicas} ready replicas serve ${obs.serviceUrl} (${serving.join(", ")})`,
    };
  }
  if (rollout.desired === 0 && rollout.complete) {
    return {
      reason: AvailableReasons.ScaledToZero,
      message: obs.spec.autoscaling?.minReplicas === 0
        ? "scaled to zero after no request for scaleToZero.idleAfter; the next request starts a pod and waits for it at the MDO activator"
        : "spec.replicas is 0, so no replica serves; set spec.replicas to 1 or more to serve",
    };
  }
  const why = anyFailure === undefined ? "" : `: ${anyFailure.message}`;
  return { reason: AvailableReasons.MinimumReplicasUnavailable, message: `no replica is ready${why}` };
}
