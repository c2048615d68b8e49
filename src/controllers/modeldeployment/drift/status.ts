// status.drift and the DataDrift condition on the status about to be written. Pure.
import type { ModelDeploymentStatus } from "../../../api/index.ts";
import { setCondition } from "../../../runtime/conditions.ts";
import type { ExecutedRollout } from "../rollout/execute.ts";
import type { DriftMonitoring } from "./monitor.ts";

/**
 * - Not monitored (no spec.monitoring.drift): no status.drift, no DataDrift condition.
 * - Monitored but not assessed this time (no stable revision yet, or the reconcile failed
 *   first): what was there stays.
 * - Assessed: status.drift and DataDrift from the assessment; a Rollback the rollout machine
 *   refused is recorded in lastAction.outcome; a Rollback that was not carried out because the
 *   reconcile failed first is not recorded at all (the previous lastAction stays), so the
 *   cooldown does not swallow it and the next reconcile tries again.
 */
export function withDrift(status: ModelDeploymentStatus, monitored: boolean, drift: DriftMonitoring | undefined, executed: ExecutedRollout | undefined, now: Date): ModelDeploymentStatus {
  if (!monitored) {
    const { drift: _unused, ...rest } = status;
    const conditions = status.conditions?.filter((c) => c.type !== "DataDrift");
    return { ...rest, ...(conditions === undefined ? {} : { conditions }) };
  }
  if (drift === undefined) return status;
  let next = drift.assessment.drift;
  if (next !== undefined && drift.revert !== undefined && executed === undefined) {
    const { lastAction: _notTaken, ...rest } = next;
    next = status.drift?.lastAction === undefined ? rest : { ...rest, lastAction: status.drift.lastAction };
  }
  const refused = executed?.decision.events.find((e) => e.reason === "RevertIgnored");
  if (next?.lastAction !== undefined && drift.revert !== undefined && refused !== undefined) {
    next = { ...next, lastAction: { ...next.lastAction, outcome: refused.message.slice(0, 1024) } };
  }
  const conditions = setCondition(status.conditions ?? [], drift.assessment.condition, now);
  const out: ModelDeploymentStatus = { ...status, conditions };
  if (next === undefined) delete out.drift;
  else out.drift = next;
  return out;
}
