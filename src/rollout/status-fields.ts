// The rollout state as the status fields the API defines (status.canary, status.traffic,
// status.history, status.lastFailure). Fields the API has no place for yet stay in the state only.
import type { ModelDeploymentStatus } from "../api/status.ts";
import { achievedWeight } from "./replica-weights.ts";
import type { RolloutState } from "./state.ts";

/** Names of the built-in checks whose values status.canary.analysis shows. */
export const BUILTIN_CHECKS = {
  successRate: "successRate",
  latencyP99: "latencyP99",
  drift: "drift",
  groundTruth: "groundTruth",
  /** The shadow phase's check: the share of compared rows on which the canary agreed with the stable revision. */
  agreement: "agreement",
} as const;

/**
 * Where the drift check's value is kept in the analysis state when the test decided (an adjusted
 * p-value; under BUILTIN_CHECKS.drift it is the PSI rule's largest PSI). Check names are DNS
 * labels, so this key cannot collide with a custom check.
 */
export const DRIFT_P_VALUE_KEY = "drift/pValue";

export type RolloutStatusFields = Pick<ModelDeploymentStatus, "canary" | "traffic" | "history" | "lastFailure">;

/** Ready replicas per revision, when the Replicas router measures weights by pod counts. */
export interface ReadyReplicas {
  stable: number;
  canary: number;
}

/**
 * Status fields of a rollout state. `traffic` always lists the stable revision, and the canary
 * while one exists; desiredWeight is what the router is set to. measuredWeight is only filled
 * from `ready` (ready replica counts, Replicas router) — never guessed from the desired weight.
 */
export function rolloutStatusFields(state: RolloutState, ready?: ReadyReplicas): RolloutStatusFields {
  const canary = state.canary;
  const inRollout = canary !== undefined && (state.phase === "Progressing" || state.phase === "Promoting");
  const measured = ready === undefined ? undefined : achievedWeight(ready.stable, ready.canary);
  const stableWeight = inRollout ? 100 - state.weight : 100;
  const traffic: NonNullable<ModelDeploymentStatus["traffic"]> = [
    { revision: state.stable.revision, desiredWeight: stableWeight, ...(measured === undefined ? {} : { measuredWeight: 100 - measured }) },
  ];
  if (canary !== undefined) {
    traffic.push({ revision: canary.revision, desiredWeight: inRollout ? state.weight : 0, ...(measured === undefined ? {} : { measuredWeight: measured }) });
  }
  const values = state.analysis.values;
  return {
    ...(inRollout ? {
      canary: {
        revision: canary.revision,
        ...(canary.modelVersion === undefined ? {} : { modelVersion: canary.modelVersion }),
        step: state.step,
        weight: state.weight,
        ...(state.stepStartedAt === undefined ? {} : { stepStartedAt: state.stepStartedAt }),
        analysis: {
          ...optional("successRate", values[BUILTIN_CHECKS.successRate]),
          ...optional("latencyP99Ms", values[BUILTIN_CHECKS.latencyP99]),
          ...optional("driftPSI", values[BUILTIN_CHECKS.drift]),
          ...optional("driftPValue", values[DRIFT_P_VALUE_KEY]),
          ...optional("agreement", values[BUILTIN_CHECKS.agreement]),
          failedChecks: state.analysis.failedChecks,
        },
      },
    } : {}),
    traffic,
    history: state.history,
    ...(state.lastFailure === undefined ? {} : { lastFailure: state.lastFailure }),
  };
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Partial<Record<K, number>>);
}
