// The rollout part of `mdo get`: strategy, step, weight, and the gate it waits at (a pause, a
// person, analysis, readiness, webhooks), read from status.rollout and the spec. Pure.
import type { ModelDeploymentSpec, ModelDeploymentStatus } from "../../api/index.ts";
import { parseDuration } from "../../api/index.ts";
import type { RolloutView } from "./schema.ts";

type Gate = RolloutView["gate"];

/**
 * What a rollout with `reason` (status.rollout.reason, set by src/rollout/progress.ts and
 * hook-gates.ts) waits for. `until` is when a timed pause ends.
 */
export function gateOf(name: string, rollout: NonNullable<ModelDeploymentStatus["rollout"]>, until: string | undefined): Gate {
  if (rollout.phase === "Stable") return { kind: "none", detail: "nothing: one revision serves everything" };
  if (rollout.phase === "RolledBack") return { kind: "retry", detail: `a person: mdo retry ${name}, or a new revision` };
  if (rollout.pausedByPerson) return { kind: "resume", detail: `a person: mdo resume ${name} (or mdo promote ${name})` };
  if (rollout.webhooks?.preRolloutPending === true) return { kind: "webhooks", detail: "the PreRollout webhooks to answer 2xx" };
  switch (rollout.reason) {
    case "WaitingForReadiness":
      return { kind: "readiness", detail: `revision ${rollout.canary?.revision ?? ""} to become ready` };
    case "WaitingForAnalysis":
    case "RunningAnalysis":
      return { kind: "analysis", detail: "a passing analysis interval" };
    case "Pausing":
      return { kind: "pause", detail: "the step's pause to end", ...(until === undefined ? {} : { until }) };
    case "WaitingForPromotion":
      return { kind: "promotion", detail: `a person: mdo promote ${name}` };
    case "WaitingForConfirmation":
      return { kind: "webhooks", detail: "the ConfirmPromotion webhooks to answer 2xx" };
    default:
      return { kind: "other", detail: rollout.reason };
  }
}

/** The rollout view; without status.rollout (not reconciled yet) a Stable one from the spec. */
export function buildRollout(name: string, spec: ModelDeploymentSpec, status: ModelDeploymentStatus | undefined): RolloutView {
  const strategy = spec.rollout?.strategy ?? "Rolling";
  const steps = spec.rollout?.steps ?? [];
  const rollout = status?.rollout;
  if (rollout === undefined) {
    return {
      strategy, phase: "Unknown", step: 0, steps: steps.length, weight: 0, shadowing: false, pausedByPerson: false,
      gate: { kind: "other", detail: "the operator to reconcile the ModelDeployment" }, reason: "NotObserved", message: "the operator has not written status.rollout yet",
    };
  }
  const pause = rollout.phase === "Progressing" && strategy === "Canary" && rollout.shadowing !== true ? steps[rollout.step]?.pause : undefined;
  const pauseMs = pause === undefined || pause === "" ? undefined : parseDuration(pause);
  const until = pauseMs === undefined || rollout.stepStartedAt === undefined ? undefined : new Date(Date.parse(rollout.stepStartedAt) + pauseMs).toISOString();
  const limit = spec.rollout?.analysis?.failureLimit;
  const analysis = spec.rollout?.analysis === undefined || rollout.phase === "Stable" ? undefined : {
    ...(rollout.analysis.nextAt === undefined ? {} : { nextAt: rollout.analysis.nextAt }),
    failedIntervals: rollout.analysis.failedChecks,
    ...(limit === undefined ? {} : { failureLimit: limit }),
  };
  return {
    strategy,
    phase: rollout.phase,
    step: rollout.step,
    steps: steps.length,
    weight: rollout.weight,
    shadowing: rollout.shadowing === true,
    ...(rollout.stepStartedAt === undefined ? {} : { stepStartedAt: rollout.stepStartedAt }),
    ...(pause === undefined || pause === "" ? {} : { stepPause: pause }),
    pausedByPerson: rollout.pausedByPerson,
    gate: gateOf(name, rollout, until),
    reason: rollout.reason,
    message: rollout.message,
    ...(analysis === undefined ? {} : { analysis }),
  };
}
