// What a status keeps of a monitoring feature the spec no longer asks for: nothing. Pure.
import type { ModelDeploymentStatus } from "../../../api/index.ts";

/**
 * `status` without the feature's field (`drift`, `performance`) and without its condition
 * (`DataDrift`, `ModelPerformance`): turning monitoring off leaves no stale verdict behind.
 */
export function withoutMonitoring(status: ModelDeploymentStatus, field: "drift" | "performance", conditionType: string): ModelDeploymentStatus {
  const { [field]: _unused, ...rest } = status;
  const conditions = status.conditions?.filter((c) => c.type !== conditionType);
  return { ...rest, ...(conditions === undefined ? {} : { conditions }) };
}
