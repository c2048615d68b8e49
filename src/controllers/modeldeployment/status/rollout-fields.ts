// The rollout's part of status — stable, canary (with the last verdicts), traffic, history and the
// persisted state — from this reconcile's rollout decision. Pure; computeStatus calls it.
import type { V1Deployment } from "@kubernetes/client-node";
import type { ModelDeploymentStatus } from "../../../api/index.ts";
import type { RolloutEvent } from "../../../rollout/actions.ts";
import type { RolloutState } from "../../../rollout/state.ts";
import { rolloutStatusFields } from "../../../rollout/status-fields.ts";
import type { Verdict } from "../../../rollout/verdict.ts";
import type { TrafficRouter } from "../../../traffic/router.ts";
import { formatTime } from "../../../runtime/conditions.ts";
import { childNames } from "../labels.ts";
import { saveState } from "../rollout/state-codec.ts";

type CanaryAnalysis = NonNullable<NonNullable<ModelDeploymentStatus["canary"]>["analysis"]>;

/** This reconcile's rollout decision as status shows it (a RolloutDecision with its router fits). */
export interface RolloutOutcome {
  state: RolloutState;
  /** Replicas shared by both revisions while a rollout runs; undefined when Stable. */
  budget: number | undefined;
  /** The verdicts of the analysis run in this decision, if one ran. */
  verdicts?: readonly Verdict[];
  /** The decision's Events (drift's status reads RevertIgnored from them). */
  events: readonly RolloutEvent[];
  /** Whether traffic follows ready replicas (measuredWeight defined) or is set exactly. */
  router: Pick<TrafficRouter, "measuredWeight">;
}

export type RolloutOwnedFields = Pick<ModelDeploymentStatus, "stable" | "canary" | "traffic" | "history" | "rollout">;

/**
 * - `stable`: the state's stable revision, with its Deployment's ready replicas now.
 * - `traffic`, `history`: from the state (src/rollout/status-fields.ts); measured weights only
 *   when the router measures them from ready replicas.
 * - `rollout`: the state to persist, with the replica budget.
 * - `canary`: while the state has a canary; its checks are this decision's verdicts (stamped
 *   `obs.now`), else the ones shown before for the same canary revision.
 */
export function rolloutFields(outcome: RolloutOutcome, obs: { name: string; deployments: readonly V1Deployment[]; now: Date }, previous: ModelDeploymentStatus | undefined): RolloutOwnedFields {
  const { state } = outcome;
  const readyOf = (revision: string | undefined): number => {
    if (revision === undefined) return 0;
    const name = childNames.deployment(obs.name, revision);
    return obs.deployments.find((d) => d.metadata?.name === name)?.status?.readyReplicas ?? 0;
  };
  const ready = { stable: readyOf(state.stable.revision), canary: readyOf(state.canary?.revision) };
  const measures = outcome.router.measuredWeight(ready) !== undefined;
  const fields = rolloutStatusFields(state, measures ? ready : undefined);
  const out: RolloutOwnedFields = {
    stable: { ...state.stable, readyReplicas: ready.stable },
    traffic: fields.traffic,
    history: fields.history,
    rollout: saveState(state, outcome.budget),
  };
  if (fields.canary !== undefined) {
    const kept = previous?.canary?.revision === fields.canary.revision ? previous.canary.analysis : undefined;
    const analysis = { ...fields.canary.analysis, ...checksOf(outcome.verdicts, kept, obs.now) } as CanaryAnalysis;
    out.canary = { ...fields.canary, analysis };
  }
  return out;
}

/** The verdicts of this decision's analysis, or the last ones shown for the same canary. */
function checksOf(verdicts: readonly Verdict[] | undefined, kept: CanaryAnalysis | undefined, now: Date): Partial<CanaryAnalysis> {
  if (verdicts === undefined) {
    return kept?.checks === undefined ? {} : { checks: kept.checks, ...(kept.evaluatedAt === undefined ? {} : { evaluatedAt: kept.evaluatedAt }) };
  }
  return {
    evaluatedAt: formatTime(now),
    checks: verdicts.slice(0, 16).map((v) => ({
      name: v.check,
      status: v.status,
      ...(v.value === undefined || !Number.isFinite(v.value) ? {} : { value: v.value }),
      reason: v.reason,
      message: v.message.slice(0, 2048),
    })),
  };
}
