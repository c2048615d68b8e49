import type { ModelDeploymentSpec, ModelDeploymentStatus } from "../../api/index.ts";
import { GROUP, KIND, PLURAL, VERSION } from "../../api/index.ts";
import type { KubeObject } from "../../runtime/client/kube-client.ts";
import type { ResourceRef } from "../../runtime/client/resource.ts";

export const MODEL_DEPLOYMENTS: ResourceRef = { group: GROUP, version: VERSION, plural: PLURAL, kind: KIND, namespaced: true };

/**
 * A ModelDeployment as it sits in the cache: admitted by the API server, so shaped like the
 * schema, but only `parseModelDeployment` makes it trustworthy (an older CRD may have let
 * something through).
 */
export type ModelDeploymentObject = KubeObject & { spec: ModelDeploymentSpec; status?: ModelDeploymentStatus };
