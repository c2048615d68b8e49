// The rollout's part of status: stable, canary (with the last verdicts), traffic, history and
// the persisted state, laid over what computeStatus derived from the children. Pure.
import type { V1Deployment } from "@kubernetes/client-node";
import type { ModelDeploymentStatus } from "../../../api/index.ts";
import { rolloutStatusFields } from "../../../rollout/status-fields.ts";
import type { Verdict } from "../../../rollout/verdict.ts";
import type { TrafficRouter } from "../../../traffic/router.ts";
import { formatTime } from "../../../runtime/conditions.ts";
import { childNames } from "../labels.ts";
import type { RolloutDecision } from "./decide-rollout.ts";
import { saveState } from "./state-codec.ts";

type CanaryAnalysis = NonNullable<NonNullable<ModelDeploymentStatus["canary"]>["analysis"]>;

export interface OverlayInput {
  name: string;
  decision: RolloutDecision;
  deployments: readonly V1Deployment[];
  router: TrafficRouter;
  previous: ModelDeploymentStatus | undefined;
  now: Date;
}

export function overlayRollout(status: ModelDeploymentStatus, input: OverlayInput): ModelDeploymentStatus {
  const { decision, previous } = input;
  const state = decision.state;
  const readyOf = (revision: string | undefined): number => {
    if (revision === undefined) return 0;
    const name = childNames.deployment(input.name, revision);
    return input.deployments.find((d) => d.metadata?.name === name)?.status?.readyReplicas ?? 0;
  };
  const ready = { stable: readyOf(state.stable.revision), canary: readyOf(state.canary?.revision) };
  const measures = input.router.measuredWeight(ready) !== undefined;
  const fields = rolloutStatusFields(state, measures ? ready : undefined);
  const out: ModelDeploymentStatus = {
    ...status,
    stable: { ...state.stable, readyReplicas: ready.stable },
    traffic: fields.traffic,
    history: fields.history,
    rollout: saveState(state, decision.budget),
  };
  delete out.canary;
  if (fields.canary !== undefined) {
    const kept = previous?.canary?.revision === fields.canary.revision ? previous.canary.analysis : undefined;
    const analysis = { ...fields.canary.analysis, ...checksOf(decision.verdicts, kept, input.now) } as CanaryAnalysis;
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
