// Values the operator fills in where the spec leaves them out and the CRD cannot default them:
// they depend on another field (replicas only without autoscaling) or on the serving runtime
// (resources). What was filled in is reported in status.defaults, so a user can see it.
import type { ModelDeployment, ModelDeploymentStatus, ResourcesSpec } from "../../api/index.ts";
import type { ServingRuntime } from "../../catalog/runtime.ts";

export type AppliedDefaults = NonNullable<ModelDeploymentStatus["defaults"]>;

/** Replicas of a ModelDeployment that sets neither spec.replicas nor spec.autoscaling (as KServe). */
export const DEFAULT_REPLICAS = 1;

const RESOURCE_NAMES = ["cpu", "memory"] as const;

/**
 * `md` with spec.replicas = 1 when neither replicas nor autoscaling is set, and, for each of cpu
 * and memory that spec.resources names in neither requests nor limits, the runtime's request and
 * limit. Pure; `applied` lists only what was filled in (undefined when nothing was).
 */
export function withOperatorDefaults(md: ModelDeployment, runtime: ServingRuntime): { md: ModelDeployment; applied?: AppliedDefaults } {
  const applied: AppliedDefaults = {};
  let spec = md.spec;
  if (spec.replicas === undefined && spec.autoscaling === undefined) {
    spec = { ...spec, replicas: DEFAULT_REPLICAS };
    applied.replicas = DEFAULT_REPLICAS;
  }
  if (md.spec.model.runtime === undefined) applied.runtime = runtime.name;
  const filled = runtimeResources(spec.resources, runtime);
  if (filled !== undefined) {
    spec = { ...spec, resources: { ...spec.resources, ...merge(spec.resources, filled) } };
    applied.resources = filled;
  }
  return Object.keys(applied).length === 0 ? { md: { ...md, spec } } : { md: { ...md, spec }, applied };
}

type ResourceList = NonNullable<ResourcesSpec["requests"]>;
type ResourceLists = { requests: ResourceList; limits?: ResourceList };

/** The runtime's requests and limits of the resources `resources` names nowhere; undefined when none. */
function runtimeResources(resources: ResourcesSpec | undefined, runtime: ServingRuntime): ResourceLists | undefined {
  const requests: Record<string, string | number> = {};
  const limits: Record<string, string | number> = {};
  for (const name of RESOURCE_NAMES) {
    if (resources?.requests?.[name] !== undefined || resources?.limits?.[name] !== undefined) continue;
    const request = runtime.resources.requests[name];
    const limit = runtime.resources.limits[name];
    requests[name] = request;
    if (limit !== undefined) limits[name] = limit;
  }
  if (Object.keys(requests).length === 0) return undefined;
  return { requests, ...(Object.keys(limits).length === 0 ? {} : { limits }) };
}

function merge(spec: ResourcesSpec | undefined, filled: ResourceLists): ResourceLists {
  const requests = { ...spec?.requests, ...filled.requests };
  const limits = { ...spec?.limits, ...filled.limits };
  return { requests, ...(Object.keys(limits).length === 0 ? {} : { limits }) };
}
