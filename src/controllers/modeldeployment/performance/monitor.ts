// Ground truth of the stable revision in a reconcile: read its agents' feedback counters and
// assess them (status.performance, ModelPerformance: see status.ts). No actions.
import type { ModelDeployment } from "../../../api/index.ts";
import type { ReconcilerDeps } from "../deps.ts";
import type { ModelDeploymentObject } from "../resource.ts";
import { assessPerformance, type PerformanceAssessment } from "./assess.ts";

/** Undefined when ground truth is not monitored (no spec.monitoring.groundTruth, no reader, no stable revision yet). */
export async function monitorPerformance(md: ModelDeploymentObject, model: ModelDeployment, deps: ReconcilerDeps): Promise<PerformanceAssessment | undefined> {
  const spec = model.spec.monitoring?.groundTruth;
  const revision = md.status?.rollout?.stable.revision ?? md.status?.stable?.revision;
  if (spec === undefined || deps.readQuality === undefined || revision === undefined) return undefined;
  const reading = await deps.readQuality(md.metadata?.namespace ?? "", md.metadata?.name ?? "", revision, deps.signal);
  return assessPerformance({ spec, reading, revision, previous: md.status?.performance, generation: md.metadata?.generation ?? 0, now: new Date(deps.clock.now()) });
}
