/**
 * ModelDeployment status from an observation: pure and deterministic, so the reconcile can
 * compare the result with the previous status and write only when it differs.
 */
import type { ModelDeploymentStatus } from "../../../api/index.ts";
import { setCondition } from "../../../runtime/conditions.ts";
import { LABEL_REVISION, podSelector } from "../labels.ts";
import { diagnosePods } from "./diagnose.ts";
import type { Observation } from "./observation.ts";
import { phaseOf } from "./phase.ts";
import { historyOf, lastFailureOf, stableOf } from "./records.ts";
import { assessRollout, progressOf } from "./revisions.ts";
import { judgeStatus } from "./verdict.ts";

/**
 * The status of the observed ModelDeployment.
 *
 * - `observedGeneration` is always `obs.generation`, and so is each owned condition's.
 * - Owns the Ready, Reconciling, Stalled and Available conditions (see verdict.ts); other
 *   condition types in `previous` keep their place and content. A condition's
 *   lastTransitionTime moves only when its status flips.
 * - Owns phase, url, replicas, readyReplicas, selector, stable, history and lastFailure.
 *   `canary`, `traffic` and `drift` are carried over from `previous` unchanged: their owners
 *   (rollout, router, drift) set them on the returned object.
 * - Idempotent: computing again from the same observation at a later `now`, with the result as
 *   `previous`, returns a deep-equal status, unless time itself changes a pod diagnosis (a model
 *   load timeout or an eviction ageing out).
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
  const stable = stableOf(obs, rollout, ready, previous?.stable);
  const history = historyOf(previous, stable, obs.now);
  const lastFailure = lastFailureOf(previous?.lastFailure, verdict.failure, ready, obs.now);
  const phase = phaseOf({
    suspended: obs.suspended,
    ready,
    stalled: verdict.stalled.status === "True",
    available: verdict.available.status === "True",
    podsFailing: anyFailure !== undefined,
  });

  return withoutUndefined({
    observedGeneration: obs.generation,
    phase,
    conditions,
    url: obs.serviceUrl,
    replicas: rollout.replicas,
    readyReplicas: rollout.readyReplicas,
    selector: selectorOf(obs.name),
    stable,
    canary: previous?.canary,
    traffic: previous?.traffic,
    drift: previous?.drift,
    rollout: previous?.rollout,
    lastFailure,
    history,
  });
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
