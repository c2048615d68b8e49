// What every builder needs to know about one ModelDeployment.
import type { ModelDeployment } from "../../../api/index.ts";
import type { ServingRuntime } from "../../../catalog/runtime.ts";
import type { OperatorSettings } from "../settings.ts";

/**
 * Input of the builders: a parsed (defaulted, validated) ModelDeployment, the runtime the
 * catalog resolved for it, the operator's settings and the revision computed from all three
 * (computeRevision). Builders never mutate it.
 */
export interface BuildContext {
  readonly md: ModelDeployment;
  readonly runtime: ServingRuntime;
  readonly settings: OperatorSettings;
  readonly revision: string;
}
