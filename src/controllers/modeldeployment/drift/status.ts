// status.drift and the DataDrift condition, for computeStatus. Pure.
import type { ModelDeploymentStatus } from "../../../api/index.ts";
import { setCondition } from "../../../runtime/conditions.ts";
import { withoutMonitoring } from "../status/unmonitored.ts";
import type { RolloutOutcome } from "../status/rollout-fields.ts";
import type { DriftAssessment } from "./assess.ts";

/** Drift monitoring in this reconcile, present only while spec.monitoring.drift is set. */
export interface DriftOutcome {
  /** This reconcile's assessment; absent when not assessed (no stable revision yet, or the reconcile failed first). */
  assessment?: Pick<DriftAssessment, "drift" | "condition">;
  /** The assessment's action is a Rollback, handed to the rollout as a revert. */
  reverting: boolean;
}

/**
 * - Not monitored (`drift` undefined): no status.drift, no DataDrift condition.
 * - Monitored but not assessed this time: what `status` has stays.
 * - Assessed: status.drift and DataDrift from the assessment; a Rollback the rollout machine
 *   refused (a RevertIgnored Event of `rollout`) is recorded in lastAction.outcome; a Rollback
 *   that was not carried out because no rollout decision was made (the reconcile failed first)
 *   is not recorded at all (the previous lastAction stays), so the cooldown does not swallow it
 *   and the next reconcile tries again.
 */
export function withDrift(status: ModelDeploymentStatus, drift: DriftOutcome | undefined, rollout: RolloutOutcome | undefined, now: Date): ModelDeploymentStatus {
  if (drift === undefined) return withoutMonitoring(status, "drift", "DataDrift");
  const assessment = drift.assessment;
  if (assessment === undefined) return status;
  let next = assessment.drift;
  if (next !== undefined && drift.reverting && rollout === undefined) {
    const { lastAction: _notTaken, ...rest } = next;
    next = status.drift?.lastAction === undefined ? rest : { ...rest, lastAction: status.drift.lastAction };
  }
  const refused = rollout?.events.find((e) => e.reason === "RevertIgnored");
  if (next?.lastAction !== undefined && drift.reverting && refused !== undefined) {
    next = { ...next, lastAction: { ...next.lastAction, outcome: refused.message.slice(0, 1024) } };
  }
  const conditions = setCondition(status.conditions ?? [], assessment.condition, now);
  const out: ModelDeploymentStatus = { ...status, conditions };
  if (next === undefined) delete out.drift;
  else out.drift = next;
  return out;
}
