// status.performance and the ModelPerformance condition, for computeStatus. Pure.
import type { ModelDeploymentStatus } from "../../../api/index.ts";
import { setCondition } from "../../../runtime/conditions.ts";
import { withoutMonitoring } from "../status/unmonitored.ts";
import type { PerformanceAssessment } from "./assess.ts";

/** Ground-truth monitoring in this reconcile, present only while spec.monitoring.groundTruth is set. */
export interface PerformanceOutcome {
  /** This reconcile's assessment; absent when not assessed (no reader, no stable revision yet, or the reconcile failed first). */
  assessment?: PerformanceAssessment;
}

/**
 * Not monitored (`performance` undefined): no status.performance, no ModelPerformance condition.
 * Monitored but not assessed this time: what `status` has stays. Assessed: both from the assessment.
 */
export function withPerformance(status: ModelDeploymentStatus, performance: PerformanceOutcome | undefined, now: Date): ModelDeploymentStatus {
  if (performance === undefined) return withoutMonitoring(status, "performance", "ModelPerformance");
  const assessment = performance.assessment;
  if (assessment === undefined) return status;
  const out: ModelDeploymentStatus = { ...status, conditions: setCondition(status.conditions ?? [], assessment.condition, now) };
  if (assessment.performance === undefined) delete out.performance;
  else out.performance = assessment.performance;
  return out;
}
