/**
 * ModelDeployment status from an observation and this reconcile's decisions: the one place the
 * whole status is assembled. Pure and deterministic, so the reconcile can compare the result with
 * the previous status and write only when it differs.
 */
import type { ModelDeploymentStatus } from "../../../api/index.ts";
import { setCondition } from "../../../runtime/conditions.ts";
import { withDrift } from "../drift/status.ts";
import { withPerformance } from "../performance/status.ts";
import { LABEL_REVISION, podSelector } from "../labels.ts";
import { diagnosePods } from "./diagnose.ts";
import type { Observation } from "./observation.ts";
import { phaseOf } from "./phase.ts";
import { historyOf, lastFailureOf, stableOf } from "./records.ts";
import { assessRollout, progressOf, type RolloutAssessment } from "./revisions.ts";
import { rolloutFields, type RolloutOwnedFields } from "./rollout-fields.ts";
import { judgeStatus } from "./verdict.ts";
import { autoscalingStatus } from "./autoscaling.ts";

/**
 * The status of the observed ModelDeployment. Which input owns which field:
 *
 * - `observedGeneration`: `obs.generation`, and so is each owned condition's.
 * - `phase`, `url`, `replicas`, `readyReplicas`, `selector`, `lastFailure` and the Ready,
 *   Reconciling, Stalled and Available conditions (verdict.ts): the children (`obs.deployments`,
 *   `obs.pods`), `obs.problem` and `obs.rolloutProgress`. A condition's lastTransitionTime moves
 *   only when its status flips; condition types no input owns keep their place and content.
 * - `defaults`: `obs.defaults` when present (the runtime was resolved), else as in `previous`.
 * - `autoscaling`: `obs.autoscaling` (autoscaling.ts); absent when a decision was made without
 *   it; as in `previous` when no decision was made.
 * - `stable`, `canary`, `traffic`, `history`, `rollout`: `obs.rollout`, the decision, when one was
 *   made (rollout-fields.ts). Without one (the reconcile failed or stalled before deciding),
 *   `stable` and `history` follow readiness (records.ts) and `canary`, `traffic` and `rollout`
 *   stay as in `previous`.
 * - `drift` and DataDrift: `obs.drift` (drift/status.ts); `performance` and ModelPerformance:
 *   `obs.performance` (performance/status.ts). Not monitored: absent; not assessed this time:
 *   as in `previous`.
 * - Idempotent: computing again from the same observation at a later `now`, with the result as
 *   `previous`, returns a deep-equal status, unless time itself changes a pod diagnosis (a model
 *   load timeout or an eviction ageing out) or a decision changed.
 * Never mutates its arguments.
 */
export function computeStatus(obs: Observation, previous: ModelDeploymentStatus | undefined): ModelDeploymentStatus {
  const rollout = assessRollout(obs);
  const progress = obs.rolloutProgress ?? progressOf(rollout, obs, obs.revision !== previous?.stable?.revision);
  const currentPods = obs.pods.filter((p) => p.metadata?.labels?.[LABEL_REVISION] === obs.revision);
  const options = {
    ...(obs.crashLogs !== undefined && { crashLogs: obs.crashLogs }),
    ...(obs.modelLoadTimeoutMs !== undefined && { modelLoadTimeoutMs: obs.modelLoadTimeoutMs }),
  };
  const currentFailure = diagnosePods(currentPods, obs.now, options);
  const anyFailure = currentFailure ?? diagnosePods(obs.pods, obs.now, options);
  const verdict = judgeStatus({ obs, rollout, progress, currentFailure, anyFailure });

  let conditions = previous?.conditions ?? [];
  for (const condition of [verdict.ready, verdict.reconciling, verdict.stalled, verdict.available]) {
    conditions = setCondition(conditions, condition, obs.now);
  }
  const ready = verdict.ready.status === "True";
  const rolloutOwned = obs.rollout === undefined ? undecidedRolloutFields(obs, rollout, ready, previous) : rolloutFields(obs.rollout, obs, previous);
  const lastFailure = lastFailureOf(previous?.lastFailure, verdict.failure, ready, obs.now);
  const phase = phaseOf({
    suspended: obs.suspended,
    ready,
    stalled: verdict.stalled.status === "True",
    available: verdict.available.status === "True",
    podsFailing: anyFailure !== undefined,
  });

  const status = withoutUndefined({
    observedGeneration: obs.generation,
    phase,
    conditions,
    url: obs.serviceUrl,
    replicas: rollout.replicas,
    readyReplicas: rollout.readyReplicas,
    selector: selectorOf(obs.name),
    defaults: obs.defaults === undefined ? previous?.defaults : obs.defaults.applied,
    autoscaling: obs.autoscaling !== undefined
      ? autoscalingStatus(obs.autoscaling, previous?.autoscaling, obs.now)
      : obs.rollout === undefined ? previous?.autoscaling : undefined,
    stable: rolloutOwned.stable,
    canary: rolloutOwned.canary,
    traffic: rolloutOwned.traffic,
    drift: previous?.drift,
    performance: previous?.performance,
    rollout: rolloutOwned.rollout,
    lastFailure,
    history: rolloutOwned.history,
  });
  return withPerformance(withDrift(status, obs.drift, obs.rollout, obs.now), obs.performance, obs.now);
}

/** The rollout's fields when no decision was made: stable and history from readiness, the rest as before. */
function undecidedRolloutFields(obs: Observation, rollout: RolloutAssessment, ready: boolean, previous: ModelDeploymentStatus | undefined): RolloutOwnedFields {
  const stable = stableOf(obs, rollout, ready, previous?.stable);
  return {
    stable,
    history: historyOf(previous, stable, obs.now),
    canary: previous?.canary,
    traffic: previous?.traffic,
    rollout: previous?.rollout,
  };
}

/** The pods' label selector as a string, for the scale subresource (status.selector). */
export function selectorOf(name: string): string {
  return Object.entries(podSelector(name))
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
}

/** `value` without keys whose value is undefined, so it equals a status read back from the API. */
function withoutUndefined<T extends object>(value: T): T {
  const copy = { ...value };
  for (const key of Object.keys(copy) as (keyof T)[]) {
    if (copy[key] === undefined) delete copy[key];
  }
  return copy;
}
