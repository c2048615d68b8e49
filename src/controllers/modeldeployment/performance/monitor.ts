// Ground truth of the stable revision in a reconcile: read its agents' feedback counters and
// assess them (status.performance, ModelPerformance); and the status overlay. No actions.
import type { ModelDeployment, ModelDeploymentStatus } from "../../../api/index.ts";
import { setCondition } from "../../../runtime/conditions.ts";
import type { ReconcilerDeps } from "../deps.ts";
import type { ModelDeploymentObject } from "../resource.ts";
import { assessPerformance, type PerformanceAssessment } from "./assess.ts";

/** Undefined when ground truth is not monitored (no spec.monitoring.groundTruth, no reader, no stable revision yet). */
export async function monitorPerformance(md: ModelDeploymentObject, model: ModelDeployment, deps: ReconcilerDeps): Promise<PerformanceAssessment | undefined> {
  const spec = model.spec.monitoring?.groundTruth;
  const revision = md.status?.rollout?.stable.revision ?? md.status?.stable?.revision;
  if (spec === undefined || deps.readQuality === undefined || revision === undefined) return undefined;
  const reading = await deps.readQuality(md.metadata?.namespace ?? "", md.metadata?.name ?? "", revision, deps.signal);
  return assessPerformance({ spec, reading, revision, previous: md.status?.performance, generation: md.metadata?.generation ?? 0, now: deps.now() });
}

/**
 * Not monitored: no status.performance, no ModelPerformance condition. Monitored but not assessed
 * this time: what was there stays. Assessed: both from the assessment. Pure.
 */
export function withPerformance(status: ModelDeploymentStatus, monitored: boolean, assessment: PerformanceAssessment | undefined, now: Date): ModelDeploymentStatus {
  if (!monitored) {
    const { performance: _unused, ...rest } = status;
    const conditions = status.conditions?.filter((c) => c.type !== "ModelPerformance");
    return { ...rest, ...(conditions === undefined ? {} : { conditions }) };
  }
  if (assessment === undefined) return status;
  const out: ModelDeploymentStatus = { ...status, conditions: setCondition(status.conditions ?? [], assessment.condition, now) };
  if (assessment.performance === undefined) delete out.performance;
  else out.performance = assessment.performance;
  return out;
}
